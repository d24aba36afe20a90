-- Migration 21: Slack and Teams (issue 15). An organisation's incoming
-- webhook URL per chat service (survey.ChatWebhook), sealed with a key
-- derived from the server secret (secrets.Seal): the URL is a credential,
-- and a database dump alone must not reveal it.

-- +goose Up
CREATE TABLE `chat_webhooks` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`service` text NOT NULL,`sealed_url` text NOT NULL,`updated_at` datetime);
CREATE UNIQUE INDEX `idx_chat_webhooks_org_service` ON `chat_webhooks`(`org_id`,`service`);

-- Migration 21: Slack and Teams (issue 15). An organisation's incoming
-- webhook URL per chat service (survey.ChatWebhook), sealed with a key
-- derived from the server secret (secrets.Seal): the URL is a credential,
-- and a database dump alone must not reveal it.

-- +goose Up
CREATE TABLE chat_webhooks (
    id bigserial,
    org_id bigint NOT NULL,
    service character varying(16) NOT NULL,
    sealed_url text NOT NULL,
    updated_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_chat_webhooks_org_service ON chat_webhooks (org_id, service);

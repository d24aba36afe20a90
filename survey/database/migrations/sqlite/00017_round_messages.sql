-- Migration 17: results messages. A leader's message about a closed
-- round, sent to everyone invited (survey.RoundMessage): one per round,
-- naming no one.

-- +goose Up
CREATE TABLE `round_messages` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`round_id` integer NOT NULL,`body` text NOT NULL,`sent` integer NOT NULL,`created_at` datetime);
CREATE INDEX `idx_round_messages_org_id` ON `round_messages`(`org_id`);
CREATE UNIQUE INDEX `idx_round_messages_round_id` ON `round_messages`(`round_id`);

-- Migration 8, step 8 "API tokens" of the releases before SQL migrations:
-- API tokens.

-- +goose Up
CREATE TABLE `api_tokens` (`id` integer PRIMARY KEY AUTOINCREMENT,`account_id` integer NOT NULL,`name` text NOT NULL,`token_hash` blob NOT NULL,`created_at` datetime,`expires_at` datetime,`last_used_at` datetime,`revoked_at` datetime);
CREATE INDEX `idx_api_tokens_account_id` ON `api_tokens`(`account_id`);
CREATE UNIQUE INDEX `idx_api_tokens_token_hash` ON `api_tokens`(`token_hash`);

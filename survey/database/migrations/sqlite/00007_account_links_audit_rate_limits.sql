-- Migration 7, step 7 "account links, audit log and rate limits" of the releases before SQL migrations:
-- account links (account_tokens), the audit log (audit_entries), rate limits (rate_counts).

-- +goose Up
CREATE TABLE `account_tokens` (`id` integer PRIMARY KEY AUTOINCREMENT,`account_id` integer NOT NULL,`purpose` text NOT NULL,`token_hash` blob NOT NULL,`expires_at` datetime NOT NULL,`used_at` datetime,`created_at` datetime);
CREATE TABLE `audit_entries` (`id` integer PRIMARY KEY AUTOINCREMENT,`at` datetime NOT NULL,`account_id` integer,`email` text NOT NULL DEFAULT '',`action` text NOT NULL,`target` text NOT NULL DEFAULT '',`org_id` integer,`address` text NOT NULL DEFAULT '');
CREATE TABLE `rate_counts` (`subject` text,`bucket` datetime,`attempts` integer NOT NULL,PRIMARY KEY (`subject`,`bucket`));
CREATE INDEX `idx_account_tokens_account_id` ON `account_tokens`(`account_id`);
CREATE UNIQUE INDEX `idx_account_tokens_token_hash` ON `account_tokens`(`token_hash`);
CREATE INDEX `idx_audit_entries_account_id` ON `audit_entries`(`account_id`);
CREATE INDEX `idx_audit_entries_org` ON `audit_entries`(`org_id`);
CREATE INDEX `idx_rate_counts_bucket` ON `rate_counts`(`bucket`);

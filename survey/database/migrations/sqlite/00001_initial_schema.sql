-- Migration 1, step 1 "initial schema" of the releases before SQL migrations:
-- the tables of release 1 (organisations, people, accounts, sessions, settings, instruments, questions, rounds, invitations, responses, answers).
-- The schema that release's AutoMigrate created (fixture testdata/schema/sqlite/002.sql).

-- +goose Up
CREATE TABLE `organisations` (`id` integer PRIMARY KEY AUTOINCREMENT,`slug` text NOT NULL,`name` text NOT NULL,`min_group_size` integer NOT NULL DEFAULT 5,`comment_threshold` integer NOT NULL DEFAULT 5,`created_at` datetime);
CREATE TABLE `people` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`email` text NOT NULL,`name` text NOT NULL DEFAULT '',`function` text NOT NULL,`team` text NOT NULL DEFAULT '',`region` text NOT NULL DEFAULT '',`tenure_band` text NOT NULL DEFAULT '',`active` numeric NOT NULL DEFAULT true,`created_at` datetime,`updated_at` datetime);
CREATE TABLE `accounts` (`id` integer PRIMARY KEY AUTOINCREMENT,`email` text NOT NULL,`name` text NOT NULL DEFAULT '',`password_hash` text NOT NULL,`role` text NOT NULL,`password_changed_at` datetime,`created_at` datetime);
CREATE TABLE `memberships` (`account_id` integer,`org_id` integer,PRIMARY KEY (`account_id`,`org_id`));
CREATE TABLE `sessions` (`id` integer PRIMARY KEY AUTOINCREMENT,`token_hash` blob NOT NULL,`account_id` integer NOT NULL,`created_at` datetime,`last_seen_at` datetime,`expires_at` datetime NOT NULL);
CREATE TABLE `settings` (`key` text,`value` text NOT NULL,PRIMARY KEY (`key`));
CREATE TABLE `instruments` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer,`key` text NOT NULL,`version` integer NOT NULL,`name` text NOT NULL,`created_at` datetime);
CREATE TABLE `questions` (`id` integer PRIMARY KEY AUTOINCREMENT,`instrument_id` integer NOT NULL,`key` text NOT NULL,`position` integer NOT NULL,`kind` text NOT NULL,`index_name` text NOT NULL DEFAULT '',`prompt` text NOT NULL,`help` text NOT NULL DEFAULT '',`options` text,`required` numeric NOT NULL DEFAULT false,CONSTRAINT `fk_instruments_questions` FOREIGN KEY (`instrument_id`) REFERENCES `instruments`(`id`));
CREATE TABLE `rounds` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`instrument_id` integer NOT NULL,`title` text NOT NULL,`status` text NOT NULL,`opens_at` datetime NOT NULL,`closes_at` datetime NOT NULL,`closed_at` datetime,`created_at` datetime);
CREATE TABLE `invitations` (`id` integer PRIMARY KEY AUTOINCREMENT,`round_id` integer NOT NULL,`person_id` integer NOT NULL,`token_hash` blob NOT NULL,`function` text NOT NULL,`team` text NOT NULL DEFAULT '',`region` text NOT NULL DEFAULT '',`tenure_band` text NOT NULL DEFAULT '',`sent_at` datetime,`responded_at` datetime,`created_at` datetime);
CREATE TABLE `responses` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`round_id` integer NOT NULL,`edit_key` blob NOT NULL,`function` text NOT NULL,`team` text NOT NULL DEFAULT '',`region` text NOT NULL DEFAULT '',`tenure_band` text NOT NULL DEFAULT '',`submitted_on` datetime NOT NULL);
CREATE TABLE `answers` (`id` integer PRIMARY KEY AUTOINCREMENT,`response_id` integer NOT NULL,`question_id` integer NOT NULL,`value` smallint,`text` text,CONSTRAINT `fk_responses_answers` FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`));
CREATE UNIQUE INDEX `idx_accounts_email` ON `accounts`(`email`);
CREATE INDEX `idx_answers_question_id` ON `answers`(`question_id`);
CREATE UNIQUE INDEX `idx_answers_response_question` ON `answers`(`response_id`,`question_id`);
CREATE UNIQUE INDEX `idx_instruments_key_version` ON `instruments`(`org_id`,`key`,`version`);
CREATE INDEX `idx_invitations_person_id` ON `invitations`(`person_id`);
CREATE UNIQUE INDEX `idx_invitations_round_person` ON `invitations`(`round_id`,`person_id`);
CREATE UNIQUE INDEX `idx_invitations_token_hash` ON `invitations`(`token_hash`);
CREATE INDEX `idx_memberships_org_id` ON `memberships`(`org_id`);
CREATE UNIQUE INDEX `idx_organisations_slug` ON `organisations`(`slug`);
CREATE INDEX `idx_people_org_active` ON `people`(`org_id`,`active`);
CREATE UNIQUE INDEX `idx_people_org_email` ON `people`(`org_id`,`email`);
CREATE UNIQUE INDEX `idx_questions_instrument_key` ON `questions`(`instrument_id`,`key`);
CREATE UNIQUE INDEX `idx_responses_edit_key` ON `responses`(`edit_key`);
CREATE INDEX `idx_responses_org_id` ON `responses`(`org_id`);
CREATE INDEX `idx_responses_round_function` ON `responses`(`round_id`,`function`);
CREATE INDEX `idx_rounds_org_opens` ON `rounds`(`org_id`,`opens_at`);
CREATE INDEX `idx_sessions_account_id` ON `sessions`(`account_id`);
CREATE INDEX `idx_sessions_expires_at` ON `sessions`(`expires_at`);
CREATE UNIQUE INDEX `idx_sessions_token_hash` ON `sessions`(`token_hash`);

-- Migration 4, step 4 "schedules, reminder links and round periods" of the releases before SQL migrations:
-- schedules, reminder links (invitation_tokens), the period of a scheduled round, reminders sent.

-- +goose Up
CREATE TABLE `schedules` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`name` text NOT NULL,`instrument_id` integer NOT NULL,`cadence` text NOT NULL,`every_weeks` integer NOT NULL DEFAULT 0,`start_date` datetime NOT NULL,`send_time` text NOT NULL,`time_zone` text NOT NULL,`window_days` integer NOT NULL,`reminder_days` text,`functions` text,`teams` text,`active` numeric NOT NULL DEFAULT true,`created_at` datetime,`updated_at` datetime);
CREATE TABLE `invitation_tokens` (`id` integer PRIMARY KEY AUTOINCREMENT,`invitation_id` integer NOT NULL,`token_hash` blob NOT NULL,`created_at` datetime);
ALTER TABLE `rounds` ADD COLUMN `schedule_id` integer;
ALTER TABLE `rounds` ADD COLUMN `period_start` datetime;
ALTER TABLE `invitations` ADD COLUMN `reminders_sent` integer NOT NULL DEFAULT 0;
CREATE INDEX `idx_invitation_tokens_invitation_id` ON `invitation_tokens`(`invitation_id`);
CREATE UNIQUE INDEX `idx_invitation_tokens_token_hash` ON `invitation_tokens`(`token_hash`);
CREATE UNIQUE INDEX `idx_rounds_schedule_period` ON `rounds`(`schedule_id`,`period_start`);
CREATE INDEX `idx_schedules_org_id` ON `schedules`(`org_id`);

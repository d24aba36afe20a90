-- Migration 15, step 15 "action plans" of the releases before SQL migrations:
-- action plans.

-- +goose Up
CREATE TABLE `action_plans` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`target` text NOT NULL,`title` text NOT NULL,`owner` text NOT NULL DEFAULT '',`due_date` datetime,`status` text NOT NULL,`notes` text NOT NULL DEFAULT '',`baseline_round_id` integer,`created_at` datetime,`updated_at` datetime);
CREATE INDEX `idx_action_plans_org_id` ON `action_plans`(`org_id`);

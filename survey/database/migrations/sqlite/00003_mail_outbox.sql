-- Migration 3, step 3 "mail outbox" of the releases before SQL migrations:
-- the mail outbox (mail_messages) and the development outbox (dev_mails).

-- +goose Up
CREATE TABLE `mail_messages` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer,`round_id` integer,`invitation_id` integer,`kind` text NOT NULL,`to_address` text NOT NULL,`subject` text NOT NULL,`text` text NOT NULL,`html` text NOT NULL,`message_id` text NOT NULL,`status` text NOT NULL,`attempts` integer NOT NULL DEFAULT 0,`last_error` text NOT NULL DEFAULT '',`created_at` datetime,`sent_at` datetime);
CREATE TABLE `dev_mails` (`id` integer PRIMARY KEY AUTOINCREMENT,`message_id` text NOT NULL,`kind` text NOT NULL,`to_address` text NOT NULL,`subject` text NOT NULL,`text` text NOT NULL,`html` text NOT NULL,`created_at` datetime NOT NULL);
CREATE INDEX `idx_dev_mails_created_at` ON `dev_mails`(`created_at`);
CREATE UNIQUE INDEX `idx_dev_mails_message_id` ON `dev_mails`(`message_id`);
CREATE INDEX `idx_mail_messages_invitation_id` ON `mail_messages`(`invitation_id`);
CREATE UNIQUE INDEX `idx_mail_messages_message_id` ON `mail_messages`(`message_id`);
CREATE INDEX `idx_mail_messages_org_id` ON `mail_messages`(`org_id`);
CREATE INDEX `idx_mail_messages_round_id` ON `mail_messages`(`round_id`);
CREATE INDEX `idx_mail_messages_status` ON `mail_messages`(`status`);

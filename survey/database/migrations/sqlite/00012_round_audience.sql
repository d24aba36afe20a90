-- Migration 12, step 12 "audience and reminders of rounds started by hand" of the releases before SQL migrations:
-- the audience and reminders of rounds started by hand: JSON lists as text, NULL for every earlier round (a schedule's or the whole roster's).

-- +goose Up
ALTER TABLE `rounds` ADD COLUMN `functions` text;
ALTER TABLE `rounds` ADD COLUMN `teams` text;
ALTER TABLE `rounds` ADD COLUMN `reminder_days` text;

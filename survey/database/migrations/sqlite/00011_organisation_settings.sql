-- Migration 11, step 11 "organisation settings: time zone, accent colour, archive, logo" of the releases before SQL migrations:
-- organisation settings: time zone, accent colour, archive, logo (org_logos).

-- +goose Up
CREATE TABLE `org_logos` (`org_id` integer,`content_type` text NOT NULL,`data` blob NOT NULL,`updated_at` datetime,PRIMARY KEY (`org_id`));
ALTER TABLE `organisations` ADD COLUMN `time_zone` text NOT NULL DEFAULT 'UTC';
ALTER TABLE `organisations` ADD COLUMN `accent_color` text NOT NULL DEFAULT '';
ALTER TABLE `organisations` ADD COLUMN `archived_at` datetime;

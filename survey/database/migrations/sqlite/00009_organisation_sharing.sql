-- Migration 9, step 9 "organisation sharing settings: benchmark opt-in, comments in exports" of the releases before SQL migrations:
-- organisation sharing settings: benchmark opt-in, comments in exports.

-- +goose Up
ALTER TABLE `organisations` ADD COLUMN `benchmark_opt_in` numeric NOT NULL DEFAULT false;
ALTER TABLE `organisations` ADD COLUMN `allow_comment_export` numeric NOT NULL DEFAULT false;

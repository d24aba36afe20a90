-- Migration 22: a planned round the scheduler could not open (issue 15:
-- a translation is missing for the language of people it would invite)
-- keeps why, so that the rounds page says so until it opens.

-- +goose Up
ALTER TABLE `rounds` ADD COLUMN `open_problem` text NOT NULL DEFAULT '';

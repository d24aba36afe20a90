-- Migration 14, step 14 "rollup cells say why each hidden number is hidden: per-index thresholds" of the releases before SQL migrations:
-- rollup cells say why each hidden number is hidden (per-index thresholds).

-- +goose Up
ALTER TABLE `rollup_cells` ADD COLUMN `hidden_reason` integer NOT NULL DEFAULT 0;
ALTER TABLE `rollup_cells` ADD COLUMN `a1_hidden` integer NOT NULL DEFAULT 0;
ALTER TABLE `rollup_cells` ADD COLUMN `trust_hidden` integer NOT NULL DEFAULT 0;
ALTER TABLE `rollup_cells` ADD COLUMN `information_hidden` integer NOT NULL DEFAULT 0;
ALTER TABLE `rollup_cells` ADD COLUMN `process_hidden` integer NOT NULL DEFAULT 0;

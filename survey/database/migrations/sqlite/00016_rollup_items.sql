-- Migration 16: per-statement rollups. One row per published group, round
-- and agree–disagree statement: the answers per scale point and the
-- sufficient statistics of the statement's association with A1 (a driver),
-- each hidden number saying why (hidden, driver_hidden), as in rollup_cells.

-- +goose Up
CREATE TABLE `rollup_items` (`id` integer PRIMARY KEY AUTOINCREMENT,`org_id` integer NOT NULL,`round_id` integer NOT NULL,`fixed` integer NOT NULL,`function` text NOT NULL DEFAULT '',`team` text NOT NULL DEFAULT '',`region` text NOT NULL DEFAULT '',`tenure_band` text NOT NULL DEFAULT '',`question_key` text NOT NULL,`hidden` integer NOT NULL DEFAULT 0,`answers1` integer NOT NULL DEFAULT 0,`answers2` integer NOT NULL DEFAULT 0,`answers3` integer NOT NULL DEFAULT 0,`answers4` integer NOT NULL DEFAULT 0,`answers5` integer NOT NULL DEFAULT 0,`driver_hidden` integer NOT NULL DEFAULT 0,`pair_n` integer NOT NULL DEFAULT 0,`pair_sum_x` double precision NOT NULL DEFAULT 0,`pair_sum_y` double precision NOT NULL DEFAULT 0,`pair_sum_xx` double precision NOT NULL DEFAULT 0,`pair_sum_yy` double precision NOT NULL DEFAULT 0,`pair_sum_xy` double precision NOT NULL DEFAULT 0);
CREATE INDEX `idx_rollup_items_org_id` ON `rollup_items`(`org_id`);
CREATE UNIQUE INDEX `idx_rollup_items_round_group` ON `rollup_items`(`round_id`,`fixed`,`function`,`team`,`region`,`tenure_band`,`question_key`);

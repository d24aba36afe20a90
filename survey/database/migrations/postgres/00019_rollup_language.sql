-- Migration 19: results break down by the language answers were given in
-- (issue 15), like function and team: rollup cells and items gain the
-- attribute, and their group keys include it. Rows computed before hold
-- '' (the attribute not fixed), which is what they mean.

-- +goose Up
ALTER TABLE rollup_cells ADD COLUMN language character varying(8) NOT NULL DEFAULT '';
ALTER TABLE rollup_items ADD COLUMN language character varying(8) NOT NULL DEFAULT '';
DROP INDEX idx_rollup_cells_org_group;
DROP INDEX idx_rollup_cells_round_group;
DROP INDEX idx_rollup_items_round_group;
CREATE INDEX idx_rollup_cells_org_group ON rollup_cells (org_id, fixed, function, team, region, tenure_band, language);
CREATE UNIQUE INDEX idx_rollup_cells_round_group ON rollup_cells (round_id, fixed, function, team, region, tenure_band, language);
CREATE UNIQUE INDEX idx_rollup_items_round_group ON rollup_items (round_id, fixed, function, team, region, tenure_band, language, question_key);

-- Migration 2, step 2 "built-in Sales-Product Alignment Pulse v1" of the releases before SQL
-- migrations: the built-in instrument and its twelve questions (DESIGN §2).

-- +goose Up
INSERT INTO instruments (org_id, key, version, name, created_at) VALUES (NULL, 'alignment-pulse', 1, 'Sales–Product Alignment Pulse', CURRENT_TIMESTAMP);
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'A1', 1, 'choice', 'alignment', 'How would you describe the relationship between sales and product in our company?', '', '["Completely aligned, little or no friction","Mostly aligned, occasional friction","Lacking alignment, significant friction","A constant state of friction"]', true FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'T1', 2, 'likert', 'trust', 'I trust the other side to act in the company''s best interest.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'T2', 3, 'likert', 'trust', 'The other side understands the pressure my team is under.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'T3', 4, 'likert', 'trust', 'We resolve disagreements constructively.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'T4', 5, 'likert', 'trust', 'I believe the other side sees my team as a trusted partner.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'I1', 6, 'likert', 'information', 'Customer information passed between us arrives accurate and complete.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'I2', 7, 'likert', 'information', 'Product decisions rest on objective market data rather than a single customer''s request.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'P1', 8, 'likert', 'process', 'Sales input is heard in product decisions.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'P2', 9, 'likert', 'process', 'One-off requests follow a clear, fair process.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'P3', 10, 'likert', 'process', 'When sales needs and the product plan collide, executives decide promptly and transparently.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'P4', 11, 'likert', 'process', 'Leadership sets a clear balance between market needs and individual customers.', '', NULL, false FROM pulse;
WITH pulse AS (SELECT id FROM instruments WHERE org_id IS NULL AND key = 'alignment-pulse' AND version = 1)
INSERT INTO questions (instrument_id, key, "position", kind, index_name, prompt, help, options, required) SELECT pulse.id, 'C1', 12, 'text', '', 'What one change would most improve how sales and product work together?', 'Optional. Shown to leaders only when enough people have commented, without names or dates.', NULL, false FROM pulse;

-- The leanest database work of one stored survey response, for comparison
-- with accord-load's HTTP rate: one statement that inserts the response row
-- and all its answers (one per question of the instrument). A single
-- statement is its own transaction, so there is no BEGIN/END around it
-- (which would cost two more round trips per response).
-- Run by `accord-load --pgbench`, or by hand:
--   pgbench -n -f response.pgbench.sql -c 8 -j 4 -T 20 -D org=ORG -D round=ROUND -D instrument=INSTRUMENT "$ACCORD_DATABASE_URL"
WITH r AS (
  INSERT INTO responses (org_id, round_id, edit_key, function, team, region, tenure_band, submitted_on)
  VALUES (:org, :round, sha256(gen_random_uuid()::text::bytea), 'sales', 'Team 1', '', '', date_trunc('day', now() AT TIME ZONE 'UTC'))
  RETURNING id
)
INSERT INTO answers (response_id, question_id, value)
SELECT r.id, q.id, (1 + floor(random() * 4))::smallint FROM r, questions q WHERE q.instrument_id = :instrument;

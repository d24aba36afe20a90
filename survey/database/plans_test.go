package database_test

import (
	"testing"

	"accord/survey/database"
	"accord/survey/database/databasetest"
)

// TestPostgresPlansEachExecution: a statement prepared while its table was
// empty must not keep a plan that scans the whole table once the table has
// grown. This machine's PostgreSQL runs with autovacuum off, so nothing
// analyzes the table in between, as on a server where autovacuum has not
// yet come round; a respondent's lookup once did exactly that under load.
func TestPostgresPlansEachExecution(t *testing.T) {
	db := databasetest.Open(t, database.Postgres)
	sqlDB, err := db.DB()
	databasetest.Must(t, err)
	sqlDB.SetMaxOpenConns(1) // one connection, so one prepared statement and its plan

	var mode string
	databasetest.Must(t, db.Raw("SHOW plan_cache_mode").Scan(&mode).Error)
	if mode != "force_custom_plan" {
		t.Errorf("plan_cache_mode = %q, want force_custom_plan", mode)
	}

	databasetest.Must(t, db.Exec("CREATE TABLE young (id bigserial PRIMARY KEY, k bytea NOT NULL UNIQUE, v text)").Error)
	// The shape of the respondent's lookup of an earlier response.
	lookup := func() {
		var id int64
		databasetest.Must(t, db.Raw("SELECT id FROM young WHERE k = ? OR k = ? LIMIT 1", []byte("a"), []byte("b")).Scan(&id).Error)
	}
	for range 10 { // past the five custom plans before a generic one may be kept
		lookup()
	}
	databasetest.Must(t, db.Exec(`INSERT INTO young (k, v) SELECT sha256(i::text::bytea), repeat('x', 200)
		FROM generate_series(1, 20000) AS i`).Error)

	scans := func() int64 {
		var n int64
		databasetest.Must(t, db.Exec("SELECT pg_stat_force_next_flush()").Error)
		databasetest.Must(t, db.Raw("SELECT coalesce(seq_scan, 0) FROM pg_stat_user_tables WHERE relid = 'young'::regclass").Scan(&n).Error)
		return n
	}
	before := scans()
	for range 20 {
		lookup()
	}
	if n := scans() - before; n > 0 {
		t.Errorf("%d of 20 lookups scanned all 20,000 rows: a plan made on the empty table was kept", n)
	}
}

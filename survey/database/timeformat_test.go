package database_test

import (
	"context"
	"testing"
	"time"

	"accord/survey/database"
	"accord/survey/database/databasetest"
)

// TestUpgradeRewritesSQLiteTimes: SQLite compares times as text, and the
// driver before modernc's wrote RFC 3339 ("2026-03-01T09:30:00.25Z"). A
// database written by it, upgraded (migration 23), answers range and
// equality queries on bound times right, holds each time in exactly the
// text the driver binds today, and keeps no time in the old format in any
// of Accord's time columns.
func TestUpgradeRewritesSQLiteTimes(t *testing.T) {
	ctx := context.Background()
	files := fixtures(t, database.SQLite)
	db := loadFixture(t, database.SQLite, files[len(files)-1])

	// Ten audit entries 250 ms apart, stored as text the way the earlier
	// driver wrote them (trailing zeros of the fraction left out).
	base := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * 250 * time.Millisecond) }
	for i := range 10 {
		databasetest.Must(t, db.Exec("INSERT INTO audit_entries (at, action) VALUES (?, 'timed')",
			at(i).Format(time.RFC3339Nano)).Error)
	}
	// Migration 2 wrote the pulse's created_at with three zero decimals.
	databasetest.Must(t, db.Exec("UPDATE instruments SET created_at = '2026-03-01T09:30:00.000Z' WHERE id = 2").Error)

	if _, err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}

	var ids []int
	databasetest.Must(t, db.Raw("SELECT id FROM audit_entries WHERE action = 'timed' AND at >= ? AND at < ? ORDER BY at",
		at(2), at(6)).Scan(&ids).Error)
	if len(ids) != 4 {
		t.Errorf("entries in [%s, %s): %d, want 4 (ids %v)", at(2), at(6), len(ids), ids)
	}
	for i, when := range []time.Time{at(0), at(1), at(4)} {
		var n int
		databasetest.Must(t, db.Raw("SELECT count(*) FROM audit_entries WHERE action = 'timed' AND at = ?", when).Scan(&n).Error)
		if n != 1 {
			t.Errorf("entries at %s (case %d): %d, want 1", when, i, n)
		}
	}
	// The fixture's sessions expire on 1 and 2 March at 09:30.
	var live int
	databasetest.Must(t, db.Raw("SELECT count(*) FROM sessions WHERE expires_at > ?", base.Add(time.Hour)).Scan(&live).Error)
	if live != 1 {
		t.Errorf("sessions expiring after %s: %d, want 1", base.Add(time.Hour), live)
	}
	var pulse int
	databasetest.Must(t, db.Raw("SELECT count(*) FROM instruments WHERE id = 2 AND created_at = ?", base).Scan(&pulse).Error)
	if pulse != 1 {
		t.Error("the instrument created at 09:30:00.000Z does not equal 09:30 bound")
	}

	// The same instants bound by today's driver give the same text.
	for i := range 10 {
		databasetest.Must(t, db.Exec("INSERT INTO audit_entries (at, action) VALUES (?, 'bound')", at(i)).Error)
	}
	var rewritten, bound []string
	databasetest.Must(t, db.Raw("SELECT CAST(at AS TEXT) FROM audit_entries WHERE action = 'timed' ORDER BY id").Scan(&rewritten).Error)
	databasetest.Must(t, db.Raw("SELECT CAST(at AS TEXT) FROM audit_entries WHERE action = 'bound' ORDER BY id").Scan(&bound).Error)
	if len(rewritten) != 10 || len(bound) != 10 {
		t.Fatalf("read %d and %d entries, want 10 each", len(rewritten), len(bound))
	}
	for i := range rewritten {
		if rewritten[i] != bound[i] {
			t.Errorf("entry %d: migrated %q, the driver binds %q", i, rewritten[i], bound[i])
		}
	}

	// No time column of Accord's tables keeps a value in the old format
	// (schema_migrations, the releases' record that only older binaries
	// read and a fresh install lacks, is left as it was).
	var columns []struct{ Table, Column string }
	databasetest.Must(t, db.Raw(`SELECT m.name AS "table", p.name AS "column"
		FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'river%' AND m.name NOT IN ('goose_db_version', 'schema_migrations')
		AND (lower(p.type) LIKE '%date%' OR lower(p.type) LIKE '%time%')`).Scan(&columns).Error)
	if len(columns) < 40 {
		t.Fatalf("found %d time columns, want Accord's (more than 40)", len(columns))
	}
	for _, c := range columns {
		var old []string
		databasetest.Must(t, db.Raw(`SELECT CAST("`+c.Column+`" AS TEXT) FROM "`+c.Table+`" WHERE substr("`+c.Column+`", 11, 1) = 'T'`).Scan(&old).Error)
		if len(old) > 0 {
			t.Errorf("%s.%s keeps times in the old format: %q", c.Table, c.Column, old)
		}
	}
}

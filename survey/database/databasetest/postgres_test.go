package databasetest

import (
	"context"
	"strings"
	"testing"

	"accord/survey/database"
)

// TestOpenPostgresCopiesTemplate checks that Open's PostgreSQL database is
// a copy of the migrated template: a schema of its own, at the latest
// version, the same as a new schema migrated from scratch, and with
// nothing left for Migrate to do.
func TestOpenPostgresCopiesTemplate(t *testing.T) {
	t.Parallel()
	a, b := Open(t, database.Postgres), Open(t, database.Postgres)
	var nameA, nameB string
	Must(t, a.Raw("SELECT current_schema()").Scan(&nameA).Error)
	Must(t, b.Raw("SELECT current_schema()").Scan(&nameB).Error)
	if nameA == nameB || !strings.HasPrefix(nameA, "test_") {
		t.Fatalf("tests' schemas %q and %q, want two test_…", nameA, nameB)
	}
	if v, err := database.SchemaVersion(context.Background(), a); err != nil || v != database.LatestVersion() {
		t.Fatalf("copy at version %d (%v), want %d", v, err, database.LatestVersion())
	}
	if n, err := database.Migrate(context.Background(), a); err != nil || n != 0 {
		t.Fatalf("Migrate on the copy ran %d migrations (%v), want none", n, err)
	}
	// A table made in one copy is not in the other.
	Must(t, a.Exec("CREATE TABLE only_in_a (id integer)").Error)
	if b.Migrator().HasTable("only_in_a") {
		t.Fatal("a table made in one copy shows in another")
	}

	migrated := OpenTarget(t, Target(t, database.Postgres))
	if _, err := database.Migrate(context.Background(), migrated); err != nil {
		t.Fatal(err)
	}
	want, err := ReadSchema(migrated)
	Must(t, err)
	got, err := ReadSchema(b)
	Must(t, err)
	if diff := got.Diff(want); len(diff) > 0 {
		t.Fatalf("the copy's schema differs from a migrated one:\n%v", diff)
	}
}

// BenchmarkOpen measures a migrated, empty database per test, made and
// dropped: SQLite's copied file, PostgreSQL's replayed template and, for
// comparison, a new PostgreSQL schema migrated from scratch (what Open did
// before the template).
func BenchmarkOpen(b *testing.B) {
	for _, d := range Dialects {
		b.Run(d, func(b *testing.B) {
			Open(b, d) // the template, outside the timing
			b.ResetTimer()
			for b.Loop() {
				each(b, func(tb testing.TB) { Open(tb, d) })
			}
		})
	}
	b.Run("postgres-migrate-schema", func(b *testing.B) {
		for b.Loop() {
			each(b, func(tb testing.TB) {
				db := OpenTarget(tb, Target(tb, database.Postgres))
				if _, err := database.Migrate(context.Background(), db); err != nil {
					tb.Fatal(err)
				}
			})
		}
	})
}

// each runs fn as if it were a test of its own, its cleanups run at its end.
func each(b *testing.B, fn func(tb testing.TB)) {
	tb := &iteration{TB: b}
	defer func() {
		for i := len(tb.cleanups) - 1; i >= 0; i-- {
			tb.cleanups[i]()
		}
	}()
	fn(tb)
}

type iteration struct {
	testing.TB
	cleanups []func()
}

func (i *iteration) Cleanup(f func()) { i.cleanups = append(i.cleanups, f) }

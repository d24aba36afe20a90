// Package databasetest gives tests a fresh, migrated database of each
// dialect. SQLite always runs; PostgreSQL runs when ACCORD_TEST_POSTGRES_URL
// is set, and its absence fails the test under CI=true instead of skipping.
package databasetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/secrets"
)

// PostgresEnv names the variable holding the PostgreSQL server URL for tests.
const PostgresEnv = "ACCORD_TEST_POSTGRES_URL"

// Dialects lists the dialects Each runs.
var Dialects = []string{database.SQLite, database.Postgres}

// Each runs fn once per dialect as a subtest, each with its own database.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated, empty database of the given dialect, removed when tb ends.
func Open(tb testing.TB, dialect string) *gorm.DB {
	tb.Helper()
	target := Target(tb, dialect)
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { database.Close(db) })
	if _, err := database.Migrate(context.Background(), db); err != nil {
		tb.Fatalf("migrate %s: %v", dialect, err)
	}
	if err := secrets.UseSecret(db, Secret); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Secret is the server secret attached to every test database, as serve
// attaches its own (survey.UseSecret).
var Secret = []byte("test-secret-test-secret-test-secret!")

// Target returns connection details for a fresh, empty database of the
// dialect: a temporary SQLite file, or a new PostgreSQL schema that is
// dropped when tb ends.
func Target(tb testing.TB, dialect string) database.Target {
	tb.Helper()
	if dialect == database.SQLite {
		t, err := database.ParseURL("sqlite:" + filepath.Join(tb.TempDir(), "test.db"))
		if err != nil {
			tb.Fatal(err)
		}
		return t
	}
	raw := PostgresURL(tb)
	schema := "test_" + randomHex(8)
	admin, err := database.Open(context.Background(), database.Target{Dialect: database.Postgres, DSN: raw}, nil)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL at %s: %v", PostgresEnv, err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	database.Close(admin)
	tb.Cleanup(func() {
		admin, err := database.Open(context.Background(), database.Target{Dialect: database.Postgres, DSN: raw}, nil)
		if err != nil {
			return
		}
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		database.Close(admin)
	})
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return database.Target{Dialect: database.Postgres, DSN: u.String()}
}

// PostgresURL returns the test server URL, skipping the test when it is not
// configured locally and failing it under CI, where PostgreSQL is required.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	raw := os.Getenv(PostgresEnv)
	if raw == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s is not set: PostgreSQL tests must run in CI", PostgresEnv)
		}
		tb.Skipf("PostgreSQL tests skipped: set %s=postgres://… to run them", PostgresEnv)
	}
	return raw
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Must fails tb when err is not nil; a small helper for setup steps.
func Must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(fmt.Errorf("setup: %w", err))
	}
}

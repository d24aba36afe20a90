// Package databasetest gives tests a fresh, migrated database of each
// dialect. SQLite always runs; PostgreSQL runs when ACCORD_TEST_POSTGRES_URL
// is set, and its absence fails the test under CI=true instead of skipping.
//
// Accounts created in a test that opened a database hash their passwords
// at a token cost (account.UseCheapHashesInTests): the stored hash and
// every check of it work as in production, without a second of CPU per
// login under the race detector.
//
// A test helper: it may import survey and its leaf packages.
package databasetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"

	"accord/survey/account"
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
	cheapHashes.Do(account.UseCheapHashesInTests)
	var target database.Target
	copied := false
	if dialect == database.Postgres {
		// A copy of a schema migrated once per run (postgres.go).
		target, copied = migratedPostgres(tb)
	}
	if !copied {
		target = Target(tb, dialect)
	}
	if dialect == database.SQLite {
		// A copy of a database migrated once per test binary: the same
		// file as migrating this one, without its cost in every test.
		// Migrate below finds nothing left to do.
		template, err := migratedSQLite()
		if err != nil {
			tb.Fatalf("migrate a template %s database: %v", dialect, err)
		}
		if err := os.WriteFile(target.Path, template, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
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

var cheapHashes sync.Once

// sqliteTemplate holds the file of a migrated, empty SQLite database.
var sqliteTemplate struct {
	once sync.Once
	file []byte
	err  error
}

// migratedSQLite returns the bytes of a migrated, empty SQLite database,
// made on first use.
func migratedSQLite() ([]byte, error) {
	sqliteTemplate.once.Do(func() {
		sqliteTemplate.file, sqliteTemplate.err = migrateSQLiteFile()
	})
	return sqliteTemplate.file, sqliteTemplate.err
}

func migrateSQLiteFile() ([]byte, error) {
	dir, err := os.MkdirTemp("", "accord-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	target, err := database.ParseURL("sqlite:" + path)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		return nil, err
	}
	_, err = database.Migrate(context.Background(), db)
	if cerr := database.Close(db); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	// Closing the last connection checkpoints the write-ahead log into
	// the file; a log left beside it would hold part of the schema.
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("%s-wal is left after closing the template database", path)
	}
	return os.ReadFile(path)
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
	admin, err := adminDB(raw)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL at %s: %v", PostgresEnv, err)
	}
	schema := "test_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return schemaTarget(tb, raw, schema)
}

// schemaTarget returns the target of schema in the database of the URL raw.
func schemaTarget(tb testing.TB, raw, schema string) database.Target {
	tb.Helper()
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

package databasetest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/survey/database"
)

// A migrated PostgreSQL schema for a test is a replay of a template's
// schema, dumped once per test binary with pg_dump: one statement list,
// in one round trip, where migrating a new schema takes some 200 round
// trips and, with tests migrating at once, waits for the migrations' lock
// (an advisory lock of the whole database, retried each second). The
// template is a schema migrated once for every test binary of a run: it
// is named after a digest of the migrations, so the test binaries that go
// test ./... runs at once share it (an advisory lock lets one of them
// build it) and a later run of the same migrations finds it made. A
// template of other migrations is dropped when a new one is built. It
// lives in the database of ACCORD_TEST_POSTGRES_URL, which CI drops.
//
// Copying a template database (CREATE DATABASE … TEMPLATE) was measured
// too and is slower here: it copies some 9 MB of catalogues, and each
// DROP DATABASE forces a checkpoint of the whole server.

// templatePrefix begins the names of template schemas.
const templatePrefix = "accord_tpl_"

// templateLock is the advisory lock key, in the database of the URL, that
// serialises the building of templates ("accord-t" in ASCII).
const templateLock = 0x6163636f72642d74

// pgAdmin is a connection pool to the database of ACCORD_TEST_POSTGRES_URL,
// shared by the tests of a binary to create and drop their schemas.
var pgAdmin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

func adminDB(raw string) (*sql.DB, error) {
	pgAdmin.once.Do(func() {
		g, err := database.Open(context.Background(), database.Target{Dialect: database.Postgres, DSN: raw}, nil)
		if err != nil {
			pgAdmin.err = err
			return
		}
		pgAdmin.db, pgAdmin.err = g.DB()
		if pgAdmin.err == nil {
			pgAdmin.db.SetMaxIdleConns(2)
			pgAdmin.db.SetConnMaxIdleTime(30 * time.Second)
		}
	})
	return pgAdmin.db, pgAdmin.err
}

// pgScript is this binary's dump of the template: the statements that
// make a migrated schema, with the template's name as a placeholder.
var pgScript struct {
	once   sync.Once
	script string
	err    error
}

// migratedPostgres returns the target of a new PostgreSQL schema made by
// replaying the migrated template, dropped when tb ends. It returns false,
// after saying why, when there is no template to replay: the migrations'
// files cannot be read to name it (a binary built with -trimpath) or
// pg_dump is missing; the caller then migrates a new schema instead.
func migratedPostgres(tb testing.TB) (database.Target, bool) {
	tb.Helper()
	raw := PostgresURL(tb)
	admin, err := adminDB(raw)
	if err != nil {
		tb.Fatalf("connect to PostgreSQL at %s: %v", PostgresEnv, err)
	}
	digest, ok := migrationsDigest()
	if !ok {
		tb.Log("no PostgreSQL template: the migration files are not where this package was built from")
		return database.Target{}, false
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		tb.Log("no PostgreSQL template: pg_dump (from the PostgreSQL client package) is not on PATH")
		return database.Target{}, false
	}
	tpl := templatePrefix + digest
	pgScript.once.Do(func() {
		pgScript.script, pgScript.err = templateScript(context.Background(), admin, raw, tpl)
	})
	if pgScript.err != nil {
		tb.Fatalf("a migrated template PostgreSQL schema: %v", pgScript.err)
	}
	schema := "test_" + randomHex(8)
	if _, err := admin.Exec(strings.ReplaceAll(pgScript.script, tpl, schema)); err != nil {
		tb.Fatalf("replay the template PostgreSQL schema: %v", err)
	}
	tb.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	return schemaTarget(tb, raw, schema), true
}

// templateScript returns the statements that make the template schema
// tpl, building it first if it is missing.
func templateScript(ctx context.Context, admin *sql.DB, raw, tpl string) (string, error) {
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Held while building and dumping, so that no other binary drops
	// the template meanwhile.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(templateLock)); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(templateLock))
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", tpl).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if err := buildTemplate(ctx, conn, raw, tpl); err != nil {
			return "", fmt.Errorf("build %s: %w", tpl, err)
		}
	}
	return dumpSchema(ctx, raw, tpl)
}

// buildTemplate migrates a new schema and renames it to tpl, so that a
// template under that name is always complete; it first drops templates
// of other migrations and what a killed build left.
func buildTemplate(ctx context.Context, conn *sql.Conn, raw, tpl string) error {
	rows, err := conn.QueryContext(ctx, "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", templatePrefix)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		stale = append(stale, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range stale {
		if _, err := conn.ExecContext(ctx, `DROP SCHEMA "`+n+`" CASCADE`); err != nil {
			return err
		}
	}
	building := tpl + "_new"
	if _, err := conn.ExecContext(ctx, "CREATE SCHEMA "+building); err != nil {
		return err
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("search_path", building)
	u.RawQuery = q.Encode()
	db, err := database.Open(ctx, database.Target{Dialect: database.Postgres, DSN: u.String()}, nil)
	if err != nil {
		return err
	}
	_, err = database.Migrate(ctx, db)
	if cerr := database.Close(db); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "ALTER SCHEMA "+building+" RENAME TO "+tpl)
	return err
}

// dumpSchema returns pg_dump's statements for schema, its tables and
// their rows, without the session settings and psql commands around them.
func dumpSchema(ctx context.Context, raw, schema string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Del("search_path") // libpq knows no such parameter
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, "pg_dump", "--schema="+schema, "--inserts", "--no-owner", "--no-privileges",
		"--no-comments", u.String())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pg_dump: %w: %s", err, stderr.String())
	}
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, `\`), // psql commands (\restrict)
			strings.HasPrefix(line, "SET "),
			strings.HasPrefix(line, "SELECT pg_catalog.set_config("),
			strings.HasPrefix(line, "--"):
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	script := b.String()
	if !strings.Contains(script, "CREATE SCHEMA "+schema+";") || !strings.Contains(script, "goose_db_version") {
		return "", fmt.Errorf("pg_dump of %s lacks the schema or its migrations' table:\n%s", schema, script)
	}
	return script, nil
}

var digestOnce = sync.OnceValues(readMigrationsDigest)

// migrationsDigest names what the template's migrations are: 16 hex
// digits of a SHA-256 over package database's Go files (the Go migrations
// and the code running them) and its PostgreSQL migration files, read from
// the source tree this package was built from.
func migrationsDigest() (string, bool) { return digestOnce() }

func readMigrationsDigest() (string, bool) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "", false
	}
	dir := filepath.Dir(filepath.Dir(self)) // survey/database
	var files []string
	goFiles, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range goFiles {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	err := filepath.WalkDir(filepath.Join(dir, "migrations", database.Postgres), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		return "", false
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", false
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], true
}

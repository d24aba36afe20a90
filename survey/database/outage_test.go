package database_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"accord/survey/database"
)

// TestProblemNamesWhatIsWrongInPlainWords: availability failures of either
// database are recognised through the wrapping the code adds, and named;
// a mistake in a query is not an outage.
func TestProblemNamesWhatIsWrongInPlainWords(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("load invitation: %w", err) }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&pgconn.PgError{Code: "53100"}, "disk full on the PostgreSQL server"},
		{&pgconn.PgError{Code: "53300"}, "PostgreSQL has no connection slots left (too many connections)"},
		{&pgconn.PgError{Code: "25006"}, "PostgreSQL is read-only"},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, "cannot reach the database"},
		{io.ErrUnexpectedEOF, "cannot reach the database"},
		{context.DeadlineExceeded, "the database did not answer in time"},
		{&pgconn.PgError{Code: "23505"}, ""}, // a unique violation is the caller's business
		{errors.New("no such column: nmae"), ""},
	} {
		got := database.Problem(wrap(tc.err))
		if (got == "") != (tc.want == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("Problem(%v) = %q, want %q", tc.err, got, tc.want)
		}
		if database.Unavailable(wrap(tc.err)) != (tc.want != "") {
			t.Errorf("Unavailable(%v) = %v", tc.err, tc.want == "")
		}
	}
}

// TestProblemNamesSQLiteErrors: the SQLite driver's own errors, made for
// real (a database at its page limit, a connection that may only read),
// are recognised through GORM and the wrapping the code adds.
func TestProblemNamesSQLiteErrors(t *testing.T) {
	ctx := context.Background()
	target, err := database.ParseURL("sqlite:" + filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(ctx, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := db.Exec("CREATE TABLE blobs (b BLOB)").Error; err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := db.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	write := func() error {
		err := db.Exec("INSERT INTO blobs (b) VALUES (zeroblob(1000000))").Error
		return fmt.Errorf("store answers: %w", err)
	}
	for _, tc := range []struct {
		pragma, want string
	}{
		{fmt.Sprintf("PRAGMA max_page_count = %d", pages), "disk full on the SQLite volume"},
		{"PRAGMA query_only = 1", "the SQLite database is read-only"},
	} {
		if err := db.Exec(tc.pragma).Error; err != nil {
			t.Fatal(err)
		}
		err := write()
		if got := database.Problem(err); !strings.HasPrefix(got, tc.want) {
			t.Errorf("after %s: Problem(%v) = %q, want %q", tc.pragma, err, got, tc.want)
		}
		if !database.Unavailable(err) {
			t.Errorf("after %s: Unavailable(%v) = false", tc.pragma, err)
		}
	}
}

// TestProblemNamesACutSQLiteStatement: a statement that the request's
// deadline cuts while SQLite runs it ends as the driver's "interrupted"
// error, not context.DeadlineExceeded; it is still an answer too late (a
// 503 on a page), not an internal error.
func TestProblemNamesACutSQLiteStatement(t *testing.T) {
	target, err := database.ParseURL("sqlite:" + filepath.Join(t.TempDir(), "slow.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), target, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := db.Exec("CREATE TABLE numbers (i INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	// A write, as when rollups are stored: this driver interrupts a
	// statement it executes, but not the rows of a query being read.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = db.WithContext(ctx).Exec("INSERT INTO numbers WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT i FROM c LIMIT 100000000").Error
	if err == nil {
		t.Fatal("inserting a hundred million rows finished within 100 ms")
	}
	err = fmt.Errorf("rollups of acme: %w", err)
	if got := database.Problem(err); got != "the database did not answer in time" {
		t.Errorf("Problem(%v) = %q, want the database did not answer in time", err, got)
	}
	if !database.Interrupted(err) {
		t.Errorf("Interrupted(%v) = false", err)
	}
}

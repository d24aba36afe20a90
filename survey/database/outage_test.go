package database_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ncruces/go-sqlite3"

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
		{sqlite3.FULL, "disk full on the SQLite volume"},
		{sqlite3.READONLY, "the SQLite database is read-only"},
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

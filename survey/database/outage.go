package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unavailable reports whether err means the database cannot serve requests
// at the moment — unreachable, not answering in time, out of connections or
// of disk, read-only — rather than that the request itself was wrong. Pages
// answer such errors with 503 and Retry-After instead of 500.
func Unavailable(err error) bool {
	return err != nil && Problem(err) != ""
}

// Interrupted reports whether err ends a statement that its context cut
// while the database ran it: SQLite's driver then answers "interrupted"
// without wrapping the context's error, so callers that tell a client who
// left from a deadline ask the context which it was.
func Interrupted(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_INTERRUPT
}

// Problem says in plain words what is wrong with the database when err is
// an availability problem (see Unavailable), and "" otherwise.
func Problem(err error) string {
	if err == nil {
		return ""
	}
	var nw *NotWritableError
	if errors.As(err, &nw) && nw.Problem != "" {
		return nw.Problem
	}
	if p := sqliteProblem(err); p != "" {
		return p
	}
	if p := postgresProblem(err); p != "" {
		return p
	}
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "disk full on the database volume"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "the database did not answer in time"
	case errors.Is(err, driver.ErrBadConn), errors.As(err, &ne), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return "cannot reach the database"
	}
	return ""
}

// diskFullSQLite is what a full volume under the SQLite file is called.
const diskFullSQLite = "disk full on the SQLite volume"

// sqliteCode is the primary SQLite result code of err (extended codes keep
// it in their low byte), if err comes from the SQLite driver.
func sqliteCode(err error) (int, bool) {
	var e *gosqlite.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	return e.Code() & 0xff, true
}

func sqliteProblem(err error) string {
	code, ok := sqliteCode(err)
	if !ok {
		return ""
	}
	switch {
	case code == sqlite3.SQLITE_FULL, errors.Is(err, syscall.ENOSPC):
		return diskFullSQLite
	case code == sqlite3.SQLITE_READONLY, errors.Is(err, syscall.EROFS):
		return "the SQLite database is read-only (check the file's and the volume's permissions and mount options)"
	case code == sqlite3.SQLITE_IOERR:
		return "disk I/O error on the SQLite volume (the disk may be failing or full)"
	case code == sqlite3.SQLITE_CANTOPEN:
		return "cannot open the SQLite file (check that its directory exists and is writable)"
	case code == sqlite3.SQLITE_BUSY:
		return "the SQLite database stayed locked by another writer"
	case code == sqlite3.SQLITE_INTERRUPT:
		// The driver interrupts a running statement only when its context
		// ends: a deadline, or a client that went away (see Interrupted).
		return "the database did not answer in time"
	}
	return ""
}

func postgresProblem(err error) string {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return "cannot connect to PostgreSQL"
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.Timeout(err) {
			return "PostgreSQL did not answer in time"
		}
		return ""
	}
	switch {
	case pe.Code == "53100":
		return "disk full on the PostgreSQL server"
	case pe.Code == "53300":
		return "PostgreSQL has no connection slots left (too many connections)"
	case pe.Code == "25006":
		return "PostgreSQL is read-only (a standby, or default_transaction_read_only)"
	case len(pe.Code) == 5 && (pe.Code[:2] == "08" || pe.Code[:2] == "53" || pe.Code[:2] == "57"):
		return "PostgreSQL is unavailable (" + pe.Code + ": " + pe.Message + ")"
	}
	return ""
}

// UnstorableText reports whether err is PostgreSQL refusing text it cannot
// store (a NUL byte, or bytes invalid in UTF-8): a mistake in the input that
// slipped past a form's checks, to be answered 400, not 500.
func UnstorableText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}

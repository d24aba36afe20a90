// Package database opens Accord's storage — an embedded SQLite file by
// default, PostgreSQL in production — and keeps its schema current.
//
// It imports nothing from Accord at run time: migrations are SQL; its
// tests compare them with the models of survey and its leaf packages.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names as reported by gorm's Dialector.Name().
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DefaultSQLiteFile is the database used when no URL is configured.
const DefaultSQLiteFile = "accord.db"

// Target is a parsed database URL.
type Target struct {
	Dialect string
	DSN     string // driver-specific connection string
	Path    string // SQLite: the database file; empty for PostgreSQL
	// MaxConns bounds the PostgreSQL connections this pool opens
	// (ACCORD_DB_MAX_CONNS); 0: DefaultMaxConns. SQLite always uses one.
	MaxConns int
}

// DefaultMaxConns is a process's PostgreSQL connection budget when
// ACCORD_DB_MAX_CONNS is not set: ten replicas fit in PostgreSQL's default
// 100 connections with room for maintenance sessions.
const DefaultMaxConns = 10

// MinMaxConns is the smallest budget a server can run on: requests, the
// scheduler and the job queue each need connections of their own.
const MinMaxConns = 4

// SplitConns divides a process's connection budget between requests and
// the scheduler (web) and the job queue (jobs): the mail worker can never
// take the connections that pages need, nor pages starve the worker.
func SplitConns(total int) (web, jobs int) {
	jobs = max(2, total/4)
	return total - jobs, jobs
}

// SetMaxConns changes the size of db's PostgreSQL pool.
func SetMaxConns(db *gorm.DB, n int) {
	if sqlDB, err := db.DB(); err == nil && db.Dialector.Name() == Postgres {
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
	}
}

// ParseURL turns an ACCORD_DATABASE_URL value into a Target. Accepted forms:
// "" (SQLite file accord.db), "sqlite:PATH", "sqlite://PATH", "file:PATH",
// "postgres://…" and "postgresql://…".
func ParseURL(raw string) (Target, error) {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return Target{Dialect: SQLite, DSN: sqliteDSN(DefaultSQLiteFile), Path: DefaultSQLiteFile}, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil {
			return Target{}, fmt.Errorf("not a valid PostgreSQL URL: %w", err)
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return Target{}, errors.New("PostgreSQL URL has no host (expected postgres://user@host:5432/dbname)")
		}
		return Target{Dialect: Postgres, DSN: raw}, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return sqliteTarget(strings.TrimPrefix(raw, "sqlite://"))
	case strings.HasPrefix(raw, "sqlite:"):
		return sqliteTarget(strings.TrimPrefix(raw, "sqlite:"))
	case strings.HasPrefix(raw, "file:"):
		return sqliteTarget(strings.TrimPrefix(raw, "file:"))
	}
	return Target{}, fmt.Errorf("unsupported database URL %q (expected empty, sqlite:PATH or postgres://…)", redact(raw))
}

func sqliteTarget(path string) (Target, error) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return Target{}, errors.New("SQLite URL must not carry options; Accord sets its own pragmas")
	}
	if path == "" {
		return Target{}, errors.New("SQLite URL has no file path (expected sqlite:PATH)")
	}
	return Target{Dialect: SQLite, DSN: sqliteDSN(path), Path: path}, nil
}

// sqliteDSN adds the pragmas Accord relies on: WAL so readers never block the
// writer, a busy timeout instead of immediate SQLITE_BUSY, foreign keys, and
// IMMEDIATE transactions so a read-then-write transaction cannot deadlock,
// and secure_delete so that what is deleted or overwritten (a shown
// development email's link, an old row version) is zeroed in the file
// instead of lingering in free pages for a file copy to read.
//
// The driver (modernc.org/sqlite's C translated to Go, through
// github.com/glebarez/sqlite) writes every bound time.Time as
// "2006-01-02 15:04:05.999999999-07:00", the format SQLite's own date
// functions read; migration 23 rewrote the times that the earlier driver
// had stored in RFC 3339, since SQLite compares times as text. That is the
// driver's default: "_time_format=sqlite" names the same format, and would
// make this driver ignore the _txlock after it.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)" +
		"&_pragma=foreign_keys(on)&_pragma=synchronous(normal)&_pragma=secure_delete(on)&_txlock=immediate"
}

// redact hides a password in a URL before it is shown in an error.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Open connects to the target and checks that it answers.
func Open(ctx context.Context, t Target, log *slog.Logger) (*gorm.DB, error) {
	var dialector gorm.Dialector
	switch t.Dialect {
	case SQLite:
		dialector = sqlite.Open(t.DSN)
	case Postgres:
		dialector = postgres.Open(withCustomPlans(t.DSN))
	default:
		return nil, fmt.Errorf("unknown dialect %q", t.Dialect)
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		// SQLite compares times as text: everything is stored in UTC so
		// that comparisons are right on both databases.
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
		TranslateError:                           true,
		Logger:                                   newLogger(log),
		DisableForeignKeyConstraintWhenMigrating: false,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", t.Dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", t.Dialect, err)
	}
	if t.Dialect == SQLite {
		// One connection: SQLite has a single writer anyway, and River's
		// SQLite driver requires it. Code inside a transaction must use only
		// the transaction handle or it will wait for itself.
		sqlDB.SetMaxOpenConns(1)
	} else {
		n := t.MaxConns
		if n <= 0 {
			n = DefaultMaxConns
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", t.Dialect, err)
	}
	return db, nil
}

// withCustomPlans asks PostgreSQL to plan every execution of a prepared
// statement for its parameters (plan_cache_mode=force_custom_plan), unless
// the URL already sets plan_cache_mode. The driver prepares each statement
// once per pooled connection, and after five executions PostgreSQL may keep
// one generic plan for it, costed on the table as it was then. Only an
// ANALYZE replaces that plan, and none comes while autovacuum is off or
// before it first runs: a respondent's lookup planned while responses was
// nearly empty went on scanning the whole table as it grew, and a load test
// fell from 547 to 80 respondents a second on one server. Planning these
// short statements costs microseconds; a stale plan costs a full scan.
func withCustomPlans(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Query().Has("plan_cache_mode") {
		return dsn
	}
	q := u.Query()
	q.Set("plan_cache_mode", "force_custom_plan")
	u.RawQuery = q.Encode()
	return u.String()
}

// Close closes the connection pool behind db.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// newLogger routes GORM's slow-query and error logs to slog; ordinary queries
// are not logged.
func newLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	cfg := logger.Config{
		SlowThreshold:             slowQuery,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	}
	return onlyLogged{Interface: logger.NewSlogLogger(log, cfg), log: log}
}

// slowQuery is how long a statement may take before it is logged.
const slowQuery = 500 * time.Millisecond

// onlyLogged renders a statement's SQL only when it logs it (GORM's slog
// logger renders every statement's SQL before deciding, which on the
// respondent path cost more than some queries), and logs one short line a
// person can read: a batch insert's thousands of placeholders become a
// count of rows.
type onlyLogged struct {
	logger.Interface
	log *slog.Logger
}

// ParamsFilter keeps the values out of a logged statement, which GORM
// would otherwise write into its SQL (ParameterizedQueries is lost on the
// embedded logger, whose methods this type does not promote): a slow batch
// insert of responses or answers would log respondents' attributes and
// comments, and its rows could not be told apart to be counted.
func (onlyLogged) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// A statement cancelled by its caller (shutdown, a client that went away)
// is not an error of the database: the caller has the error and decides.
func (l onlyLogged) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	failed := err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled)
	elapsed := time.Since(begin)
	if !failed && elapsed <= slowQuery {
		return
	}
	sql, rows := fc()
	attrs := []any{"elapsed", elapsed.Round(time.Millisecond), "rows", rows, "sql", ShortSQL(sql)}
	if failed {
		l.log.ErrorContext(ctx, "SQL statement failed", append(attrs, "err", err)...)
		return
	}
	l.log.WarnContext(ctx, "slow SQL statement", attrs...)
}

// maxLoggedSQL bounds the SQL text of one log line.
const maxLoggedSQL = 240

// ShortSQL makes a statement fit one readable log line: whitespace
// collapsed, a multi-row VALUES list shown as its first row and the number
// of rows, the rest cut at maxLoggedSQL characters with the number left out.
func ShortSQL(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if i := strings.Index(strings.ToUpper(sql), " VALUES ("); i >= 0 {
		start := i + len(" VALUES ")
		if end := strings.IndexByte(sql[start:], ')'); end >= 0 {
			first := sql[start : start+end+1]
			rest := sql[start+end+1:]
			n := 1
			for strings.HasPrefix(rest, ","+first) || strings.HasPrefix(rest, ", "+first) {
				rest = strings.TrimPrefix(strings.TrimPrefix(rest, ","), " ")[len(first):]
				n++
			}
			if n > 1 {
				sql = sql[:start] + first + fmt.Sprintf(" …(%d rows)", n) + rest
			}
		}
	}
	if len(sql) > maxLoggedSQL {
		cut := maxLoggedSQL
		for cut > 0 && !utf8.RuneStart(sql[cut]) {
			cut--
		}
		sql = sql[:cut] + fmt.Sprintf("… (%d more bytes)", len(sql)-cut)
	}
	return sql
}

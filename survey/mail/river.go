package mail

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// queue is the River queue mail jobs run on.
const queue = "mail"

// sendArgs is a delivery job. It carries only the message's row id: the
// body and its personal link stay in the outbox row, never in the job queue.
type sendArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind names the job type in River's tables.
func (sendArgs) Kind() string { return "accord_mail_send" }

// InsertOpts puts deliveries on the mail queue.
func (sendArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: queue} }

// driver picks River's database/sql driver for the dialect behind db. Both
// share the *sql.Tx transaction type, so one client type serves both.
func driver(db *gorm.DB) (riverdriver.Driver[*sql.Tx], error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	switch name := db.Dialector.Name(); name {
	case "sqlite":
		return riversqlite.New(sqlDB), nil
	case "postgres":
		return riverdatabasesql.New(sqlDB), nil
	default:
		return nil, fmt.Errorf("mail: no job queue driver for %s", name)
	}
}

// Migrate creates or updates River's job tables. It is safe to run from
// several processes at once: on PostgreSQL an advisory lock held on one
// pinned connection serialises them.
func Migrate(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
	drv, err := driver(db)
	if err != nil {
		return err
	}
	migrator, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return fmt.Errorf("mail: job queue migrations: %w", err)
	}
	if db.Dialector.Name() == "postgres" {
		unlock, err := advisoryLock(ctx, db, 7426003)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("mail: job queue migrations: %w", err)
	}
	return nil
}

// advisoryLock takes a session-level PostgreSQL advisory lock on a
// connection taken out of the pool for the purpose, so the lock and its
// release happen on the same session.
func advisoryLock(ctx context.Context, db *gorm.DB, key int64) (unlock func(), err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: lock for migrations: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		conn.Close()
		return nil, fmt.Errorf("mail: lock for migrations: %w", err)
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		conn.Close()
	}, nil
}

// newRiverClient configures the job queue client that inserts and works
// delivery jobs for o.
func newRiverClient(o *Outbox, opts Options) (*river.Client[*sql.Tx], error) {
	drv, err := driver(opts.DB)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &sendWorker{o: o}); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	jobTimeout := cmp.Or(opts.JobTimeout, DefaultJobTimeout)
	client, err := river.NewClient(drv, &river.Config{
		Queues:      map[string]river.QueueConfig{queue: {MaxWorkers: cmp.Or(opts.Workers, DefaultWorkers)}},
		Workers:     workers,
		MaxAttempts: cmp.Or(opts.MaxAttempts, DefaultMaxAttempts),
		JobTimeout:  jobTimeout,
		// A job may run its timeout and then keep retrying its mark: only
		// after both may another process take it over.
		RescueStuckJobsAfter: cmp.Or(opts.RescueAfter, jobTimeout+cmp.Or(opts.MarkTimeout, DefaultMarkTimeout)+time.Minute),
		RetryPolicy:          opts.RetryPolicy,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        opts.FetchCooldown,
		Logger:               quiet(opts.Log),
	})
	if err != nil {
		return nil, fmt.Errorf("mail: job queue client: %w", err)
	}
	return client, nil
}

// quiet keeps River's routine chatter (leader elections, queue starts) out
// of the process log: only its warnings and errors pass.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		log = slog.Default()
	}
	return slog.New(minLevel{log.Handler(), slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

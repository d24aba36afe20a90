package mail

import (
	"accord/survey/database"
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// Defaults for Options.
const (
	DefaultWorkers     = 100 // deliveries one process claims at once (they share DefaultSMTPConns connections)
	DefaultMaxAttempts = 12  // with River's attempt⁴-second backoff: retries spread over about 11 hours
	DefaultJobTimeout  = time.Minute
	DefaultMarkTimeout = 2 * time.Minute
)

// Options configure an Outbox.
type Options struct {
	DB     *gorm.DB
	Sender Sender
	Log    *slog.Logger
	// Host goes into generated Message-IDs (the host of ACCORD_BASE_URL).
	Host string
	// Workers is how many deliveries one process claims at once; they
	// share the sender's connections (SMTPConfig.Conns).
	Workers int
	// MaxAttempts is how often a temporary failure is retried before the
	// message is marked failed.
	MaxAttempts int
	// JobTimeout bounds one delivery attempt, waiting for the rate limit included.
	JobTimeout time.Duration
	// RescueAfter is how long a delivery may appear to run before another
	// process takes it over (its process died). Zero: JobTimeout plus a margin.
	RescueAfter time.Duration
	// RetryPolicy spaces the retries; nil keeps River's attempt⁴ seconds.
	RetryPolicy river.ClientRetryPolicy
	// PollInterval is how often an idle worker looks for new messages (default 1s).
	PollInterval time.Duration
	// MarkTimeout is how long the worker keeps retrying, through database
	// errors, to record that a message was sent (default DefaultMarkTimeout).
	MarkTimeout time.Duration
	// FetchCooldown is the shortest time between two fetches of work (River's
	// default 100ms). With Workers it bounds throughput: at most Workers
	// messages are claimed per fetch.
	FetchCooldown time.Duration
}

// Outbox is the durable outbox: Enqueue writes messages and their delivery
// jobs in the caller's transaction; Start runs the worker that sends them.
// Several processes may run workers over one PostgreSQL database: each
// message is delivered by one of them.
type Outbox struct {
	db     *gorm.DB
	sender Sender
	log    *slog.Logger
	host   string
	river  *river.Client[*sql.Tx]

	markTimeout time.Duration
	// accepted holds the ids of messages the server accepted whose "sent"
	// mark could not be stored yet: their jobs retry the mark, never the send.
	accepted sync.Map
}

var _ Enqueuer = (*Outbox)(nil)

// New builds an outbox on opts.DB, whose River tables must exist (Migrate).
func New(opts Options) (*Outbox, error) {
	if opts.DB == nil || opts.Sender == nil {
		return nil, errors.New("mail: New needs a database and a sender")
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Host == "" {
		opts.Host = "localhost"
	}
	o := &Outbox{db: opts.DB, sender: opts.Sender, log: opts.Log, host: opts.Host,
		markTimeout: cmp.Or(opts.MarkTimeout, DefaultMarkTimeout)}
	client, err := newRiverClient(o, opts)
	if err != nil {
		return nil, err
	}
	o.river = client
	return o, nil
}

// Start runs the worker until ctx is cancelled or Stop is called.
func (o *Outbox) Start(ctx context.Context) error {
	if err := o.river.Start(ctx); err != nil {
		return fmt.Errorf("mail: start worker: %w", err)
	}
	return nil
}

// Stop lets deliveries in progress finish (until ctx ends, then cancels
// them) and closes the sender's connections.
func (o *Outbox) Stop(ctx context.Context) error {
	err := o.river.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		err = o.river.StopAndCancel(cctx)
	}
	if c, ok := o.sender.(io.Closer); ok {
		err = errors.Join(err, c.Close())
	}
	if err != nil {
		return fmt.Errorf("mail: stop worker: %w", err)
	}
	return nil
}

// Enqueue stores msgs as pending and schedules their delivery, inside tx:
// if the caller's transaction rolls back, nothing is sent. tx must be a
// transaction (inside db.Transaction). Each message gets a stable
// Message-ID if it has none.
func (o *Outbox) Enqueue(ctx context.Context, tx *gorm.DB, msgs ...*Message) error {
	if len(msgs) == 0 {
		return nil
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return errors.New("mail: Enqueue must be called inside a transaction (db.Transaction)")
	}
	for _, m := range msgs {
		if err := o.prepare(m); err != nil {
			return err
		}
	}
	n, err := database.BatchOf(tx, &Message{})
	if err != nil {
		return err
	}
	if err := tx.WithContext(ctx).CreateInBatches(msgs, n).Error; err != nil {
		return fmt.Errorf("mail: store messages: %w", err)
	}
	params := make([]river.InsertManyParams, len(msgs))
	for i, m := range msgs {
		params[i] = river.InsertManyParams{Args: sendArgs{MessageID: m.ID}}
	}
	for start := 0; start < len(params); start += insertBatch {
		end := min(start+insertBatch, len(params))
		if _, err := o.river.InsertManyFastTx(ctx, sqlTx, params[start:end]); err != nil {
			return fmt.Errorf("mail: schedule delivery: %w", err)
		}
	}
	return nil
}

// insertBatch is how many delivery jobs go to River at once.
const insertBatch = 500

// EnqueueNow is Enqueue in a transaction of its own, for callers with no
// domain write to tie the messages to.
func (o *Outbox) EnqueueNow(ctx context.Context, msgs ...*Message) error {
	return o.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return o.Enqueue(ctx, tx, msgs...)
	})
}

// prepare checks a message before it is stored and fills in its defaults.
func (o *Outbox) prepare(m *Message) error {
	if m.ID != 0 {
		return fmt.Errorf("mail: message to %s is already stored (id %d)", m.To, m.ID)
	}
	if m.Kind == "" || m.To == "" || m.Subject == "" || m.Text == "" {
		return fmt.Errorf("mail: message to %q needs a kind, a recipient, a subject and a text body", m.To)
	}
	if m.MessageID == "" {
		m.MessageID = o.NewMessageID(m.Kind)
	}
	m.MessageID = strings.Trim(m.MessageID, "<>")
	m.Status, m.Attempts, m.LastError, m.SentAt = StatusPending, 0, "", nil
	return nil
}

// NewMessageID returns a fresh random Message-ID (without angle brackets)
// for a message of kind. It names no invitation: it stays in the outbox
// and in the development outbox after the recipient is forgotten, and
// would otherwise say whose invitation a reminder was for.
func (o *Outbox) NewMessageID(kind string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return kind + "-" + hex.EncodeToString(b) + "@" + o.host
}

package mailtest

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"accord/survey/mail"
)

// FixedRetry retries after the same short delay every time, so tests of
// retries finish quickly.
type FixedRetry time.Duration

// NextRetry implements river.ClientRetryPolicy.
func (d FixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(d)) }

// Options returns outbox options tuned for tests: quick polling and quick
// retries, logs discarded.
func Options(db *gorm.DB, sender mail.Sender) mail.Options {
	return mail.Options{
		DB: db, Sender: sender, Host: "accord.test",
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		PollInterval: 100 * time.Millisecond,
		RetryPolicy:  FixedRetry(200 * time.Millisecond),
		MaxAttempts:  5,
	}
}

// NewOutbox migrates the job queue tables of db and returns an outbox that
// is not started (Enqueue works; nothing is sent until StartOutbox).
func NewOutbox(tb testing.TB, opts mail.Options) *mail.Outbox {
	tb.Helper()
	if err := mail.Migrate(context.Background(), opts.DB, opts.Log); err != nil {
		tb.Fatal(err)
	}
	o, err := mail.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return o
}

// StartOutbox starts o's worker and stops it when tb ends.
func StartOutbox(tb testing.TB, o *mail.Outbox) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := o.Start(ctx); err != nil {
		cancel()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		o.Stop(sctx)
		cancel()
	})
}

// DevOutbox returns a started outbox that delivers into the development
// outbox table (dev_mails) of db: for tests of code that sends mail.
func DevOutbox(tb testing.TB, db *gorm.DB) *mail.Outbox {
	tb.Helper()
	return DevOutboxLogging(tb, db, io.Discard)
}

// DevOutboxLogging is DevOutbox writing the operator's log (where survey
// links go instead of the database) to w, which must be safe for
// concurrent use (see Log).
func DevOutboxLogging(tb testing.TB, db *gorm.DB, w io.Writer) *mail.Outbox {
	tb.Helper()
	opts := Options(db, &mail.DevSender{DB: db, Log: slog.New(slog.NewTextHandler(w, nil))})
	o := NewOutbox(tb, opts)
	StartOutbox(tb, o)
	return o
}

// Log collects log output from several goroutines.
type Log struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Write implements io.Writer.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything written so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// MailpitOutbox starts a Mailpit for tb and returns it with a started
// outbox of db that delivers into it over SMTP, as production sends.
func MailpitOutbox(tb testing.TB, db *gorm.DB) (*mail.Outbox, *Mailpit) {
	tb.Helper()
	mp := Start(tb)
	smtpURL, err := url.Parse(mp.SMTPURL())
	if err != nil {
		tb.Fatal(err)
	}
	settings, err := mail.ParseSMTPURL(smtpURL)
	if err != nil {
		tb.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: settings, From: "Accord <accord@accord.test>"})
	if err != nil {
		tb.Fatal(err)
	}
	o := NewOutbox(tb, Options(db, sender))
	StartOutbox(tb, o)
	return o, mp
}

// WaitSettled polls until no message in db is pending and returns the
// messages, failing tb after timeout.
func WaitSettled(tb testing.TB, db *gorm.DB, timeout time.Duration) []mail.Message {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var pending int64
		if err := db.Model(&mail.Message{}).Where("status = ?", mail.StatusPending).Count(&pending).Error; err != nil {
			tb.Fatal(err)
		}
		if pending == 0 {
			var ms []mail.Message
			if err := db.Order("id").Find(&ms).Error; err != nil {
				tb.Fatal(err)
			}
			return ms
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages still pending after %s", pending, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

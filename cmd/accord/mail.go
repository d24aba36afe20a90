package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"accord/survey/mail"
	"accord/survey/notify"
)

// newOutbox builds the mail outbox: SMTP when ACCORD_SMTP_URL is set,
// otherwise the development outbox at /dev/mail. It does not start sending.
// db is the job queue's pool (its share of ACCORD_DB_MAX_CONNS).
func newOutbox(cfg Config, db *gorm.DB, log *slog.Logger) (*mail.Outbox, error) {
	var sender mail.Sender = &mail.DevSender{DB: db, Log: log}
	opts := mail.Options{DB: db, Log: log, Host: cfg.BaseURL.Hostname()}
	if cfg.SMTPURL != nil {
		s, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: cfg.SMTP, From: cfg.MailFrom, Rate: cfg.SMTPRate, Log: log})
		if err != nil {
			return nil, fmt.Errorf("ACCORD_SMTP_URL: %w", err)
		}
		sender = s
		if cfg.SMTPRate > 0 {
			// A delivery waits its turn under the rate limit; give it the
			// time to do so on top of the normal timeout.
			wait := time.Duration(float64(mail.DefaultWorkers) / cfg.SMTPRate * float64(time.Second))
			opts.JobTimeout = mail.DefaultJobTimeout + wait
		}
	}
	// Slack and Teams posts share the outbox; they go to the
	// organisation's webhook whatever carries the email.
	opts.Sender = notify.WithChat(sender, &notify.Webhooks{DB: db})
	return mail.New(opts)
}

// startMail builds the outbox and starts its worker. stop lets deliveries
// in progress finish and must run before the database is closed.
func startMail(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger) (*mail.Outbox, func(context.Context) error, error) {
	outbox, err := newOutbox(cfg, db, log)
	if err != nil {
		return nil, nil, err
	}
	// The worker outlives ctx (cancelled at SIGTERM) so that stop can let
	// deliveries in progress finish after the HTTP server has drained.
	if err := outbox.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, nil, err
	}
	if cfg.SMTPURL == nil {
		log.Info("mail goes to the development outbox at /dev/mail (set ACCORD_SMTP_URL to send real email)")
	} else {
		log.Info("mail goes out over SMTP", "server", cfg.SMTPURL.Redacted(), "rate_per_second", cfg.SMTPRate)
	}
	return outbox, outbox.Stop, nil
}

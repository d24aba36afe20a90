package main

import (
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // schedules name IANA zones; minimal images have no zone files

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/mail"
)

// schedulerInterval is how often serve looks for rounds to plan, open,
// remind and close: a round opens at most this late.
const schedulerInterval = 30 * time.Second

// startScheduler builds the round scheduler on the outbox and runs its loop
// until ctx ends or stop is called; stop returns when the loop has ended, so
// call it before the outbox and the database close. Every replica runs the
// loop: each step is claimed in the database, never done twice.
func startScheduler(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger, enq mail.Enqueuer) (*survey.Scheduler, func(), error) {
	s, err := survey.NewScheduler(db, enq, cfg.BaseURL, log)
	if err != nil {
		return nil, nil, err
	}
	// Closing a round computes its dashboard rollups in the same transaction.
	s.OnClose = analytics.ComputeOnClose
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScheduler(ctx, s, schedulerInterval, time.Now, log)
	}()
	return s, func() { cancel(); <-done }, nil
}

// runScheduler calls Tick at once and then every interval until ctx ends.
// A failed tick is logged and retried at the next: its transactions rolled
// back, so nothing is half done.
func runScheduler(ctx context.Context, s *survey.Scheduler, interval time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx, now()); err != nil && ctx.Err() == nil {
			log.Error("round scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

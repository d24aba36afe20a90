package main

import (
	analyticsweb "accord/analytics/web"
	"context"
	"log/slog"
	"time"
	_ "time/tzdata" // schedules name IANA zones; minimal images have no zone files

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/notify"
)

// schedulerInterval is how often serve looks for rounds to plan, open,
// remind and close: a round opens at most this late.
const schedulerInterval = 30 * time.Second

// schedulerTickTimeout bounds one tick, so that a stalled database cannot
// hold the loop: the tick's transactions roll back and the next tick tries
// again. Opening a round for 10,000 people takes about 2 s.
const schedulerTickTimeout = time.Minute

// startScheduler builds the round scheduler on the outbox and runs its loop
// until ctx ends or stop is called; stop returns when the loop has ended, so
// call it before the outbox and the database close. Every replica runs the
// loop: each step is claimed in the database, never done twice.
func startScheduler(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger, enq mail.Enqueuer, emails *notify.Emails) (*survey.Scheduler, func(), error) {
	s, err := survey.NewScheduler(db, enq, emails, cfg.BaseURL, log)
	if err != nil {
		return nil, nil, err
	}
	// Closing a round computes its dashboard rollups and posts its headline
	// to the organisation's chat webhooks, in the same transaction.
	s.OnClose = analyticsweb.CloseHook(enq, emails, cfg.BaseURL)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScheduler(ctx, s, schedulerInterval, schedulerTickTimeout, time.Now, log)
	}()
	return s, func() { cancel(); <-done }, nil
}

// runScheduler calls Tick at once and then every interval until ctx ends,
// each tick bounded by timeout. A failed tick is logged and retried at the
// next: its transactions rolled back, so nothing is half done.
func runScheduler(ctx context.Context, s *survey.Scheduler, interval, timeout time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		tctx, cancel := context.WithTimeout(ctx, timeout)
		err := s.Tick(tctx, now())
		cancel()
		if err != nil && ctx.Err() == nil {
			log.Error("round scheduler", "problem", database.Problem(err), "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

package main

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey/database"
)

// rollupInterval is how often serve looks for open rounds whose rollups
// are due: with rollupMaxAge, a new response reaches the dashboard within
// analytics.OpenRefresh (plus the computation), and requests never compute
// an open round's rollups themselves.
const rollupInterval = 15 * time.Second

// rollupMaxAge is how old an open round's rollups may be at a tick before
// they are recomputed.
const rollupMaxAge = analytics.OpenRefresh - rollupInterval

// rollupTickTimeout bounds one tick of the rollup loop.
const rollupTickTimeout = 5 * time.Minute

// startRollups runs the open rounds' rollup loop until ctx ends or stop is
// called; stop returns when the loop has ended. Every replica runs it:
// analytics.Refresh locks per organisation, so one computes and the other
// finds the work done.
func startRollups(ctx context.Context, db *gorm.DB, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runRollups(ctx, db, rollupInterval, rollupMaxAge, rollupTickTimeout, time.Now, log)
	}()
	return func() { cancel(); <-done }
}

// runRollups refreshes the open rounds' rollups every interval until ctx
// ends (the first tick after one interval, so that a start does not wait
// for it). A failed tick is logged and retried at the next.
func runRollups(ctx context.Context, db *gorm.DB, interval, maxAge, timeout time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tctx, cancel := context.WithTimeout(ctx, timeout)
		err := analytics.RefreshOpen(tctx, db, now(), maxAge)
		cancel()
		if err != nil && ctx.Err() == nil {
			log.Error("open rounds' rollups", "problem", database.Problem(err), "err", err)
		}
	}
}

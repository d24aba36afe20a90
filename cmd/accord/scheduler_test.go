package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
)

// TestSchedulerLoopTicksAtStartAndStops: the loop opens a due round at
// once, keeps ticking, and returns promptly when its context ends.
func TestSchedulerLoopTicksAtStartAndStops(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	sched := dueSchedule(t, db, now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScheduler(lctx, sched, time.Hour, time.Minute, func() time.Time { return now }, log)
	}()
	waitInvitations(t, db, 10*time.Second)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not stop when its context ended")
	}
}

// TestSchedulerLoopGivesUpOnAStalledDatabaseAndRecovers: with PostgreSQL
// stalled, a tick ends at its deadline with a log line that says what is
// wrong, instead of holding the loop; once the database answers again, the
// next tick opens the due round.
func TestSchedulerLoopGivesUpOnAStalledDatabaseAndRecovers(t *testing.T) {
	target, proxy := databasetest.Proxied(t, databasetest.Target(t, database.Postgres))
	db := databasetest.OpenTarget(t, target)
	if _, err := database.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	sched := dueSchedule(t, db, now)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	proxy.Stall()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go runScheduler(ctx, sched, 500*time.Millisecond, time.Second, func() time.Time { return now }, log)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "round scheduler") {
		if time.Now().After(deadline) {
			t.Fatalf("no tick ended while the database was stalled; log:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "did not answer in time") {
		t.Errorf("the log does not say the database did not answer: %s", logs.String())
	}
	proxy.Restore()
	waitInvitations(t, db, 20*time.Second)
}

// dueSchedule makes an organisation of one person with a schedule whose
// first round is due at now, and a scheduler on db.
func dueSchedule(t *testing.T, db *gorm.DB, now time.Time) *survey.Scheduler {
	t.Helper()
	ctx := context.Background()
	org := &survey.Organisation{Slug: "acme", Name: "Acme", MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(t, db.Create(org).Error)
	databasetest.Must(t, db.Create(&roster.Person{OrgID: org.ID, Email: "sam@acme.test", Function: roster.FunctionSales}).Error)
	s := &survey.Schedule{}
	form := survey.ScheduleForm{Cadence: survey.CadenceMonthly, StartDate: "2026-03-02", SendTime: "09:00", TimeZone: "Europe/Berlin", WindowDays: "7", Active: true}
	if errs := form.Parse(s); len(errs) > 0 {
		t.Fatal(errs)
	}
	databasetest.Must(t, survey.SaveSchedule(ctx, db, org, s, now))

	outbox := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), &url.URL{Scheme: "http", Host: "accord.test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	databasetest.Must(t, err)
	return sched
}

// waitInvitations waits until the due round's one invitation is queued.
func waitInvitations(t *testing.T, db *gorm.DB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int64
		db.Model(&mail.Message{}).Where("kind = ?", mail.KindInvitation).Count(&n)
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d invitations %s after the loop started; want 1", n, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// TestSchedulerLoopTicksAtStartAndStops: the loop opens a due round at
// once, keeps ticking, and returns promptly when its context ends.
func TestSchedulerLoopTicksAtStartAndStops(t *testing.T) {
	db := databasetest.Open(t, database.SQLite)
	ctx := context.Background()
	org := &survey.Organisation{Slug: "acme", Name: "Acme", MinGroupSize: 5, CommentThreshold: 5}
	databasetest.Must(t, db.Create(org).Error)
	databasetest.Must(t, db.Create(&survey.Person{OrgID: org.ID, Email: "sam@acme.test", Function: survey.FunctionSales}).Error)
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	s := &survey.Schedule{}
	form := survey.ScheduleForm{Cadence: survey.CadenceMonthly, StartDate: "2026-03-02", SendTime: "09:00", TimeZone: "Europe/Berlin", WindowDays: "7", Active: true}
	if errs := form.Parse(s); len(errs) > 0 {
		t.Fatal(errs)
	}
	databasetest.Must(t, survey.SaveSchedule(ctx, db, org, s, now))

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	outbox := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	sched, err := survey.NewScheduler(db, outbox, &url.URL{Scheme: "http", Host: "accord.test"}, log)
	databasetest.Must(t, err)
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScheduler(lctx, sched, time.Hour, func() time.Time { return now }, log)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int64
		databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ?", mail.KindInvitation).Count(&n).Error)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d invitations 10 s after the loop started; want 1 from the first tick", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not stop when its context ended")
	}
}

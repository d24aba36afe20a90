package survey_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
)

// BenchmarkOpenRound10k opens a round for 10,000 people: invitations,
// tokens, rendered emails and their delivery jobs in the real outbox, in
// one transaction. (Sending is the outbox's work, measured there.)
func BenchmarkOpenRound10k(b *testing.B) {
	const people = 10_000
	for _, dialect := range databasetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			db := databasetest.Open(b, dialect)
			org := &survey.Organisation{Slug: "big", Name: "Big", MinGroupSize: 5, CommentThreshold: 5}
			databasetest.Must(b, db.Create(org).Error)
			staff := make([]roster.Person, people)
			for i := range staff {
				staff[i] = roster.Person{OrgID: org.ID, Email: fmt.Sprintf("p%05d@big.test", i), Function: roster.Functions[i%len(roster.Functions)], Active: true}
			}
			databasetest.Must(b, db.CreateInBatches(staff, 1000).Error)
			s := &survey.Schedule{}
			form := survey.ScheduleForm{Cadence: survey.CadenceWeekly, EveryWeeks: "1", StartDate: "2026-03-02", SendTime: "09:00", TimeZone: "UTC", WindowDays: "5", Active: false}
			if errs := form.Parse(s); len(errs) > 0 {
				b.Fatal(errs)
			}
			databasetest.Must(b, survey.SaveSchedule(ctx, db, org, s, time.Now()))
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			sched, err := survey.NewScheduler(db, mailtest.NewOutbox(b, mailtest.Options(db, &mail.DevSender{DB: db})),
				notifytest.Emails(b), &url.URL{Scheme: "https", Host: "accord.example"}, log)
			databasetest.Must(b, err)
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			k := 0
			for b.Loop() {
				b.StopTimer()
				k++
				r := survey.Round{OrgID: org.ID, InstrumentID: s.InstrumentID, Title: fmt.Sprint("round ", k), Status: survey.RoundScheduled,
					OpensAt: now, ClosesAt: now.Add(5 * 24 * time.Hour), ScheduleID: &s.ID, PeriodStart: now.AddDate(0, 0, 7*k)}
				databasetest.Must(b, db.Create(&r).Error)
				b.StartTimer()
				if ok, err := sched.OpenNow(ctx, org.ID, r.ID, now); err != nil || !ok {
					b.Fatalf("open: %v %v", ok, err)
				}
			}
			b.ReportMetric(float64(people)*float64(b.N)/b.Elapsed().Seconds(), "invitations/s")
		})
	}
}

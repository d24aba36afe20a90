package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// TestServeDemoSendsThroughTheOutbox checks that `serve --demo` treats the
// demo like a real organisation: every unanswered invitee of the open round
// gets an invitation through the outbox with a working personal link, once,
// and a monthly schedule takes over after the open round.
func TestServeDemoSendsThroughTheOutbox(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		cfg, err := LoadConfig(env(map[string]string{"ACCORD_BASE_URL": "https://accord.example.com"}))
		if err != nil {
			t.Fatal(err)
		}
		secret := databasetest.Secret
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard}
		open, err := m.demoIfEmpty(ctx, db, cfg, secret)
		if err != nil {
			t.Fatal(err)
		}
		var operatorLog mailtest.Log
		sched, err := survey.NewScheduler(db, mailtest.DevOutboxLogging(t, db, &operatorLog), cfg.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if err := m.demoSchedule(ctx, db, sched, open, now); err != nil {
			t.Fatal(err)
		}
		var invited int64
		db.Model(&survey.Invitation{}).Where("round_id = ?", open.ID).Count(&invited)
		answered, err := survey.Answered(ctx, db, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		unanswered := invited - int64(len(answered))
		msgs := mailtest.WaitSettled(t, db, 30*time.Second)
		if unanswered == 0 || int64(len(msgs)) != unanswered {
			t.Fatalf("%d emails for %d unanswered invitees", len(msgs), unanswered)
		}
		for _, msg := range msgs {
			if msg.Kind != mail.KindInvitation || msg.Status != mail.StatusSent {
				t.Fatalf("message %+v: want a sent invitation", msg)
			}
		}
		if !strings.Contains(out.String(), "Invitations for the open round: ") || !strings.Contains(out.String(), "Schedule: ") {
			t.Errorf("serve --demo output lacks the invitations and schedule lines:\n%s", out.String())
		}

		// The development outbox withholds survey links; the operator's
		// log has them, and a link taken from it opens the survey.
		mails, err := mail.DevMails(ctx, db, 1)
		if err != nil || len(mails) == 0 {
			t.Fatalf("development outbox: %v, %d mails", err, len(mails))
		}
		if !strings.Contains(mails[0].Text, mail.RespondentLinkWithheld) {
			t.Fatalf("the stored email keeps its survey link:\n%s", mails[0].Text)
		}
		links := mailtest.Links(operatorLog.String())
		if len(links) == 0 {
			t.Fatalf("no survey link in the operator's log:\n%s", operatorLog.String())
		}
		token := links[0][strings.LastIndex(links[0], "/")+1:]
		if _, err := survey.LoadSurvey(ctx, db, secret, token, now); err != nil {
			t.Fatalf("emailed link does not open the survey: %v", err)
		}

		// Sending again finds nobody left to email.
		if n, err := sched.SendLinks(ctx, open.OrgID, open.ID, now); err != nil || n != 0 {
			t.Fatalf("second SendLinks = %d, %v; want 0", n, err)
		}
		var schedules []survey.Schedule
		db.Where("org_id = ?", open.OrgID).Find(&schedules)
		if len(schedules) != 1 || !schedules[0].Active || !schedules[0].StartDate.After(open.ClosesAt) {
			t.Fatalf("schedules = %+v; want one active schedule starting after the open round closes (%s)", schedules, open.ClosesAt)
		}
	})
}

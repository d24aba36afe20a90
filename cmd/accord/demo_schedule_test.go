package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/secrets"
)

// TestServeDemoSendsThroughTheOutbox checks that `serve --demo` treats the
// demo like a real organisation: every unanswered invitee of the open round
// gets an invitation through the outbox, once, and the links printed for
// the newcomer are among the emailed ones (one set of links, not two).
func TestServeDemoSendsThroughTheOutbox(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		cfg, err := LoadConfig(env(map[string]string{"ACCORD_BASE_URL": "https://accord.example.com"}))
		databasetest.Must(t, err)
		secret := databasetest.Secret
		m := &Main{Stdout: io.Discard, Stderr: io.Discard}
		d, err := m.demoIfEmpty(ctx, db, cfg, secret)
		databasetest.Must(t, err)
		sched, err := survey.NewScheduler(db, mailtest.DevOutbox(t, db), notifytest.Emails(t), cfg.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		databasetest.Must(t, err)
		now := time.Now()
		databasetest.Must(t, sendDemoInvitations(ctx, sched, d, now))

		var invited int64
		db.Model(&survey.Invitation{}).Where("round_id = ?", d.Open.ID).Count(&invited)
		answered, err := survey.Answered(ctx, db, d.Open.ID)
		databasetest.Must(t, err)
		unanswered := invited - int64(len(answered))
		msgs := mailtest.WaitSettled(t, db, 30*time.Second)
		if unanswered == 0 || int64(len(msgs)) != unanswered || int64(d.Invited) != unanswered {
			t.Fatalf("%d emails (%d reported) for %d unanswered invitees", len(msgs), d.Invited, unanswered)
		}
		for _, msg := range msgs {
			if msg.Kind != mail.KindInvitation || msg.Status != mail.StatusSent {
				t.Fatalf("message %+v: want a sent invitation", msg)
			}
		}
		// The emails carry the invitations' own links: no second token
		// was made for anyone, so the printed links are emailed ones.
		var extra int64
		db.Model(&survey.InvitationToken{}).Count(&extra)
		if extra != 0 {
			t.Errorf("%d extra links made for the demo's invitations; the emails must carry the printed ones", extra)
		}
		if len(d.Links) != 5 {
			t.Fatalf("%d links to print, want 5", len(d.Links))
		}
		for _, token := range d.Links {
			var inv survey.Invitation
			databasetest.Must(t, db.Where("token_hash = ?", secrets.HashToken(token)).Take(&inv).Error)
			if _, done := answered[inv.ID]; inv.RoundID != d.Open.ID || inv.SentAt == nil || done {
				t.Errorf("printed link leads to invitation %+v; want an emailed, unanswered invitation of the open round", inv)
			}
			if _, err := survey.LoadSurvey(ctx, db, secret, token, now); err != nil {
				t.Errorf("printed link does not open the survey: %v", err)
			}
		}
		// Sending again finds nobody left to email; no reminder is due at
		// once although the round opened days ago.
		if n, err := sched.SendLinks(ctx, d.Org.ID, d.Open.ID, now); err != nil || n != 0 {
			t.Fatalf("second SendLinks = %d, %v; want 0", n, err)
		}
		databasetest.Must(t, sched.Tick(ctx, now))
		var reminders int64
		db.Model(&mail.Message{}).Where("kind = ?", mail.KindReminder).Count(&reminders)
		if reminders != 0 {
			t.Errorf("the first tick sent %d reminders on top of the invitations", reminders)
		}
		var planned int64
		db.Model(&survey.Round{}).Where("org_id = ? AND status = ? AND schedule_id = ?", d.Org.ID, survey.RoundScheduled, d.Schedule.ID).Count(&planned)
		if planned != 1 || d.Schedule.Cadence != survey.CadenceMonthly {
			t.Errorf("%d rounds planned by the %s schedule; want the next monthly one", planned, d.Schedule.Cadence)
		}
	})
}

// TestServeDemoPrintsOneBlock runs `serve --demo` twice on one database and
// once with only ACCORD_ADMIN_PASSWORD, as a newcomer would.
func TestServeDemoPrintsOneBlock(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "accord.db")
	_, out, stop := startServe(t, map[string]string{"ACCORD_DATABASE_URL": dbURL}, "--demo")
	databasetest.Must(t, stop())
	text := out.String()
	if n := strings.Count(text, "Accord is running at"); n != 1 || strings.Count(text, rule) != 2 {
		t.Fatalf("want one block, got %d:\n%s", n, text)
	}
	block := text[strings.Index(text, rule):]
	if strings.Index(text, "accord serving") > strings.Index(text, rule) {
		t.Errorf("the block comes before the start's log lines:\n%s", text)
	}
	for _, want := range []string{"/login\n  email     admin@localhost\n  password  ", "shown only this once",
		"accord user password --email admin@localhost", "Demo organisation: ", "200 people, 8 closed rounds",
		"Open round: Monthly alignment pulse – ", "invitations sent through the outbox", "Schedule: Monthly from "} {
		if !strings.Contains(block, want) {
			t.Errorf("block lacks %q:\n%s", want, block)
		}
	}
	if n := strings.Count(block, "/s/"); n != 5 {
		t.Errorf("%d respondent links in the block, want 5:\n%s", n, block)
	}

	_, out, stop = startServe(t, map[string]string{"ACCORD_DATABASE_URL": dbURL}, "--demo")
	databasetest.Must(t, stop())
	for _, want := range []string{"already holds 1 organisation(s), so --demo added nothing", "(the first admin is admin@localhost)",
		"accord user password --email admin@localhost"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("second start lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), "password  ") {
		t.Errorf("second start shows a password:\n%s", out)
	}
}

func TestAdminPasswordAloneUsesTheDefaultEmail(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "accord.db")
	_, out, stop := startServe(t, map[string]string{"ACCORD_DATABASE_URL": dbURL, "ACCORD_ADMIN_PASSWORD": "correct horse battery"})
	databasetest.Must(t, stop())
	if !strings.Contains(out.String(), "as admin@localhost with the password in ACCORD_ADMIN_PASSWORD") ||
		!strings.Contains(out.String(), "No organisations yet") {
		t.Fatalf("start with ACCORD_ADMIN_PASSWORD alone:\n%s", out)
	}
	target, err := database.ParseURL(dbURL)
	databasetest.Must(t, err)
	db, err := database.Open(context.Background(), target, nil)
	databasetest.Must(t, err)
	defer database.Close(db)
	if _, err := account.Authenticate(context.Background(), db, "admin@localhost", "correct horse battery"); err != nil {
		t.Fatalf("admin@localhost cannot log in with ACCORD_ADMIN_PASSWORD: %v", err)
	}
}

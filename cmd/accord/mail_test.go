package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

func TestLoadConfigMailDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(env(map[string]string{"ACCORD_BASE_URL": "https://accord.example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPRate != mail.DefaultRate || cfg.MailFrom != "Accord <accord@accord.example.com>" {
		t.Errorf("rate %v, from %q; want %d and Accord <accord@accord.example.com>", cfg.SMTPRate, cfg.MailFrom, mail.DefaultRate)
	}
	cfg, err = LoadConfig(env(map[string]string{
		"ACCORD_SMTP_URL":  "smtps://u:p@mail.example.com?insecure_skip_verify=true",
		"ACCORD_SMTP_RATE": "0",
		"ACCORD_MAIL_FROM": "Surveys <surveys@example.com>",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SMTP.ImplicitTLS || cfg.SMTP.Port != 465 || !cfg.SMTP.SkipVerify || cfg.SMTPRate != 0 || cfg.MailFrom != "Surveys <surveys@example.com>" {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestLoadConfigNamesBadMailVariables(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value, says string }{
		{"ACCORD_SMTP_RATE", "fast", "messages per second"},
		{"ACCORD_SMTP_RATE", "-1", "messages per second"},
		{"ACCORD_MAIL_FROM", "not an address", "not an address like"},
		{"ACCORD_SMTP_URL", "smtp://mail.example.com?tls=maybe", "tls=maybe"},
		{"ACCORD_SMTP_URL", "smtps://mail.example.com?tls=none", "contradicts smtps"},
		{"ACCORD_SMTP_URL", "smtp://mail.example.com:99999", "port"},
		{"ACCORD_SMTP_URL", "smtp://mail.example.com?starttls=yes", "unknown option"},
	}
	for _, tt := range tests {
		_, err := LoadConfig(env(map[string]string{tt.name: tt.value}))
		if err == nil || !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s=%s: error %v; want one naming the variable and saying %q", tt.name, tt.value, err, tt.says)
		}
	}
}

// TestStartMail sends through the outbox serve builds: to the SMTP server
// when one is configured, else to the development outbox with the link in
// the log.
func TestStartMail(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	tests := []struct {
		name string
		vars map[string]string
	}{
		{"smtp", map[string]string{"ACCORD_SMTP_URL": mp.SMTPURL(), "ACCORD_MAIL_FROM": "Accord <surveys@example.com>"}},
		{"dev outbox", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(env(tt.vars))
			if err != nil {
				t.Fatal(err)
			}
			db := databasetest.Open(t, "sqlite")
			if err := mail.Migrate(context.Background(), db, nil); err != nil {
				t.Fatal(err)
			}
			var logs syncBuffer
			outbox, stop, err := startMail(context.Background(), cfg, db, slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer stop(context.Background())
			link := "http://localhost:8080/s/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
			m := &mail.Message{Kind: mail.KindInvitation, To: "ana@example.com", Subject: "Survey", Text: "Your link: " + link + "\n"}
			if err := outbox.EnqueueNow(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			mailtest.WaitSettled(t, db, 20*time.Second)
			if cfg.SMTPURL != nil {
				got := mp.WaitFor(t, 1, 10*time.Second)
				if got[0].MessageID != m.MessageID || got[0].From.Address != "surveys@example.com" {
					t.Fatalf("mailpit got %+v", got[0])
				}
				return
			}
			dev, err := mail.DevMails(context.Background(), db, 10)
			if err != nil || len(dev) != 1 || strings.Contains(dev[0].Text, link) || !strings.Contains(dev[0].Text, mail.RespondentLinkWithheld) {
				t.Fatalf("development outbox = %+v, %v; want the message with its survey link withheld", dev, err)
			}
			if !strings.Contains(logs.String(), link) {
				t.Fatalf("log does not show the link:\n%s", logs.String())
			}
		})
	}
}

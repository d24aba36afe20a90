package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// testMessage is an invitation-like message whose body carries a personal link.
func testMessage(to string, i int) *mail.Message {
	link := fmt.Sprintf("http://accord.test/s/token%040d", i)
	return &mail.Message{
		Kind: mail.KindInvitation, To: to, Subject: fmt.Sprintf("Survey %d", i),
		Text: "Your personal link:\n" + link + "\n",
		HTML: `<p>Your personal link: <a href="` + link + `">answer the survey</a></p>`,
	}
}

// smtpSender returns a sender to the SMTP URL, without rate limit.
func smtpSender(t *testing.T, raw string) *mail.SMTPSender {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := mail.ParseSMTPURL(u)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTPSender(mail.SMTPConfig{Settings: settings, From: "Accord <accord@accord.test>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startOutbox runs an outbox on db that sends to mp.
func startOutbox(t *testing.T, db *gorm.DB, smtpURL string) *mail.Outbox {
	t.Helper()
	o := mailtest.NewOutbox(t, mailtest.Options(db, smtpSender(t, smtpURL)))
	mailtest.StartOutbox(t, o)
	return o
}

func TestRolledBackEnqueueSendsNothing(t *testing.T) {
	mp := mailtest.Start(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		mp.Clear(t)
		o := startOutbox(t, db, mp.SMTPURL())
		ctx := context.Background()
		boom := errors.New("the invitations could not be created")
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := o.Enqueue(ctx, tx, testMessage("a@example.com", 1), testMessage("b@example.com", 2)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("transaction = %v, want the caller's error", err)
		}
		// A message enqueued afterwards is delivered; had the rolled-back
		// ones survived, they would have gone out before it.
		marker := testMessage("c@example.com", 3)
		if err := o.EnqueueNow(ctx, marker); err != nil {
			t.Fatal(err)
		}
		mailtest.WaitSettled(t, db, 20*time.Second)
		got := mp.Messages(t)
		if len(got) != 1 || got[0].MessageID != marker.MessageID {
			t.Fatalf("mailpit holds %+v, want only the message to c@example.com", got)
		}
		var rows int64
		db.Model(&mail.Message{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d outbox rows, want 1: the rolled-back ones must not be stored", rows)
		}
	})
}

func TestEnqueueOutsideTransactionIsRefused(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	o := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	err := o.Enqueue(context.Background(), db, testMessage("a@example.com", 1))
	if err == nil || !strings.Contains(err.Error(), "transaction") {
		t.Fatalf("Enqueue outside a transaction = %v, want an error saying a transaction is needed", err)
	}
}

func TestDeliveredOnceWithTextHTMLAndStableMessageID(t *testing.T) {
	mp := mailtest.Start(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		mp.Clear(t)
		o := startOutbox(t, db, mp.SMTPURL())
		msgs := []*mail.Message{testMessage("a@example.com", 1), testMessage("b@example.com", 2), testMessage("c@example.com", 3)}
		msgs[2].MessageID = "reminder-7-2@accord.test" // a caller may choose its own
		if err := o.EnqueueNow(context.Background(), msgs...); err != nil {
			t.Fatal(err)
		}
		stored := mailtest.WaitSettled(t, db, 20*time.Second)
		got := mailtest.ByMessageID(mp.WaitFor(t, 3, 10*time.Second))
		for i, m := range stored {
			if got[m.MessageID] != 1 {
				t.Errorf("message %s delivered %d times, want once", m.MessageID, got[m.MessageID])
			}
			if m.Status != mail.StatusSent || m.SentAt == nil || m.Attempts != 1 {
				t.Errorf("row %d: status %s, sent at %v, attempts %d; want sent once", i, m.Status, m.SentAt, m.Attempts)
			}
			if m.Text != "" || m.HTML != "" {
				t.Errorf("row %d keeps its body after sending; the personal link must not stay in the database", i)
			}
			if m.MessageID != msgs[i].MessageID {
				t.Errorf("row %d Message-ID %q changed from %q set at Enqueue", i, m.MessageID, msgs[i].MessageID)
			}
		}
		if stored[2].MessageID != "reminder-7-2@accord.test" {
			t.Errorf("caller's Message-ID replaced by %q", stored[2].MessageID)
		}
		for _, s := range mp.Messages(t) {
			d := mp.Message(t, s.ID)
			if links := mailtest.Links(d.Text); len(links) != 1 {
				t.Errorf("text body %q: want one survey link", d.Text)
			}
			if links := mailtest.Links(d.HTML); len(links) != 1 {
				t.Errorf("HTML body %q: want one survey link", d.HTML)
			}
			if h := d.Headers["Message-Id"]; len(h) != 1 || h[0] != "<"+s.MessageID+">" {
				t.Errorf("Message-ID header %v, want <%s>", h, s.MessageID)
			}
			if len(d.To) != 1 || d.From.Address != "accord@accord.test" {
				t.Errorf("from %v to %v", d.From, d.To)
			}
		}
	})
}

func TestPermanentFailureIsRecordedWithoutRetry(t *testing.T) {
	// Mailpit refuses every recipient outside example.com with 550.
	mp := mailtest.Start(t, "--smtp-allowed-recipients", `@example\.com$`)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		mp.Clear(t)
		o := startOutbox(t, db, mp.SMTPURL())
		refused, invalid, good := testMessage("nobody@bounce.invalid", 1), testMessage("not an address", 2), testMessage("a@example.com", 3)
		if err := o.EnqueueNow(context.Background(), refused, invalid, good); err != nil {
			t.Fatal(err)
		}
		stored := mailtest.WaitSettled(t, db, 20*time.Second)
		tests := []struct {
			row        mail.Message
			status     string
			errorWords []string
		}{
			{stored[0], mail.StatusFailed, []string{"refused the address nobody@bounce.invalid", "550"}},
			{stored[1], mail.StatusFailed, []string{`"not an address" is not a valid email address`}},
			{stored[2], mail.StatusSent, nil},
		}
		t.Logf("LastError of a refused address: %q", stored[0].LastError)
		for _, tt := range tests {
			if tt.row.Status != tt.status || tt.row.Attempts != 1 {
				t.Errorf("%s: status %s after %d attempts, want %s after 1", tt.row.To, tt.row.Status, tt.row.Attempts, tt.status)
			}
			for _, w := range tt.errorWords {
				if !strings.Contains(tt.row.LastError, w) {
					t.Errorf("%s: LastError %q does not say %q", tt.row.To, tt.row.LastError, w)
				}
			}
		}
		if got := mp.Messages(t); len(got) != 1 {
			t.Errorf("mailpit holds %d messages, want the one good one", len(got))
		}
		failures, err := mail.FailuresForRound(context.Background(), db, 0)
		if err != nil || len(failures) != 0 {
			t.Errorf("FailuresForRound(0) = %v, %v; messages without a round belong to none", failures, err)
		}
	})
}

func TestTemporaryFailureIsRetriedAndDeliveredOnce(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		addr := mailtest.FreeAddr() // nothing listens here yet: the server is down
		o := startOutbox(t, db, "smtp://"+addr+"?tls=none")
		m := testMessage("a@example.com", 1)
		if err := o.EnqueueNow(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var row mail.Message
			if err := db.First(&row, m.ID).Error; err != nil {
				t.Fatal(err)
			}
			if row.Status != mail.StatusPending {
				t.Fatalf("status %s while the server is down, want pending", row.Status)
			}
			if row.LastError != "" {
				break // an attempt failed and was recorded
			}
			if time.Now().After(deadline) {
				t.Fatal("no failed attempt recorded while the SMTP server is down")
			}
			time.Sleep(20 * time.Millisecond)
		}
		mp := mailtest.StartAt(t, addr) // the server comes back
		stored := mailtest.WaitSettled(t, db, 20*time.Second)
		if stored[0].Status != mail.StatusSent || stored[0].Attempts < 2 || stored[0].LastError != "" {
			t.Fatalf("after the server came back: status %s, attempts %d, last error %q; want sent after a retry",
				stored[0].Status, stored[0].Attempts, stored[0].LastError)
		}
		if got := mailtest.ByMessageID(mp.Messages(t)); len(got) != 1 || got[m.MessageID] != 1 {
			t.Fatalf("mailpit holds %v, want %s once", got, m.MessageID)
		}
	})
}

func TestRetriesExhaustedMarkFailed(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		opts := mailtest.Options(db, smtpSender(t, "smtp://"+mailtest.FreeAddr()+"?tls=none")) // never comes up
		opts.MaxAttempts = 2
		o := mailtest.NewOutbox(t, opts)
		mailtest.StartOutbox(t, o)
		if err := o.EnqueueNow(context.Background(), testMessage("a@example.com", 1)); err != nil {
			t.Fatal(err)
		}
		stored := mailtest.WaitSettled(t, db, 20*time.Second)
		if m := stored[0]; m.Status != mail.StatusFailed || m.Attempts != 2 || !strings.HasPrefix(m.LastError, "Gave up after 2 attempts") {
			t.Fatalf("status %s after %d attempts, last error %q; want failed after 2 with the reason", m.Status, m.Attempts, m.LastError)
		}
	})
}

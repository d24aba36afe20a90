package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

// reminded enqueues an invitation to a@example.com and reminders to
// b@example.com (delivered) and nobody@bounce.invalid (refused), all for
// invitations, and returns the settled rows in that order.
func reminded(t *testing.T, db *gorm.DB, o *mail.Outbox) []mail.Message {
	t.Helper()
	msgs := []*mail.Message{testMessage("a@example.com", 1), testMessage("b@example.com", 2), testMessage("nobody@bounce.invalid", 3)}
	for i, m := range msgs {
		invitationID := int64(70 + i)
		m.InvitationID = &invitationID
		if i > 0 {
			m.Kind = mail.KindReminder
		}
	}
	databasetest.Must(t, o.EnqueueNow(context.Background(), msgs...))
	return mailtest.WaitSettled(t, db, 20*time.Second)
}

// TestRemindersForgetTheirRecipient: a reminder goes only to those who
// have not answered, so once delivered (or given up) its row names no
// address or invitation, in the outbox or the development outbox. An
// invitation keeps its recipient, for the rounds page.
func TestRemindersForgetTheirRecipient(t *testing.T) {
	mp := mailtest.Start(t, "--smtp-allowed-recipients", `@example\.com$`)
	senders := map[string]func(t *testing.T, db *gorm.DB) *mail.Outbox{
		"smtp": func(t *testing.T, db *gorm.DB) *mail.Outbox { mp.Clear(t); return startOutbox(t, db, mp.SMTPURL()) },
		"dev":  func(t *testing.T, db *gorm.DB) *mail.Outbox { return mailtest.DevOutbox(t, db) },
	}
	for name, start := range senders {
		t.Run(name, func(t *testing.T) {
			databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
				stored := reminded(t, db, start(t, db))
				if invitation := stored[0]; invitation.To != "a@example.com" || invitation.InvitationID == nil {
					t.Errorf("the invitation forgot its recipient: %+v", invitation)
				}
				for _, m := range stored[1:] {
					if m.To != "" || m.InvitationID != nil || m.Text != "" || m.HTML != "" || strings.Contains(m.MessageID, "-71-") || strings.Contains(m.MessageID, "-72-") || m.LastError != "" {
						t.Errorf("a %s reminder keeps its recipient: to %q, invitation %v, Message-ID %q, body %q, error %q",
							m.Status, m.To, m.InvitationID, m.MessageID, m.Text, m.LastError)
					}
				}
				if stored[1].Status != mail.StatusSent || (name == "smtp" && stored[2].Status != mail.StatusFailed) {
					t.Errorf("reminders %s and %s, want sent and (over SMTP) failed", stored[1].Status, stored[2].Status)
				}
				var dev []mail.DevMail
				databasetest.Must(t, db.Where("kind = ?", mail.KindReminder).Find(&dev).Error)
				if name == "dev" && len(dev) != 2 {
					t.Errorf("the development outbox holds %d reminders, want 2", len(dev))
				}
				for _, d := range dev {
					if strings.Contains(d.To+d.Text+d.HTML, "@") {
						t.Errorf("the development outbox keeps a reminder's recipient: %+v", d)
					}
				}
			})
		})
	}
}

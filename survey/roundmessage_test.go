package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/notify/notifytest"
)

// TestRoundMessageGoesToEveryoneInvited: once a round has closed, the
// leader's message with the organisation's results goes once to everyone
// invited and still active, answered or not, the same text for both, with
// no link and no invitation named; an open round, an empty message, a
// second message and another organisation's round are refused.
func TestRoundMessageGoesToEveryoneInvited(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		r, _, err := w.s.StartRound(ctx, w.org, adhoc("Spring pulse", 5), adhocStart)
		databasetest.Must(t, err)
		inv := w.mails(t, mail.KindInvitation)
		answer(t, db, inv["sam@acme.test"][0], adhocStart.Add(time.Hour))
		in := survey.RoundMessageInput{Body: "Thank you. We heard that planning is the problem.\nWe will plan together.",
			Results: []string{"31% described sales and product as completely aligned (the study: 9.2%)."},
			Actions: []string{"Joint quarterly planning (in progress)"}}
		if _, err := survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), w.org, r.ID, in); apperr.ErrorCode(err) != apperr.EINVALID {
			t.Fatalf("a message about an open round: %v, want EINVALID", err)
		}
		w.tick(t, r.ClosesAt)
		if _, err := survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), w.org, r.ID, survey.RoundMessageInput{Body: "  ", Results: in.Results}); apperr.ErrorCode(err) != apperr.EINVALID {
			t.Fatalf("an empty message: %v, want EINVALID", err)
		}
		other := &survey.Organisation{Slug: "other", Name: "Other", MinGroupSize: 5, CommentThreshold: 5}
		databasetest.Must(t, db.Create(other).Error)
		if _, err := survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), other, r.ID, in); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("another organisation's round: %v, want ENOTFOUND", err)
		}
		m, err := survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), w.org, r.ID, in)
		databasetest.Must(t, err)
		sent := w.mails(t, survey.MailKindResults)
		if got, want := recipients(sent), recipients(inv); got != want || m.Sent != len(inv) {
			t.Fatalf("results went to %s (%d recorded), want everyone invited: %s", got, m.Sent, want)
		}
		strip := func(msg mail.Message) string { // the greeting names the person; nothing else may differ
			_, rest, _ := strings.Cut(msg.Text, "\n")
			return rest
		}
		answered, silent := sent["sam@acme.test"][0], sent["sue@acme.test"][0]
		if strip(answered) != strip(silent) || answered.InvitationID != nil || answered.Subject != silent.Subject {
			t.Error("the message to someone who answered differs from the one to someone who did not")
		}
		for _, want := range []string{"We will plan together.", in.Results[0], in.Actions[0], "whether they answered or not"} {
			if !strings.Contains(answered.Text, want) || !strings.Contains(answered.HTML, strings.ReplaceAll(want, "'", "&#39;")) {
				t.Errorf("the message lacks %q", want)
			}
		}
		if strings.Contains(answered.Text, "/s/") {
			t.Error("the message carries a survey link")
		}
		if _, err := survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), w.org, r.ID, in); apperr.ErrorCode(err) != apperr.ECONFLICT {
			t.Fatalf("a second message: %v, want ECONFLICT", err)
		}
		got, err := survey.GetRoundMessage(ctx, db, w.org.ID, r.ID)
		databasetest.Must(t, err)
		if got == nil || got.Body != strings.TrimSpace(in.Body) {
			t.Errorf("recorded message %+v", got)
		}
	})
}

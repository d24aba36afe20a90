package survey_test

import (
	"context"
	"html"
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
			Results: loopResults(), Actions: []survey.ActionTaken{{Title: "Joint quarterly planning", Status: survey.ActionInProgress}}}
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
		for _, want := range []string{"We will plan together.", "31.3% of those who answered described sales and product as completely aligned; in the study of product teams, 9.2% did.",
			"On a scale of 0 to 100: trust index 61.3.", "3 of the 4 people invited answered (75.0%).", "Joint quarterly planning (in progress)", "whether they answered or not"} {
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

// loopResults are the published results a results message reports in the
// tests: the completely-aligned share, one index, and participation.
func loopResults() survey.RoundResults {
	share := 0.3125
	return survey.RoundResults{AlignedShare: &share, Benchmark: 0.092,
		Indices: []survey.IndexResult{{Index: survey.IndexTrust, Mean: 61.25}}, Responses: 3, Invited: 4, ResponseRate: 0.75}
}

// TestRoundMessageInEachPersonsLanguage: a results message is written in
// each reader's language: a German and a French reader get the results'
// sentences, the index names, the actions' statuses and the numbers
// (decimal comma, a space before the percent sign) in theirs, with
// nothing left in English; the leader's own words stay as written.
func TestRoundMessageInEachPersonsLanguage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		databasetest.Must(t, db.Model(w.people["pat"]).Update("language", "de").Error)
		databasetest.Must(t, db.Model(w.people["pia"]).Update("language", "fr").Error)
		r, _, err := w.s.StartRound(ctx, w.org, adhoc("Spring pulse", 5), adhocStart)
		databasetest.Must(t, err)
		w.tick(t, r.ClosesAt)
		in := survey.RoundMessageInput{Body: "We will plan together.", Results: loopResults(),
			Actions: []survey.ActionTaken{{Title: "Joint quarterly planning", Status: survey.ActionInProgress}, {Title: "Shared roadmap", Status: survey.ActionDone}}}
		_, err = survey.SendRoundMessage(ctx, db, w.outbox, notifytest.Emails(t), w.org, r.ID, in)
		databasetest.Must(t, err)
		sent := w.mails(t, survey.MailKindResults)
		for _, c := range []struct {
			to        string
			want, not []string
		}{
			{"sam@acme.test", []string{"31.3% of those who answered", "in the study of product teams, 9.2% did.", "trust index 61.3",
				"3 of the 4 people invited answered (75.0%).", "Joint quarterly planning (in progress)", "Shared roadmap (done)"}, nil},
			{"pat@acme.test", []string{"31,3\u00a0% der Antwortenden beschrieben Vertrieb und Produkt als vollständig abgestimmt",
				"in der Studie über Produktteams waren es 9,2\u00a0%.", "Auf einer Skala von 0 bis 100: Vertrauensindex 61,3.",
				"3 der 4 eingeladenen Personen haben geantwortet (75,0\u00a0%).", "Joint quarterly planning (in Arbeit)", "Shared roadmap (erledigt)",
				"We will plan together."},
				[]string{"of those who answered", "trust index", "in progress", "(done)", "people invited", "31.3"}},
			{"pia@acme.test", []string{"31,3\u00a0% des répondants ont décrit les ventes et le produit comme totalement alignés",
				"c’était 9,2\u00a0%.", "Sur une échelle de 0 à 100 : indice de confiance 61,3.",
				"3 des 4 personnes invitées ont répondu (75,0\u00a0%).", "Joint quarterly planning (en cours)", "Shared roadmap (réalisée)"},
				[]string{"of those who answered", "trust index", "in progress", "(done)", "people invited", "31.3"}},
		} {
			if len(sent[c.to]) != 1 {
				t.Fatalf("%d results messages to %s", len(sent[c.to]), c.to)
			}
			m := sent[c.to][0]
			for _, want := range c.want {
				if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, html.EscapeString(want)) {
					t.Errorf("the message to %s lacks %q:\n%s", c.to, want, m.Text)
				}
			}
			for _, not := range c.not {
				if strings.Contains(m.Text, not) || strings.Contains(m.HTML, not) {
					t.Errorf("the message to %s has %q:\n%s", c.to, not, m.Text)
				}
			}
		}
	})
}

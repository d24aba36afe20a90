package notify_test

import (
	"strings"
	"testing"
	"time"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/mail"
	"accord/survey/notify"
	"accord/survey/roster"
)

// TestEmailsRenderEveryKind: each email the domain asks for comes out with
// its kind, recipient and subject, and its link in both bodies.
func TestEmailsRenderEveryKind(t *testing.T) {
	e, err := notify.New()
	if err != nil {
		t.Fatal(err)
	}
	org := &survey.Organisation{ID: 7, Name: "Acme & Co", MinGroupSize: 5}
	round := &survey.Round{ID: 3, Title: "March pulse", ClosesAt: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)}
	p := &roster.Person{Name: "Sam", Email: "sam@acme.test"}
	n := survey.InvitationNotice{Org: org, Round: round, TimeZone: "Europe/Berlin", Person: p, InvitationID: 11,
		Link: "https://accord.example/s/TOKEN"}
	inv, err := e.Invitation(n)
	must(t, err)
	rem, err := e.Reminder(n)
	must(t, err)
	res, err := e.Results(survey.ResultsNotice{Org: org, Round: round, Person: p, Message: "Thank you.",
		Results: survey.RoundResults{Invited: 10, Responses: 7, ResponseRate: 0.7}})
	must(t, err)
	ai, err := e.AccountEmail(account.TokenInvite, account.EmailNotice{To: "lea@acme.test", Link: "https://accord.example/password/set?token=T",
		Inviter: "admin@acme.test", Role: "leader", Orgs: "Acme & Co"})
	must(t, err)
	pr, err := e.AccountEmail(account.TokenReset, account.EmailNotice{To: "lea@acme.test", Link: "https://accord.example/password/set?token=T"})
	must(t, err)
	for _, c := range []struct {
		m                 *mail.Message
		kind, to, subject string
		link, text        string
	}{
		{inv, mail.KindInvitation, "sam@acme.test", "Acme & Co: March pulse, a two-minute survey", n.Link, "Monday 9 March 2026, 09:00"},
		{rem, mail.KindReminder, "sam@acme.test", "Reminder: March pulse (Acme & Co) closes Monday 9 March 2026, 09:00 (Europe/Berlin time)", n.Link, "Hello Sam"},
		{res, survey.MailKindResults, "sam@acme.test", "Acme & Co: what we heard in March pulse, and what we will do", "", "- 7 of the 10 people invited answered (70.0%)."},
		{ai, mail.KindAccount, "lea@acme.test", "You are invited to Accord", "https://accord.example/password/set?token=T", "72 hours"},
		{pr, mail.KindAccount, "lea@acme.test", "Reset your Accord password", "https://accord.example/password/set?token=T", "1 hour"},
	} {
		if c.m.Kind != c.kind || c.m.To != c.to || c.m.Subject != c.subject {
			t.Errorf("%s email: kind %q to %q subject %q", c.kind, c.m.Kind, c.m.To, c.m.Subject)
		}
		if !strings.Contains(c.m.Text, c.link) || !strings.Contains(c.m.HTML, c.link) || !strings.Contains(c.m.Text, c.text) {
			t.Errorf("%s email %q lacks %q or %q:\n%s", c.kind, c.subject, c.link, c.text, c.m.Text)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

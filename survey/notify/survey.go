package notify

import (
	"fmt"
	"strings"
	"time"

	"accord/survey"
	"accord/survey/i18n"
	"accord/survey/mail"
	"accord/survey/textcheck"
)

// invitationData is what an invitation or reminder says.
type invitationData struct {
	Name         string // the person's name; may be empty
	OrgName      string
	RoundTitle   string
	Link         string
	Deadline     string // in the schedule's time zone
	MinGroupSize int
	Actions      []string        // the actions taken, in words; invitations only
	L            *i18n.Localizer // the person's language
}

// Invitation renders the invitation email of n. The outbox gives it a
// Message-ID when it is stored.
func (e *Emails) Invitation(n survey.InvitationNotice) (*mail.Message, error) {
	return e.invitation(mail.KindInvitation, n)
}

// Reminder renders the reminder email of n.
func (e *Emails) Reminder(n survey.InvitationNotice) (*mail.Message, error) {
	return e.invitation(mail.KindReminder, n)
}

// invitation renders the email of kind (invitation or reminder) carrying
// n's personal link to n's person.
func (e *Emails) invitation(kind string, n survey.InvitationNotice) (*mail.Message, error) {
	l := i18n.For(survey.PersonLanguage(n.Person, n.Org))
	deadline := deadlineIn(l, n.Round.ClosesAt, n.TimeZone)
	d := invitationData{Name: n.Person.Name, OrgName: n.Org.Name, RoundTitle: n.Round.Title, Link: n.Link,
		Deadline: deadline, MinGroupSize: n.Org.MinGroupSize, Actions: actionLines(n.Actions), L: l}
	text, html, err := e.render(kind, d)
	if err != nil {
		return nil, err
	}
	subject := l.T("mail_invite_subject", "OrgName", n.Org.Name, "RoundTitle", n.Round.Title)
	if kind == mail.KindReminder {
		subject = l.T("mail_reminder_subject", "RoundTitle", n.Round.Title, "OrgName", n.Org.Name, "Deadline", deadline)
	}
	orgID, roundID, invID := n.Org.ID, n.Round.ID, n.InvitationID
	return &mail.Message{
		OrgID: &orgID, RoundID: &roundID, InvitationID: &invID, Kind: kind, To: n.Person.Email,
		Subject: textcheck.OneLine(subject), Text: text, HTML: html,
	}, nil
}

// Results renders one person's copy of a round's results message. It
// carries no link and no invitation: it is the same for those who answered
// and those who did not.
func (e *Emails) Results(n survey.ResultsNotice) (*mail.Message, error) {
	l := i18n.For(survey.PersonLanguage(n.Person, n.Org))
	d := struct {
		Name, OrgName, RoundTitle, Message string
		Results, Actions                   []string
		MinGroupSize                       int
		L                                  *i18n.Localizer
	}{n.Person.Name, n.Org.Name, n.Round.Title, n.Message, n.Results, n.Actions, n.Org.MinGroupSize, l}
	text, html, err := e.render(survey.MailKindResults, d)
	if err != nil {
		return nil, err
	}
	orgID, roundID := n.Org.ID, n.Round.ID
	return &mail.Message{OrgID: &orgID, RoundID: &roundID, Kind: survey.MailKindResults, To: n.Person.Email,
		Subject: textcheck.OneLine(l.T("mail_results_subject", "OrgName", n.Org.Name, "RoundTitle", n.Round.Title)),
		Text:    text, HTML: html}, nil
}

// deadlineIn writes t in the time zone zone (UTC if it is unknown) as l's
// language does.
func deadlineIn(l *i18n.Localizer, t time.Time, zone string) string {
	loc, err := survey.LoadZone(zone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	return l.DateTimeIn(t, loc, zone)
}

// actionLines writes each action as the results message does: its title
// and its status in lower case.
func actionLines(actions []survey.ActionTaken) []string {
	var out []string
	for _, a := range actions {
		out = append(out, fmt.Sprintf("%s (%s)", a.Title, strings.ToLower(survey.StatusLabel(a.Status))))
	}
	return out
}

package notify

import (
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
		Deadline: deadline, MinGroupSize: n.Org.MinGroupSize, Actions: ActionLines(l, n.Actions), L: l}
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
	}{n.Person.Name, n.Org.Name, n.Round.Title, n.Message, ResultLines(l, n.Results), ActionLines(l, n.Actions), n.Org.MinGroupSize, l}
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

// ResultLines words a round's published results in l's language, one
// sentence each: the completely-aligned share beside the study's, the
// indices, and how many answered; numbers as the language writes them.
func ResultLines(l *i18n.Localizer, r survey.RoundResults) []string {
	var out []string
	if r.AlignedShare != nil {
		out = append(out, l.T("results_aligned", "Share", l.Percent(*r.AlignedShare), "Benchmark", l.Percent(r.Benchmark)))
	}
	var idx []string
	for _, im := range r.Indices {
		idx = append(idx, l.T("results_index_"+im.Index, "Value", l.Decimal(im.Mean)))
	}
	if len(idx) > 0 {
		out = append(out, l.T("results_indices", "List", strings.Join(idx, ", ")))
	}
	if r.Invited > 0 {
		out = append(out, l.T("results_answered", "Count", r.Invited, "Responses", l.Number(r.Responses), "Rate", l.Percent(r.ResponseRate)))
	}
	return out
}

// ActionLines writes each action as invitations and results messages
// list it, in l's language: its title and its status.
func ActionLines(l *i18n.Localizer, actions []survey.ActionTaken) []string {
	var out []string
	for _, a := range actions {
		out = append(out, l.T("action_line", "Title", a.Title, "Status", l.T("action_status_"+a.Status)))
	}
	return out
}

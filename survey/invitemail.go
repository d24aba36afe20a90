package survey

import (
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"accord/survey/mail"
	"accord/survey/roster"
	"accord/survey/textcheck"
	"accord/templates"
)

// emailTemplates holds the plain-text and HTML bodies of the invitation
// and reminder emails (templates/mail), parsed once.
type emailTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

func parseEmailTemplates() (*emailTemplates, error) {
	t, err := texttemplate.ParseFS(templates.FS, "mail/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse email templates: %w", err)
	}
	h, err := htmltemplate.ParseFS(templates.FS, "mail/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse email templates: %w", err)
	}
	for _, kind := range []string{mail.KindInvitation, mail.KindReminder} {
		if t.Lookup(kind+".txt") == nil || h.Lookup(kind+".html") == nil {
			return nil, fmt.Errorf("parse email templates: mail/%s.txt or .html is missing", kind)
		}
	}
	return &emailTemplates{text: t, html: h}, nil
}

// emailData is what an invitation or reminder says.
type emailData struct {
	Name         string // the person's name; may be empty
	OrgName      string
	RoundTitle   string
	Link         string
	Deadline     string // in the schedule's time zone
	MinGroupSize int
}

// message renders the email of kind (invitation or reminder) carrying
// token to p. The outbox gives it a Message-ID when it is stored.
func (s *Scheduler) message(rc *roundContext, p *roster.Person, invitationID int64, kind, token string) (*mail.Message, error) {
	d := emailData{Name: p.Name, OrgName: rc.org.Name, RoundTitle: rc.round.Title, Link: s.link(token),
		Deadline: FormatInZone(rc.round.ClosesAt, rc.schedule.TimeZone), MinGroupSize: rc.org.MinGroupSize}
	var text, html strings.Builder
	if err := s.emails.text.ExecuteTemplate(&text, kind+".txt", d); err != nil {
		return nil, fmt.Errorf("render %s email: %w", kind, err)
	}
	if err := s.emails.html.ExecuteTemplate(&html, kind+".html", d); err != nil {
		return nil, fmt.Errorf("render %s email: %w", kind, err)
	}
	subject := fmt.Sprintf("%s: %s, a two-minute survey", rc.org.Name, rc.round.Title)
	if kind == mail.KindReminder {
		subject = fmt.Sprintf("Reminder: %s (%s) closes %s", rc.round.Title, rc.org.Name, FormatInZone(rc.round.ClosesAt, rc.schedule.TimeZone))
	}
	orgID, roundID, invID := rc.org.ID, rc.round.ID, invitationID
	return &mail.Message{
		OrgID: &orgID, RoundID: &roundID, InvitationID: &invID, Kind: kind, To: p.Email,
		Subject: textcheck.OneLine(subject), Text: text.String(), HTML: html.String(),
	}, nil
}

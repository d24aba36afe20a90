// Package notify writes the emails Accord sends: it renders the invitation,
// reminder, results and account emails from their templates
// (templates/mail) and builds the outbox messages, with their subjects.
// The domain decides who is told what and when, and calls it through the
// small interfaces it declares (survey.Notifier, account.Renderer);
// cmd/accord and the web kit wire an *Emails in at start-up.
//
// It may import package survey and the packages under it that survey
// imports (account, mail, roster, textcheck), and templates; nothing in the
// domain imports it, and it imports no web or analytics package.
package notify

import (
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/mail"
	"accord/templates"
)

// Emails renders every email Accord sends. Its templates are parsed once,
// by New, so that a broken or missing one fails the start.
type Emails struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// The domain's interfaces, checked here where both sides are known.
var (
	_ survey.Notifier  = (*Emails)(nil)
	_ account.Renderer = (*Emails)(nil)
)

// templateNames are the emails New insists on, each as .txt and .html.
var templateNames = []string{mail.KindInvitation, mail.KindReminder, survey.MailKindResults, accountInvite, passwordReset}

// New parses the email templates; a missing one is an error.
func New() (*Emails, error) {
	t, err := texttemplate.ParseFS(templates.FS, "mail/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse email templates: %w", err)
	}
	h, err := htmltemplate.ParseFS(templates.FS, "mail/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse email templates: %w", err)
	}
	for _, name := range templateNames {
		if t.Lookup(name+".txt") == nil || h.Lookup(name+".html") == nil {
			return nil, fmt.Errorf("parse email templates: mail/%s.txt or .html is missing", name)
		}
	}
	return &Emails{text: t, html: h}, nil
}

// render executes the text and HTML bodies of the email name with d.
func (e *Emails) render(name string, d any) (text, html string, err error) {
	var tb, hb strings.Builder
	if err := e.text.ExecuteTemplate(&tb, name+".txt", d); err != nil {
		return "", "", fmt.Errorf("render %s email: %w", name, err)
	}
	if err := e.html.ExecuteTemplate(&hb, name+".html", d); err != nil {
		return "", "", fmt.Errorf("render %s email: %w", name, err)
	}
	return tb.String(), hb.String(), nil
}

package account

import (
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"accord/survey/mail"
	"accord/templates"
)

// AccountEmails holds the bodies of account emails (templates/mail
// account_invite and password_reset, text and HTML), parsed once at start.
type AccountEmails struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// accountEmailNames maps a token purpose to its email template.
var accountEmailNames = map[string]string{TokenInvite: "account_invite", TokenReset: "password_reset"}

// ParseAccountEmails parses the account email templates; a missing one is an error.
func ParseAccountEmails() (*AccountEmails, error) {
	t, err := texttemplate.ParseFS(templates.FS, "mail/account_invite.txt", "mail/password_reset.txt")
	if err != nil {
		return nil, fmt.Errorf("parse account emails: %w", err)
	}
	h, err := htmltemplate.ParseFS(templates.FS, "mail/account_invite.html", "mail/password_reset.html")
	if err != nil {
		return nil, fmt.Errorf("parse account emails: %w", err)
	}
	return &AccountEmails{text: t, html: h}, nil
}

// AccountMailer writes invitation and password-reset emails into the
// outbox, in the caller's transaction.
type AccountMailer struct {
	Mail    mail.Enqueuer
	BaseURL *url.URL // links are BaseURL/password/set?token=…
	Emails  *AccountEmails
}

// accountEmailData is what an account email says.
type accountEmailData struct {
	Email   string
	Link    string
	Valid   string // how long the link works, in words
	Inviter string
	Role    string
	Orgs    string // the organisations an invitation opens, in words
}

// message renders the email of purpose carrying token to address.
func (m *AccountMailer) message(purpose, to, token string, d accountEmailData) (*mail.Message, error) {
	if m == nil || m.Mail == nil || m.Emails == nil || m.BaseURL == nil {
		return nil, fmt.Errorf("account email: no outbox configured")
	}
	name := accountEmailNames[purpose]
	d.Email, d.Link, d.Valid = to, m.link(token), "1 hour"
	subject := "Reset your Accord password"
	if purpose == TokenInvite {
		d.Valid, subject = "72 hours", "You are invited to Accord"
	}
	var text, html strings.Builder
	if err := m.Emails.text.ExecuteTemplate(&text, name+".txt", d); err != nil {
		return nil, fmt.Errorf("render %s email: %w", name, err)
	}
	if err := m.Emails.html.ExecuteTemplate(&html, name+".html", d); err != nil {
		return nil, fmt.Errorf("render %s email: %w", name, err)
	}
	return &mail.Message{Kind: mail.KindAccount, To: to, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// link is the public address of the set-password page for token.
func (m *AccountMailer) link(token string) string {
	u := *m.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/password/set"
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

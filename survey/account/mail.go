package account

import (
	"fmt"
	"net/url"
	"strings"

	"accord/survey/mail"
)

// Renderer writes account emails: their wording and templates live outside
// the domain (survey/notify implements it).
type Renderer interface {
	// AccountEmail renders the email of purpose (TokenInvite or TokenReset).
	AccountEmail(purpose string, n EmailNotice) (*mail.Message, error)
}

// EmailNotice is what an account email is about.
type EmailNotice struct {
	To   string // the account's address
	Link string // the set-password link carrying the token
	// For invitations: who invited, to which role and organisations (in words).
	Inviter, Role, Orgs string
}

// AccountMailer writes invitation and password-reset emails into the
// outbox, in the caller's transaction.
type AccountMailer struct {
	Mail    mail.Enqueuer
	BaseURL *url.URL // links are BaseURL/password/set?token=…
	Emails  Renderer
}

// message renders the email of purpose carrying token to n.To.
func (m *AccountMailer) message(purpose, token string, n EmailNotice) (*mail.Message, error) {
	if m == nil || m.Mail == nil || m.Emails == nil || m.BaseURL == nil {
		return nil, fmt.Errorf("account email: no outbox configured")
	}
	n.Link = m.link(token)
	return m.Emails.AccountEmail(purpose, n)
}

// link is the public address of the set-password page for token.
func (m *AccountMailer) link(token string) string {
	u := *m.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/password/set"
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

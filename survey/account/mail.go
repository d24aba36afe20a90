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
	// SSO: password login is switched off, so the invitation leads to the
	// login page's single sign-on (Link), not to choosing a password.
	SSO bool
}

// AccountMailer writes invitation and password-reset emails into the
// outbox, in the caller's transaction.
type AccountMailer struct {
	Mail    mail.Enqueuer
	BaseURL *url.URL // links are BaseURL/password/set?token=…
	Emails  Renderer
	// PasswordsOff: password login is switched off (ACCORD_PASSWORD_LOGIN=off).
	// Invitations then lead to single sign-on and no reset email is written.
	PasswordsOff bool
}

// message renders the email of purpose carrying token to n.To.
func (m *AccountMailer) message(purpose, token string, n EmailNotice) (*mail.Message, error) {
	if m == nil || m.Mail == nil || m.Emails == nil || m.BaseURL == nil {
		return nil, fmt.Errorf("account email: no outbox configured")
	}
	n.Link = m.link(token)
	if m.PasswordsOff {
		if purpose != TokenInvite {
			return nil, fmt.Errorf("account email: no password reset while password login is off")
		}
		u := *m.BaseURL
		u.Path, u.RawQuery = strings.TrimSuffix(u.Path, "/")+"/login", ""
		n.Link, n.SSO = u.String(), true
	}
	return m.Emails.AccountEmail(purpose, n)
}

// link is the public address of the set-password page for token.
func (m *AccountMailer) link(token string) string {
	u := *m.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + "/password/set"
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

package notify

import (
	"accord/survey/account"
	"accord/survey/mail"
)

// The account emails' templates (templates/mail/NAME.txt and .html).
const (
	accountInvite = "account_invite"
	passwordReset = "password_reset"
)

// accountData is what an account email says.
type accountData struct {
	Email   string
	Link    string
	Valid   string // how long the link works, in words
	Inviter string
	Role    string
	Orgs    string // the organisations an invitation opens, in words
	SSO     bool   // password login is off: Link is the login page, for single sign-on
}

// AccountEmail renders the email of purpose (account.TokenInvite or
// account.TokenReset) carrying n's set-password link to n's address.
func (e *Emails) AccountEmail(purpose string, n account.EmailNotice) (*mail.Message, error) {
	name, valid, subject := passwordReset, "1 hour", "Reset your Accord password"
	if purpose == account.TokenInvite {
		name, valid, subject = accountInvite, "72 hours", "You are invited to Accord"
	}
	d := accountData{Email: n.To, Link: n.Link, Valid: valid, Inviter: n.Inviter, Role: n.Role, Orgs: n.Orgs, SSO: n.SSO}
	text, html, err := e.render(name, d)
	if err != nil {
		return nil, err
	}
	return &mail.Message{Kind: mail.KindAccount, To: n.To, Subject: subject, Text: text, HTML: html}, nil
}

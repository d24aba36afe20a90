package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/webkit/webtest"
)

// mailpitServer is a test server whose outbox delivers to a real Mailpit.
func mailpitServer(t *testing.T, db *gorm.DB) (*webtest.Server, *mailtest.Mailpit) {
	t.Helper()
	outbox, mp := mailtest.MailpitOutbox(t, db)
	srv := sitetest.NewServer(t, db)
	srv.App.Mail = outbox
	return srv, mp
}

// deliveredLink waits for one email to address in Mailpit and returns the
// path of the set-password link in its text body, checking the HTML has it too.
func deliveredLink(t *testing.T, mp *mailtest.Mailpit, to, subject string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, s := range mp.Messages(t) {
			if len(s.To) == 1 && s.To[0].Address == to && s.Subject == subject {
				m := mp.Message(t, s.ID)
				links := mail.Links(m.Text)
				if len(links) != 1 || !strings.Contains(m.HTML, strings.ReplaceAll(links[0], "&", "&amp;")) {
					t.Fatalf("email to %s has links %v; text:\n%s", to, links, m.Text)
				}
				u, err := url.Parse(links[0])
				databasetest.Must(t, err)
				return u.RequestURI()
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no email %q to %s in Mailpit", subject, to)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestLeaderInvitationEndToEnd: a consultant invites a leader through the
// page; the email reaches a real SMTP server; its link sets a password;
// the leader logs in and sees their organisation only.
func TestLeaderInvitationEndToEnd(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, mp := mailpitServer(t, db)
		acme, _ := twoTenants(t, db)
		cons := opsClient(t, srv, "cons-a@accord.test")
		r := cons.Submit("/accounts/new", "/accounts", url.Values{"email": {"dana@acme.test"}, "role": {"leader"}, "orgs": {fmt.Sprint(acme.ID)}})
		expectOps(t, r, http.StatusSeeOther)
		link := deliveredLink(t, mp, "dana@acme.test", "You are invited to Accord")
		dana := srv.Client(t)
		expectOps(t, dana.Get(link), http.StatusOK, "Welcome to Accord", "dana@acme.test")
		token := strings.TrimPrefix(link, "/password/set?token=")
		r = dana.Submit(link, "/password/set", url.Values{"token": {token}, "password": {"dana's own passphrase"}, "confirm": {"dana's own passphrase"}})
		expectOps(t, r, http.StatusSeeOther)
		dana.Login("dana@acme.test", "dana's own passphrase")
		orgs := dana.Get("/orgs")
		expectOps(t, orgs, http.StatusOK, `href="/orgs/acme"`)
		if strings.Contains(orgs.Body, "/orgs/beta") {
			t.Error("the new leader sees Beta")
		}
		expectOps(t, dana.Get("/orgs/acme/rounds"), http.StatusOK)
		expectOps(t, dana.Get("/orgs/beta"), http.StatusNotFound)
		expectOps(t, dana.Get("/orgs/acme/people"), http.StatusNotFound)
		expectOps(t, srv.Client(t).Get(link), http.StatusGone)
	})
}

// TestPasswordResetEndToEnd: the reset email arrives; its link works once;
// a link older than an hour is refused.
func TestPasswordResetEndToEnd(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, mp := mailpitServer(t, db)
		twoTenants(t, db)
		forgot := func() string {
			r := srv.Client(t).Submit("/password/forgot", "/password/forgot", url.Values{"email": {"lead-a@acme.test"}})
			expectOps(t, r, http.StatusOK, "is on its way")
			link := deliveredLink(t, mp, "lead-a@acme.test", "Reset your Accord password")
			mp.Clear(t)
			return link
		}
		set := func(link, password string) webtest.Response {
			token := strings.TrimPrefix(link, "/password/set?token=")
			return srv.Client(t).Submit("/password/forgot", "/password/set", url.Values{"token": {token}, "password": {password}, "confirm": {password}})
		}
		link := forgot()
		expectOps(t, set(link, "first new password"), http.StatusSeeOther)
		expectOps(t, set(link, "second new password"), http.StatusGone, "expired or has already been used")
		srv.Client(t).Login("lead-a@acme.test", "first new password")

		link = forgot()
		srv.Clock.Advance(account.ResetTTL + time.Minute)
		expectOps(t, srv.Client(t).Get(link), http.StatusGone)
		expectOps(t, set(link, "third new password"), http.StatusGone)
		srv.Client(t).Login("lead-a@acme.test", "first new password")
	})
}

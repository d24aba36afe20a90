package web_test

import (
	"net/http"
	"net/url"
	"regexp"
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

// accountServer is a test server whose account emails go into a real
// outbox (not started: the messages stay readable in mail_messages).
func accountServer(t *testing.T, db *gorm.DB) *webtest.Server {
	t.Helper()
	srv := sitetest.NewServer(t, db)
	srv.App.Mail = mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	return srv
}

var setLink = regexp.MustCompile(`http://accord\.test(/password/set\?token=[A-Za-z0-9_-]{43})`)

// emailedLink returns the path of the newest set-password link sent to address.
func emailedLink(t *testing.T, db *gorm.DB, to string) string {
	t.Helper()
	var m mail.Message
	databasetest.Must(t, db.Where("to_address = ? AND kind = ?", to, mail.KindAccount).Order("id DESC").Take(&m).Error)
	match := setLink.FindStringSubmatch(m.Text)
	if match == nil {
		t.Fatalf("no set-password link in the email to %s:\n%s", to, m.Text)
	}
	return match[1]
}

func sessionCookie(t *testing.T, srv *webtest.Server, c *webtest.Client) string {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "accord_session" {
			return ck.Value
		}
	}
	return ""
}

func TestLoginGivesANewSessionID(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		c := opsClient(t, srv, "cons@accord.test")
		first := sessionCookie(t, srv, c)
		// Logging in again while logged in (from any page's token).
		r := c.Submit("/account/password", "/login", url.Values{"email": {"cons@accord.test"}, "password": {webtest.Password}})
		expectOps(t, r, http.StatusSeeOther)
		second := sessionCookie(t, srv, c)
		if first == "" || first == second {
			t.Fatalf("session id before %q and after a second login %q: want a new one", first, second)
		}
		// Whoever knew the first id (planted it, or saw it) is not logged in.
		old := srv.Client(t)
		u, _ := url.Parse(srv.URL)
		old.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "accord_session", Value: first, Path: "/"}})
		expectOps(t, old.Get("/orgs"), http.StatusSeeOther)
		expectOps(t, c.Get("/orgs"), http.StatusOK)
	})
}

func TestSessionEndsAfterSevenDaysHoweverActive(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		c := opsClient(t, srv, "cons@accord.test")
		start := srv.Clock.Now()
		for srv.Clock.Now().Before(start.Add(account.SessionMaxAge - 7*time.Hour)) {
			srv.Clock.Advance(7 * time.Hour) // always within the 8-hour idle limit
			expectOps(t, c.Get("/orgs"), http.StatusOK)
		}
		srv.Clock.Set(start.Add(account.SessionMaxAge + time.Minute))
		r := c.Get("/orgs")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Fatalf("/orgs after 7 days = %d to %q, want the login page", r.Status, r.Header.Get("Location"))
		}
	})
}

func TestChangingThePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		here, there := opsClient(t, srv, "cons@accord.test"), opsClient(t, srv, "cons@accord.test")
		r := here.Submit("/account/password", "/account/password", url.Values{"current": {"wrong password!"}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
		expectOps(t, r, http.StatusUnprocessableEntity, "This is not your current password.", `aria-invalid="true"`)
		r = here.Submit("/account/password", "/account/password", url.Values{"current": {webtest.Password}, "password": {"short"}, "confirm": {"short"}})
		expectOps(t, r, http.StatusUnprocessableEntity, "at least 12 characters")
		r = here.Submit("/account/password", "/account/password", url.Values{"current": {webtest.Password}, "password": {"a brand new password"}, "confirm": {"a brand new password!"}})
		expectOps(t, r, http.StatusUnprocessableEntity, "The two passwords are not the same.")
		r = here.Submit("/account/password", "/account/password", url.Values{"current": {webtest.Password}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, here.Get("/orgs"), http.StatusOK, "Every other session of your account has been logged out.")
		expectOps(t, there.Get("/orgs"), http.StatusSeeOther)
		srv.Client(t).Login("cons@accord.test", "a brand new password")
	})
}

func TestLogoutEverywhere(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		here, there := opsClient(t, srv, "cons@accord.test"), opsClient(t, srv, "cons@accord.test")
		r := here.Submit("/account/password", "/logout/everywhere", nil)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Fatalf("logout everywhere = %d to %q", r.Status, r.Header.Get("Location"))
		}
		for _, c := range []*webtest.Client{here, there} {
			expectOps(t, c.Get("/orgs"), http.StatusSeeOther)
		}
	})
}

func TestForgotPasswordRevealsNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := accountServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		expectOps(t, srv.Client(t).Get("/login"), http.StatusOK, `href="/password/forgot"`)
		known := srv.Client(t).Submit("/password/forgot", "/password/forgot", url.Values{"email": {"cons@accord.test"}})
		unknown := srv.Client(t).Submit("/password/forgot", "/password/forgot", url.Values{"email": {"nobody@accord.test"}})
		expectOps(t, known, http.StatusOK, "If there is an account for <strong>cons@accord.test</strong>")
		if unknown.Status != known.Status || strings.ReplaceAll(unknown.Body, "nobody@", "cons@") != known.Body {
			t.Fatalf("answers differ for a known and an unknown address:\n%s\n---\n%s", known.Body, unknown.Body)
		}
		bad := srv.Client(t).Submit("/password/forgot", "/password/forgot", url.Values{"email": {"not an address"}})
		expectOps(t, bad, http.StatusUnprocessableEntity, `aria-invalid="true"`, "Enter the email address you log in with")
		var sent []mail.Message
		databasetest.Must(t, db.Find(&sent).Error)
		if len(sent) != 1 || sent[0].To != "cons@accord.test" || sent[0].Kind != mail.KindAccount {
			t.Fatalf("outbox holds %+v, want one account email to cons@accord.test", sent)
		}
	})
}

func TestResetLinkThroughThePages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := accountServer(t, db)
		webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant)
		before := opsClient(t, srv, "cons@accord.test")
		srv.Client(t).Submit("/password/forgot", "/password/forgot", url.Values{"email": {"cons@accord.test"}})
		link := emailedLink(t, db, "cons@accord.test")
		c := srv.Client(t)
		page := c.Get(link)
		expectOps(t, page, http.StatusOK, "Choose a new password", "cons@accord.test", `autocomplete="new-password"`)
		if page.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("set-password page Referrer-Policy = %q, want no-referrer", page.Header.Get("Referrer-Policy"))
		}
		token := strings.TrimPrefix(link, "/password/set?token=")
		r := c.Submit(link, "/password/set", url.Values{"token": {token}, "password": {"a brand new password"}, "confirm": {"something else entirely"}})
		expectOps(t, r, http.StatusUnprocessableEntity, "The two passwords are not the same.", `id="confirm-error"`)
		r = c.Submit(link, "/password/set", url.Values{"token": {token}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?email=cons%40accord.test" {
			t.Fatalf("set password = %d to %q", r.Status, r.Header.Get("Location"))
		}
		expectOps(t, before.Get("/orgs"), http.StatusSeeOther) // the reset ended the old session
		again := srv.Client(t).Submit("/password/forgot", "/password/set", url.Values{"token": {token}, "password": {"yet another password"}, "confirm": {"yet another password"}})
		expectOps(t, again, http.StatusGone, "expired or has already been used", `href="/password/forgot"`)
		expectOps(t, srv.Client(t).Get(link), http.StatusGone, "Ask for a new link")
		srv.Client(t).Login("cons@accord.test", "a brand new password")
	})
}

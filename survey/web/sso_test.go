package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/secrets"
	"accord/survey/sso"
	"accord/survey/sso/ssotest"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// ssoWorld is a site whose staff sign in through a real OpenID provider
// running in process.
type ssoWorld struct {
	srv *webtest.Server
	idp *ssotest.Provider
}

func newSSOWorld(t *testing.T, db *gorm.DB, adjust ...func(*webkit.App)) *ssoWorld {
	t.Helper()
	idp := ssotest.Start(t)
	srv := sitetest.NewServer(t, db, append([]func(*webkit.App){func(a *webkit.App) {
		a.SSO = sso.New(sso.Config{Issuer: idp.URL, ClientID: ssotest.ClientID, ClientSecret: ssotest.ClientSecret,
			RedirectURL: a.BaseURL.String() + sso.CallbackPath})
	}}, adjust...)...)
	idp.Now = srv.Clock.Now
	return &ssoWorld{srv: srv, idp: idp}
}

// authorize starts a login in c's browser and follows it to the provider,
// returning the callback query the provider sends the browser back with.
func (w *ssoWorld) authorize(t *testing.T, c *webtest.Client, next string) url.Values {
	t.Helper()
	r := c.Get("/login/oidc?next=" + url.QueryEscape(next))
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, w.idp.URL+"/authorize?") {
		t.Fatalf("GET /login/oidc = %d to %q; want a redirect to the provider; %.300s", r.Status, loc, r.Body)
	}
	resp, err := c.HTTP.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || back.Path != sso.CallbackPath {
		t.Fatalf("provider answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.Query()
}

// callback brings the browser back to Accord with q.
func callback(c *webtest.Client, q url.Values) webtest.Response {
	return c.Get(sso.CallbackPath + "?" + q.Encode())
}

// refused checks that r is the login page saying want, and that the
// browser has no session.
func refused(t *testing.T, c *webtest.Client, r webtest.Response, want string) {
	t.Helper()
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, want) {
		t.Fatalf("callback = %d; want 401 saying %q; body %.600s", r.Status, want, r.Body)
	}
	if got := c.Get("/orgs"); got.Status != http.StatusSeeOther {
		t.Fatalf("after a refused sign-in /orgs = %d; want the login page", got.Status)
	}
}

func TestSingleSignOn(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSSOWorld(t, db)
		acme := webtest.MustOrg(t, db, "acme", "Acme")
		lead := webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, acme.ID)
		admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		leader := ssotest.User{Subject: "u-lead", Email: "Lead@Acme.test", EmailVerified: true}

		t.Run("the login page offers single sign-on", func(t *testing.T) {
			r := w.srv.Client(t).Get("/login?next=/orgs/acme")
			if !strings.Contains(r.Body, "Sign in with single sign-on") || !strings.Contains(r.Body, `href="/login/oidc?next=%2forgs%2facme"`) ||
				!strings.Contains(r.Body, `name="password"`) {
				t.Fatalf("login page: %.1200s", r.Body)
			}
		})
		t.Run("a leader signs in and lands where they were going", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			r := callback(c, w.authorize(t, c, "/orgs/acme"))
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs/acme" {
				t.Fatalf("callback = %d to %q; body %.500s", r.Status, r.Header.Get("Location"), r.Body)
			}
			if got := c.Get("/orgs"); got.Status != http.StatusOK || !strings.Contains(got.Body, "Acme") {
				t.Fatalf("/orgs after sign-in = %d", got.Status)
			}
			var e audit.Entry
			databasetest.Must(t, db.Where("action = ? AND account_id = ?", audit.AuditLoginSSO, lead.ID).Take(&e).Error)
			if !strings.Contains(e.Target, w.idp.URL) {
				t.Errorf("audit target %q does not name the provider", e.Target)
			}
		})
		t.Run("a wrong state is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			q := w.authorize(t, c, "/orgs")
			q.Set("state", secrets.NewToken())
			refused(t, c, callback(c, q), "expired or was already used")
		})
		t.Run("a state from another browser is refused", func(t *testing.T) {
			victim, attacker := w.srv.Client(t), w.srv.Client(t)
			w.idp.SignInAs(leader)
			refused(t, victim, callback(victim, w.authorize(t, attacker, "/orgs")), "expired or was already used")
		})
		t.Run("a replayed callback or code is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			q := w.authorize(t, c, "/orgs")
			if r := callback(c, q); r.Status != http.StatusSeeOther {
				t.Fatalf("first callback = %d", r.Status)
			}
			// The same callback again: its state is used up.
			c.PostForm("/logout", url.Values{"_csrf": {c.CSRF("/account/password")}})
			refused(t, c, callback(c, q), "expired or was already used")
			// The old code with a fresh state: the provider refuses it.
			fresh := w.authorize(t, c, "/orgs")
			fresh.Set("code", q.Get("code"))
			refused(t, c, callback(c, fresh), "did not confirm this sign-in")
		})
		t.Run("an unverified email is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(ssotest.User{Subject: "u-lead", Email: "lead@acme.test", EmailVerified: false})
			refused(t, c, callback(c, w.authorize(t, c, "/orgs")), "has not verified the email address lead@acme.test")
		})
		t.Run("an expired ID token is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			w.idp.TokenLifetime = time.Minute
			defer func() { w.idp.TokenLifetime = 5 * time.Minute }()
			q := w.authorize(t, c, "/orgs")
			// The token is issued now and checked on Accord's clock two
			// minutes later (a slow exchange, or a clock that is behind).
			w.idp.Now = func() time.Time { return w.srv.Clock.Now().Add(-2 * time.Minute) }
			defer func() { w.idp.Now = w.srv.Clock.Now }()
			refused(t, c, callback(c, q), "had expired")
		})
		t.Run("an ID token with another login's nonce is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			w.idp.WrongNonce = true
			defer func() { w.idp.WrongNonce = false }()
			refused(t, c, callback(c, w.authorize(t, c, "/orgs")), "did not confirm this sign-in")
		})
		t.Run("a sign-in that took longer than ten minutes is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(leader)
			q := w.authorize(t, c, "/orgs")
			w.srv.Clock.Advance(account.SSOAttemptLifetime + time.Second)
			refused(t, c, callback(c, q), "expired or was already used")
		})
		t.Run("an unknown email is refused", func(t *testing.T) {
			c := w.srv.Client(t)
			w.idp.SignInAs(ssotest.User{Subject: "u-x", Email: "stranger@acme.test", EmailVerified: true})
			refused(t, c, callback(c, w.authorize(t, c, "/orgs")), "no Accord account for stranger@acme.test")
			var n int64
			databasetest.Must(t, db.Model(&account.Account{}).Where("email = ?", "stranger@acme.test").Count(&n).Error)
			databasetest.Must(t, db.Model(&audit.Entry{}).Where("action = ? AND email = ?", audit.AuditLoginRefused, "stranger@acme.test").Count(&n).Error)
			if n != 1 {
				t.Errorf("%d refusal audit entries, want 1", n)
			}
		})
		t.Run("an invited account that has no password yet signs in", func(t *testing.T) {
			invited := account.Account{Email: "new-lead@acme.test", Role: account.RoleLeader}
			databasetest.Must(t, db.Create(&invited).Error)
			databasetest.Must(t, db.Create(&account.Membership{AccountID: invited.ID, OrgID: acme.ID}).Error)
			c := w.srv.Client(t)
			w.idp.SignInAs(ssotest.User{Subject: "u-new", Email: "new-lead@acme.test", EmailVerified: true})
			if r := callback(c, w.authorize(t, c, "/orgs")); r.Status != http.StatusSeeOther {
				t.Fatalf("invited account's sign-in = %d; %.400s", r.Status, r.Body)
			}
		})
		t.Run("a disabled account is refused and its sessions end", func(t *testing.T) {
			c := w.srv.Client(t)
			c.Login("lead@acme.test", webtest.Password)
			_, err := account.SetDisabled(t.Context(), db, admin, lead.ID, true, w.srv.Clock.Now())
			databasetest.Must(t, err)
			defer account.SetDisabled(t.Context(), db, admin, lead.ID, false, w.srv.Clock.Now())
			if got := c.Get("/orgs"); got.Status != http.StatusSeeOther {
				t.Fatalf("a disabled account's session still works: /orgs = %d", got.Status)
			}
			w.idp.SignInAs(leader)
			refused(t, c, callback(c, w.authorize(t, c, "/orgs")), "This account is disabled")
			r := c.Submit("/login", "/login", url.Values{"email": {"lead@acme.test"}, "password": {webtest.Password}})
			if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "This account is disabled") {
				t.Fatalf("password login of a disabled account = %d", r.Status)
			}
		})
	})
}

// TestPasswordLoginOff: with ACCORD_PASSWORD_LOGIN=off the login page
// offers single sign-on only and a posted password is refused, even a
// right one.
func TestPasswordLoginOff(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSSOWorld(t, db, func(a *webkit.App) { a.PasswordLoginOff = true })
		webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		c := w.srv.Client(t)
		page := c.Get("/login")
		if strings.Contains(page.Body, `name="password"`) || !strings.Contains(page.Body, "Sign in with single sign-on") {
			t.Fatalf("login page with passwords off: %.800s", page.Body)
		}
		// The form is gone, but a script could still post one.
		r := c.PostForm("/login", url.Values{"_csrf": {csrfCookie(t, w.srv, c)}, "email": {"admin@accord.test"}, "password": {webtest.Password}})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Password login is switched off") {
			t.Fatalf("password login with passwords off = %d; %.300s", r.Status, r.Body)
		}
		w.idp.SignInAs(ssotest.User{Subject: "a", Email: "admin@accord.test", EmailVerified: true})
		if r := callback(c, w.authorize(t, c, "/orgs")); r.Status != http.StatusSeeOther {
			t.Fatalf("single sign-on with passwords off = %d", r.Status)
		}
	})
}

// TestSingleSignOnNotConfigured: without ACCORD_OIDC_* the routes send
// the browser back to the login page, which offers passwords only.
func TestSingleSignOnNotConfigured(t *testing.T) {
	srv := sitetest.NewServer(t, databasetest.Open(t, "sqlite"))
	c := srv.Client(t)
	for _, path := range []string{"/login/oidc", sso.CallbackPath + "?state=x&code=y"} {
		if r := c.Get(path); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("GET %s = %d to %q; want /login", path, r.Status, r.Header.Get("Location"))
		}
	}
	if r := c.Get("/login"); strings.Contains(r.Body, "single sign-on") && !strings.Contains(r.Body, "not configured") {
		t.Errorf("login page offers single sign-on without it: %.600s", r.Body)
	}
}

// TestSingleSignOnProviderDown: an unreachable provider is a clear page
// (502), not an internal error.
func TestSingleSignOnProviderDown(t *testing.T) {
	srv := sitetest.NewServer(t, databasetest.Open(t, "sqlite"), func(a *webkit.App) {
		a.SSO = sso.New(sso.Config{Issuer: "http://127.0.0.1:1", ClientID: "x", ClientSecret: "y", RedirectURL: "http://accord.test" + sso.CallbackPath})
	})
	r := srv.Client(t).Get("/login/oidc")
	if r.Status != http.StatusBadGateway || !strings.Contains(r.Body, "cannot be reached right now") {
		t.Fatalf("provider down: %d %.300s", r.Status, r.Body)
	}
}

// TestPasswordPagesOffWithPasswordLoginOff: with password login off, no
// page offers a password link, and the forgot-password, set-password and
// change-password pages refuse (403) with a page leading to single
// sign-on: no email goes out and a reset link asked for earlier sets no
// password.
func TestPasswordPagesOffWithPasswordLoginOff(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newSSOWorld(t, db)
		w.srv.App.Mail = mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleAdmin)
		c := w.srv.Client(t)
		// A reset link asked for while passwords were still on.
		if r := c.Submit("/password/forgot", "/password/forgot", url.Values{"email": {"lead@acme.test"}}); r.Status != http.StatusOK {
			t.Fatalf("forgot with passwords on = %d", r.Status)
		}
		link := emailedLink(t, db, "lead@acme.test")
		mails := func() int64 {
			var n int64
			databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ?", mail.KindAccount).Count(&n).Error)
			return n
		}
		before := mails()

		w.srv.App.PasswordLoginOff = true
		if page := c.Get("/login"); strings.Contains(page.Body, "/password/forgot") || strings.Contains(page.Body, "Forgot your password") {
			t.Errorf("the login page offers forgot-password with passwords off: %.800s", page.Body)
		}
		offPage := func(what string, r webtest.Response) {
			t.Helper()
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Password login is switched off") ||
				!strings.Contains(r.Body, `href="/login/oidc"`) {
				t.Errorf("%s with passwords off = %d; want 403 leading to single sign-on; %.600s", what, r.Status, r.Body)
			}
		}
		offPage("GET /password/forgot", c.Get("/password/forgot"))
		csrf := csrfCookie(t, w.srv, c)
		offPage("POST /password/forgot", c.PostForm("/password/forgot", url.Values{"_csrf": {csrf}, "email": {"lead@acme.test"}}))
		offPage("GET "+link, c.Get(link))
		token := strings.TrimPrefix(link, "/password/set?token=")
		offPage("POST /password/set", c.PostForm("/password/set", url.Values{"_csrf": {csrf}, "token": {token},
			"password": {"a new password long enough"}, "confirm": {"a new password long enough"}}))
		if n := mails(); n != before {
			t.Errorf("%d account emails queued with passwords off", n-before)
		}
		if _, err := account.Login(t.Context(), db, "lead@acme.test", "a new password long enough", "192.0.2.1", w.srv.Clock.Now()); err == nil {
			t.Error("a reset link set a password with passwords off")
		}
		// Signed in through single sign-on: no "Change password", and the page refuses.
		w.idp.SignInAs(ssotest.User{Subject: "a", Email: "lead@acme.test", EmailVerified: true})
		if r := callback(c, w.authorize(t, c, "/orgs")); r.Status != http.StatusSeeOther {
			t.Fatalf("single sign-on with passwords off = %d", r.Status)
		}
		if r := c.Get("/orgs"); r.Status != http.StatusOK || strings.Contains(r.Body, "/account/password") {
			t.Errorf("/orgs with passwords off = %d, offers a password change: %v", r.Status, strings.Contains(r.Body, "/account/password"))
		}
		// An admin's invitation leads to single sign-on, not to a password.
		if r := c.Submit("/accounts/new", "/accounts", url.Values{"email": {"new.cons@accord.test"}, "role": {"consultant"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("invite with passwords off = %d; %.400s", r.Status, r.Body)
		}
		var invite mail.Message
		databasetest.Must(t, db.Where("to_address = ? AND kind = ?", "new.cons@accord.test", mail.KindAccount).Take(&invite).Error)
		for _, body := range []string{invite.Text, invite.HTML} {
			if !strings.Contains(body, "Sign in with single sign-on") || !strings.Contains(body, "http://accord.test/login") ||
				strings.Contains(body, "/password/set") || strings.Contains(body, "password") {
				t.Errorf("the invitation with passwords off:\n%s", body)
			}
		}
		// The account list does not call an account waiting for a
		// password it will never choose.
		if r := c.Get("/accounts"); r.Status != http.StatusOK || strings.Contains(r.Body, "no password yet") ||
			!strings.Contains(r.Body, "Signs in with single sign-on") {
			t.Errorf("/accounts with passwords off = %d, statuses: %.1500s", r.Status, r.Body)
		}
		offPage("GET /account/password", c.Get("/account/password"))
		offPage("POST /account/password", c.PostForm("/account/password", url.Values{"_csrf": {c.CSRF("/orgs")},
			"current": {webtest.Password}, "password": {"a new password long enough"}, "confirm": {"a new password long enough"}}))
	})
}

// csrfCookie is the CSRF token c's browser holds (a page with a form
// would carry the same one): with passwords off, no page a visitor can
// open has a form, but a script may still post one.
func csrfCookie(t *testing.T, srv *webtest.Server, c *webtest.Client) string {
	t.Helper()
	c.Get("/login")
	u, _ := url.Parse(srv.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "accord_csrf" {
			return ck.Value
		}
	}
	t.Fatal("no CSRF cookie")
	return ""
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		a := webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustOrg(t, db, "globex", "Globex")
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, a.ID)

		t.Run("wrong password shows a message and no session", func(t *testing.T) {
			c := srv.Client(t)
			r := c.Submit("/login", "/login", url.Values{"email": {"lead@acme.test"}, "password": {"wrong password!"}})
			if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "The email or password is not right.") {
				t.Fatalf("status %d, body lacks message: %.300s", r.Status, r.Body)
			}
			if got := c.Get("/orgs"); got.Status != http.StatusSeeOther {
				t.Fatalf("after failed login /orgs = %d, want redirect to login", got.Status)
			}
		})
		t.Run("unknown email reads the same", func(t *testing.T) {
			r := srv.Client(t).Submit("/login", "/login", url.Values{"email": {"nobody@acme.test"}, "password": {"whatever password"}})
			if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "The email or password is not right.") {
				t.Fatalf("status %d", r.Status)
			}
		})
		t.Run("missing CSRF token is refused", func(t *testing.T) {
			c := srv.Client(t)
			c.Get("/login") // sets the CSRF cookie, but the form field is left out
			r := c.PostForm("/login", url.Values{"email": {"lead@acme.test"}, "password": {webtest.Password}})
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "This form has expired") {
				t.Fatalf("POST /login without _csrf = %d, want 403 with a friendly message", r.Status)
			}
			if strings.Contains(r.Body, "goroutine") || strings.Contains(r.Body, ".go:") {
				t.Fatalf("error page leaks internals: %.300s", r.Body)
			}
		})
		t.Run("wrong CSRF token is refused", func(t *testing.T) {
			c := srv.Client(t)
			c.Get("/login")
			r := c.PostForm("/login", url.Values{"_csrf": {"forged"}, "email": {"lead@acme.test"}, "password": {webtest.Password}})
			if r.Status != http.StatusForbidden {
				t.Fatalf("forged _csrf = %d, want 403", r.Status)
			}
		})
		t.Run("success sets a safe cookie, shows own organisations only, logout ends it", func(t *testing.T) {
			c := srv.Client(t)
			r := c.Submit("/login", "/login", url.Values{"email": {"LEAD@acme.test "}, "password": {webtest.Password}})
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs" {
				t.Fatalf("login = %d to %q", r.Status, r.Header.Get("Location"))
			}
			ck := findCookie(r.Header, "accord_session")
			if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
				t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure on http", ck)
			}
			orgs := c.Get("/orgs")
			if orgs.Status != http.StatusOK || !strings.Contains(orgs.Body, "/orgs/acme") || strings.Contains(orgs.Body, "globex") {
				t.Fatalf("/orgs = %d; want acme and not globex: %.500s", orgs.Status, orgs.Body)
			}
			if r := c.Submit("/orgs", "/logout", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("logout = %d", r.Status)
			}
			if r := c.Get("/orgs"); r.Status != http.StatusSeeOther {
				t.Fatalf("/orgs after logout = %d, want redirect", r.Status)
			}
			var n int64
			db.Model(&account.Session{}).Count(&n)
			if n != 0 {
				t.Fatalf("%d sessions left after logout", n)
			}
		})
		t.Run("next parameter cannot redirect off site", func(t *testing.T) {
			c := srv.Client(t)
			r := c.Submit("/login?next=//evil.test/x", "/login", url.Values{"email": {"lead@acme.test"}, "password": {webtest.Password}, "next": {"//evil.test/x"}})
			if loc := r.Header.Get("Location"); loc != "/orgs" {
				t.Fatalf("redirect to %q, want /orgs", loc)
			}
		})
	})
}

func TestAdminSeesEveryOrganisation(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustOrg(t, db, "globex", "Globex")
		webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
		c := srv.Client(t)
		c.Login("root@accord.test", webtest.Password)
		body := c.Get("/orgs").Body
		if !strings.Contains(body, "/orgs/acme") || !strings.Contains(body, "/orgs/globex") {
			t.Fatalf("admin /orgs lacks an organisation: %.500s", body)
		}
	})
}

func TestSessionExpiresWhenIdle(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
		c := srv.Client(t)
		c.Login("root@accord.test", webtest.Password)
		srv.Clock.Advance(account.SessionIdleTimeout - 1)
		if r := c.Get("/orgs"); r.Status != http.StatusOK {
			t.Fatalf("/orgs just before idle timeout = %d", r.Status)
		}
		srv.Clock.Advance(account.SessionIdleTimeout + 1)
		if r := c.Get("/orgs"); r.Status != http.StatusSeeOther {
			t.Fatalf("/orgs after idle timeout = %d, want redirect to login", r.Status)
		}
	})
}

func findCookie(h http.Header, name string) *http.Cookie {
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

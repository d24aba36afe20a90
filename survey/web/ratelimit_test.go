package web_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/ratelimit"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// loginFrom posts the login form with an X-Forwarded-For header, as a
// client (or a proxy, or a forger) would send it.
func loginFrom(t *testing.T, srv *webtest.Server, xff, email, password string) webtest.Response {
	t.Helper()
	c := srv.Client(t)
	token := c.CSRF("/login")
	form := url.Values{"_csrf": {token}, "email": {email}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return webtest.Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// trustLoopback makes the test server believe X-Forwarded-For from its
// own loopback peer, as behind a proxy listed in ACCORD_TRUSTED_PROXIES.
func trustLoopback(app *webkit.App) {
	_, n, _ := net.ParseCIDR("127.0.0.0/8")
	app.Echo.IPExtractor = webkit.ClientIP([]*net.IPNet{n})
}

func TestFailedLoginsAreLimitedWithAClearMessage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader)
		for i := range ratelimit.LoginAccountLimit.Max {
			expectOps(t, loginFrom(t, srv, "", "lead@acme.test", fmt.Sprintf("guess number %d", i)), http.StatusUnauthorized)
		}
		r := loginFrom(t, srv, "", "lead@acme.test", webtest.Password)
		expectOps(t, r, http.StatusTooManyRequests, "Too many failed logins for this account. Try again in 15 minutes, or reset your password.", `href="/password/forgot"`)
		if s, _ := strconv.Atoi(r.Header.Get("Retry-After")); s < 14*60 || s > 15*60+1 {
			t.Errorf("Retry-After = %q, want about 900 seconds", r.Header.Get("Retry-After"))
		}
		srv.Clock.Advance(ratelimit.LoginAccountLimit.Window)
		expectOps(t, loginFrom(t, srv, "", "lead@acme.test", webtest.Password), http.StatusSeeOther)
	})
}

// TestForgedForwardedForDoesNotDodgeTheLimit: with no trusted proxy, a
// client writing a new X-Forwarded-For on each attempt is still one address.
func TestForgedForwardedForDoesNotDodgeTheLimit(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader)
		for i := range ratelimit.LoginAddressLimit.Max {
			r := loginFrom(t, srv, fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf("guess%d@acme.test", i), "wrong password!")
			expectOps(t, r, http.StatusUnauthorized)
		}
		r := loginFrom(t, srv, "198.51.100.77", "lead@acme.test", webtest.Password)
		expectOps(t, r, http.StatusTooManyRequests, "Too many failed logins from your network.")
	})
}

// TestTrustedProxyForwardedForIsHonoured: behind a trusted proxy each
// client is limited on its own, and prepending fake hops changes nothing.
func TestTrustedProxyForwardedForIsHonoured(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db, trustLoopback)
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader)
		for i := range ratelimit.LoginAddressLimit.Max {
			expectOps(t, loginFrom(t, srv, "203.0.113.9", fmt.Sprintf("guess%d@acme.test", i), "wrong password!"), http.StatusUnauthorized)
		}
		expectOps(t, loginFrom(t, srv, "203.0.113.9", "lead@acme.test", webtest.Password), http.StatusTooManyRequests)
		expectOps(t, loginFrom(t, srv, "10.1.2.3, 203.0.113.9", "lead@acme.test", webtest.Password), http.StatusTooManyRequests)
		expectOps(t, loginFrom(t, srv, "203.0.113.10", "lead@acme.test", webtest.Password), http.StatusSeeOther)
	})
}

func TestUnknownRespondentLinksAreLimited(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		c := srv.Client(t)
		for i := range ratelimit.UnknownLinkLimit.Max {
			expectOps(t, c.Get(fmt.Sprintf("/s/%043d", i)), http.StatusNotFound)
		}
		r := c.Get("/s/" + strings.Repeat("z", 43))
		expectOps(t, r, http.StatusTooManyRequests, "Too many unknown survey links were opened from your network.")
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on 429")
		}
		srv.Clock.Advance(time.Minute)
		expectOps(t, c.Get("/s/"+strings.Repeat("z", 43)), http.StatusNotFound)
	})
}

// TestUnknownLinkCountIsSharedByReplicas: the count lives in the database,
// so a second replica refuses a guesser at its first miss, and a right
// link costs no rate-limit query at all.
func TestUnknownLinkCountIsSharedByReplicas(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		replica := sitetest.NewServer(t, db)
		replica.Clock.Set(r.srv.Clock.Now())
		var limitQueries int
		countLimitQueries := func(tx *gorm.DB) {
			if tx.Statement.Table == "rate_counts" {
				limitQueries++
			}
		}
		databasetest.Must(t, db.Callback().Query().Before("gorm:query").Register("count_limit_reads", countLimitQueries))
		databasetest.Must(t, db.Callback().Create().Before("gorm:create").Register("count_limit_writes", countLimitQueries))
		t.Cleanup(func() {
			db.Callback().Query().Remove("count_limit_reads")
			db.Callback().Create().Remove("count_limit_writes")
		})

		expectOps(t, r.srv.Client(t).Get(r.page), http.StatusOK)
		if limitQueries != 0 {
			t.Errorf("a right link made %d rate-limit queries, want 0", limitQueries)
		}
		c := r.srv.Client(t)
		for i := range ratelimit.UnknownLinkLimit.Max {
			expectOps(t, c.Get(fmt.Sprintf("/s/%043d", i)), http.StatusNotFound)
		}
		expectOps(t, replica.Client(t).Get("/s/"+strings.Repeat("y", 43)), http.StatusTooManyRequests)
		// The replica now refuses this address even a right link, like the first.
		expectOps(t, replica.Client(t).Get(r.page), http.StatusTooManyRequests)
	})
}

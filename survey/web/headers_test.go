package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"accord/analytics/site"
	"accord/analytics/site/sitetest"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// TestSecurityHeadersOnEveryKindOfPage checks the policy on a login page,
// a respondent page, a set-password page and an error page, and HSTS by
// the base URL's scheme.
func TestSecurityHeadersOnEveryKindOfPage(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv := sitetest.NewServer(t, db)
	c := srv.Client(t)
	for path, referrer := range map[string]string{
		"/login": "same-origin", "/orgs/nowhere": "same-origin",
		"/s/" + strings.Repeat("a", 43): "no-referrer", "/password/set?token=" + strings.Repeat("a", 43): "no-referrer",
	} {
		r := c.Get(path)
		h := r.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if got := h.Get("Referrer-Policy"); got != referrer {
			t.Errorf("%s: Referrer-Policy %q, want %q", path, got, referrer)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain http", path)
		}
		if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " onclick=") {
			t.Errorf("%s: inline script in the page", path)
		}
	}
	app, err := site.New(webkit.Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: &url.URL{Scheme: "https", Host: "accord.example"}, Secret: webtest.Secret})
	databasetest.Must(t, err)
	rec := httptest.NewRecorder()
	app.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	if hsts := rec.Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=31536000") {
		t.Errorf("https base URL: HSTS %q", hsts)
	}
}

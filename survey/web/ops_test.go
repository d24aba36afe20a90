package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site"
	"accord/analytics/site/sitetest"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/secrets"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		c := srv.Client(t)
		if r := c.Get("/healthz"); r.Status != http.StatusOK {
			t.Fatalf("/healthz = %d", r.Status)
		}
		if r := c.Get("/readyz"); r.Status != http.StatusOK {
			t.Fatalf("/readyz = %d", r.Status)
		}
		c.Get("/login")
		c.Get("/s/" + strings.Repeat("x", 43))
		_, m := get(t, srv.URL+"/metrics", webtest.MetricsToken)
		for _, want := range []string{
			`accord_http_requests_total{method="GET",route="/login",status="200"} 1`,
			"accord_http_request_duration_seconds_bucket",
			"go_sql_open_connections",
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if strings.Contains(m, strings.Repeat("x", 43)) {
			t.Error("/metrics exposes a respondent token")
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv := sitetest.NewServer(t, db)
	r := srv.Client(t).Get("/login")
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	if rr := srv.Client(t).Get("/s/" + strings.Repeat("a", 43)); rr.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("respondent page Referrer-Policy = %q", rr.Header.Get("Referrer-Policy"))
	}
}

// TestReadyzFollowsTheDatabase cuts the connection to PostgreSQL with a
// proxy: /readyz must answer 503 within a few seconds and recover, without a
// restart, when the database is back.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	target, proxy := databasetest.Proxied(t, databasetest.Target(t, database.Postgres))
	db := databasetest.OpenTarget(t, target)
	if _, err := database.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	srv := sitetest.NewServer(t, db)
	c := srv.Client(t)
	if r := c.Get("/readyz"); r.Status != http.StatusOK {
		t.Fatalf("/readyz with database up = %d", r.Status)
	}
	proxy.Cut()
	start := time.Now()
	if r := c.Get("/readyz"); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with database down = %d, want 503", r.Status)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("/readyz took %v to report the outage", d)
	}
	proxy.Restore()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if r := c.Get("/readyz"); r.Status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLogsNeverHoldARespondentToken: a respondent's link is a secret, so
// neither the request line nor an error line may carry its token, and a
// request its client abandoned is recorded as such (499), not as a failure.
func TestLogsNeverHoldARespondentToken(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	var logs bytes.Buffer
	app, err := site.New(webkit.Options{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Secret: webtest.Secret})
	databasetest.Must(t, err)
	token := secrets.NewToken()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client has gone
	rec := httptest.NewRecorder()
	app.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/s/"+token, nil).WithContext(ctx))
	app.Echo.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/s/"+token, nil))
	if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), token[:12]) {
		t.Errorf("the logs hold the token:\n%s", logs.String())
	}
	// Respondent requests leave no request line at all (see
	// TestRespondentRequestsLeaveNoTrace), and an abandoned one no error.
	if strings.Contains(logs.String(), "level=ERROR") || strings.Contains(logs.String(), "/s/") {
		t.Errorf("respondent requests are logged:\n%s", logs.String())
	}
}

package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// The dashboard in a real Chromium, on a desktop and on a phone: whatever
// charts it shows, each must be drawn (a canvas with a size), under the
// strict Content-Security-Policy, without script errors and without serious
// accessibility problems.

// allChartsDrawn is true when every [data-chart] element holds a canvas
// that takes up space on the page.
const allChartsDrawn = `[...document.querySelectorAll("[data-chart]")].every(el => {
	const c = el.querySelector("canvas");
	if (!c) return false;
	const r = c.getBoundingClientRect();
	return c.width > 0 && c.height > 0 && r.width > 0 && r.height > 0;
})`

// undrawnCharts lists the ids of [data-chart] elements without a sized canvas.
const undrawnCharts = `[...document.querySelectorAll("[data-chart]")].filter(el => {
	const c = el.querySelector("canvas");
	return !c || !(c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0);
}).map(el => el.id || el.outerHTML.slice(0, 80))`

// dashboardWithRounds creates org "acme" with three closed rounds large
// enough to show and one too small to show, and a leader who may see it.
func dashboardWithRounds(t *testing.T, db *gorm.DB) *webtest.Server {
	t.Helper()
	org := webtest.MustOrg(t, db, "acme", "Acme Widgets")
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
	start := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	for i, r := range []analyticstest.Round{
		{Title: "September pulse", A1: analyticstest.A1(1, 9)},
		{Title: "October pulse", A1: analyticstest.A1(2, 3)}, // below the threshold: hidden
		{Title: "November pulse", A1: analyticstest.A1(2, 11)},
		{Title: "December pulse", A1: append(analyticstest.A1(3, 12), 3, 4, 4)},
	} {
		r.OpensAt = start.AddDate(0, i, 0)
		analyticstest.MustRound(t, db, org, r)
	}
	return sitetest.NewServer(t, db)
}

// logIn signs in through the login form the dashboard redirects to; the
// tabs of one browser share cookies, so a later tab is logged in already.
func logIn(t *testing.T, p *browsertest.Page) {
	t.Helper()
	if !strings.Contains(p.URL(), "/login") {
		return
	}
	p.Type("#email", "lee@acme.test")
	p.Type("#password", webtest.Password)
	if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("log in: status %d", status)
	}
}

func TestBrowserDashboard(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := dashboardWithRounds(t, db)
		for _, tc := range []struct {
			name string
			opts []browsertest.Option
		}{
			{"desktop", nil},
			{"phone", []browsertest.Option{browsertest.Phone()}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := b.Open(t, srv.URL+"/orgs/acme", tc.opts...)
				logIn(t, p)
				if !strings.HasSuffix(p.URL(), "/orgs/acme") {
					t.Fatalf("after login at %s, want the dashboard", p.URL())
				}
				if p.Count("[data-chart]") == 0 {
					t.Fatal("the dashboard shows no chart for four closed rounds")
				}
				p.WaitFor(`document.readyState === "complete"`)
				if !browsertest.Eval[bool](p, allChartsDrawn) {
					t.Errorf("charts not drawn: %v", browsertest.Eval[[]string](p, undrawnCharts))
				}
				if csp := p.CSPViolations(); len(csp) > 0 {
					t.Errorf("Content-Security-Policy violations: %v", csp)
				}
				p.AssertNoErrors()
				p.AssertAccessible("serious")
			})
		}
	})
}

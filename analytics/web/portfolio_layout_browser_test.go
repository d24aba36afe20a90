package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"accord/analytics"
	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// clipped lists the scroll regions whose content is wider than they are,
// and the table cells cut off by their column: what a reader cannot see
// without scrolling a table sideways.
const clipped = `[...document.querySelectorAll(".table-scroll")].filter(el => el.offsetParent && el.scrollWidth > el.clientWidth + 1)
	.map(el => (el.getAttribute("aria-label") || el.className) + ": " + el.scrollWidth + " > " + el.clientWidth)`

// TestBrowserPortfolioFits: on what `accord demo` makes (six organisations,
// all in the cross-client benchmark), the portfolio fits a 1280-pixel
// screen and a 375-pixel phone with no column cut off and nothing to
// scroll sideways, and the cross-client benchmark shows figures.
func TestBrowserPortfolioFits(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	db := databasetest.Open(t, "sqlite")
	now := time.Now().UTC()
	_, err := demo.Generate(t.Context(), db, demo.Options{Orgs: 6, People: 40, Rounds: 3, Seed: 1, Now: now, Secret: []byte("secret")})
	databasetest.Must(t, err)
	databasetest.Must(t, analytics.RollupAll(t.Context(), db, now))
	webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	srv := sitetest.NewServer(t, db)
	for _, tc := range []struct {
		name string
		opt  browsertest.Option
	}{{"1280 px", browsertest.Viewport(1280, 900, false)}, {"375 px phone", browsertest.Phone()}} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Open(t, srv.URL+"/portfolio", tc.opt)
			if strings.Contains(p.URL(), "/login") {
				p.Type("#email", "admin@accord.test")
				p.Type("#password", webtest.Password)
				if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
					t.Fatalf("log in: status %d", status)
				}
			}
			if n := p.Count("svg.spark"); n != 6 {
				t.Errorf("%d sparklines, want one per organisation", n)
			}
			if cut := browsertest.Eval[[]string](p, clipped); len(cut) > 0 {
				t.Errorf("columns cut off: %v", cut)
			}
			if p.ScrollsSideways() {
				t.Errorf("the portfolio scrolls sideways: %v", p.Overflowing())
			}
			cross := p.Text("#cross-heading + p + .table-scroll tbody tr")
			if !strings.HasPrefix(cross, "Completely aligned · Whole organisations") || strings.Count(cross, "%") < 4 || strings.Contains(cross, "fewer than") {
				t.Errorf("the cross-client benchmark shows no figures on the demo data: %q", cross)
			}
			p.AssertNoErrors()
			p.AssertAccessible("serious")
		})
	}
}

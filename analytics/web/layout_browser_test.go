package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"accord/analytics/analyticstest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// Layout checks that a person would notice, measured in a real Chromium.

// logInAs signs in through the login form the page redirected to.
func logInAs(t *testing.T, p *browsertest.Page, email string) {
	t.Helper()
	p.Type("#email", email)
	p.Type("#password", webtest.Password)
	if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("log in as %s: status %d", email, status)
	}
}

func screenshot(t *testing.T, p *browsertest.Page, name string) {
	if dir := os.Getenv("ACCORD_TEST_SCREENSHOTS"); dir != "" {
		p.Screenshot(filepath.Join(dir, name+".png"))
	}
}

// TestBrowserPortfolioFitsLaptop: at 1280 px, a laptop's width, the whole
// portfolio table shows without scrolling inside its box.
func TestBrowserPortfolioFitsLaptop(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	w := newPortfolioWorld(t, db).rolledUp(t)
	p := browsertest.New(t).Open(t, w.srv.URL+"/portfolio", browsertest.Viewport(1280, 800, false))
	logInAs(t, p, "con@accord.test")
	screenshot(t, p, "portfolio-1280")
	clipped := browsertest.Eval[[]int](p, `[...document.querySelectorAll(".table-scroll")].filter(e => e.scrollWidth > e.clientWidth).map(e => e.scrollWidth - e.clientWidth)`)
	if len(clipped) > 0 {
		t.Errorf("at 1280 px the portfolio's tables are clipped by %v px and scroll inside their box", clipped)
	}
}

// fitsSelect is true when the chosen option of select sel shows whole: its
// text, in the select's font, plus room for the arrow, fits its width.
const fitsSelect = `(sel => { const s = document.querySelector(sel), c = document.createElement("canvas").getContext("2d");
	c.font = getComputedStyle(s).font;
	const text = c.measureText(s.options[s.selectedIndex].text).width;
	const st = getComputedStyle(s);
	return text + parseFloat(st.paddingLeft) + parseFloat(st.paddingRight) + 24 <= s.clientWidth; })`

// TestBrowserDashboardRoundPickerAndPhone: the round picker shows a long
// round name whole on a laptop and takes the form's whole width on a
// phone, and on a phone the first screen of the dashboard shows a number.
func TestBrowserDashboardRoundPickerAndPhone(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	srv, _, org := setup(t, db, "Acme Widgets")
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
	rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...)
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Quarterly alignment pulse, third quarter 2026", OpensAt: jan, Respondents: rs})
	b := browsertest.New(t)
	for _, view := range []struct {
		name string
		opt  browsertest.Option
	}{{"laptop", browsertest.Viewport(1280, 800, false)}, {"phone", browsertest.Phone()}} {
		t.Run(view.name, func(t *testing.T) {
			p := b.Open(t, srv.URL+"/orgs/acme", view.opt)
			if browsertest.Eval[bool](p, `location.pathname === "/login"`) {
				logInAs(t, p, "lee@acme.test")
			}
			screenshot(t, p, "dashboard-"+view.name)
			// A phone's native picker shows the whole name when opened; the
			// closed picker has at least the form's whole width for it.
			if view.name == "laptop" && !browsertest.Eval[bool](p, fitsSelect+`("#f-round")`) {
				t.Errorf("the round picker cuts the round's name short")
			}
			if w := browsertest.Eval[float64](p, `document.querySelector("#f-round").getBoundingClientRect().width / document.querySelector(".filter-grid").getBoundingClientRect().width`); w < 0.99 {
				t.Errorf("the round picker takes %.0f%% of the form's width, want all of it", 100*w)
			}
			// The first number is the insight's verdict ("9.9% of the
			// organisation …") where it leads the page, else a metric card.
			top := browsertest.Eval[float64](p, `document.querySelector(".insight-verdict, .metric").getBoundingClientRect().top`)
			if height := browsertest.Eval[float64](p, `innerHeight`); top >= height {
				t.Errorf("the first number is %.0f px down, below the first screen of %.0f px", top, height)
			}
		})
	}
}

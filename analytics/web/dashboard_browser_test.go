package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// The full dashboard in Chromium, on data from both databases: every chart
// it offers is drawn on a sized canvas, the page logs no error and no
// Content-Security-Policy violation, axe-core finds no violation of any
// impact, the filter form works, and a team named like a script tag stays
// text.

// chartDrawn reports whether the chart with the id holds a sized canvas.
const chartDrawn = `(id => { const el = document.getElementById(id); const c = el && el.querySelector("canvas");
	return !!c && c.width > 0 && c.height > 0 && c.getBoundingClientRect().height > 0; })`

const scriptTeam = `</script><script>alert(1)</script>`

// fullDashboard creates two closed rounds in which every chart has
// something to show, a comment with HTML and a team named like a script.
func fullDashboard(t *testing.T, db *gorm.DB) *webtest.Server {
	t.Helper()
	srv, _, org := setup(t, db, "Acme Widgets")
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
	pulse(t, db, org)
	rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, scriptTeam, 8)...)
	rs[3].Comment = `<b>bold</b> & <a href="x">link</a>`
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Summer pulse", OpensAt: jan.AddDate(0, 4, 0), Respondents: rs})
	return srv
}

func TestBrowserFullDashboard(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := fullDashboard(t, db)
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
				p.WaitFor(`document.readyState === "complete"`)
				for _, id := range []string{charts.TrendID, charts.IndexTrendID, charts.DistributionID, charts.GapID, charts.HeatmapID, charts.RatesID, charts.StatementsID} {
					if !browsertest.Eval[bool](p, chartDrawn+`("`+id+`")`) {
						t.Errorf("chart %s is not drawn", id)
					}
				}
				// The headline is the first thing on the page: in view
				// without scrolling, the statistics folded under "How we know".
				if !browsertest.Eval[bool](p, `(() => { const el = document.querySelector(".insight .insight-verdict");
					return !!el && el.getBoundingClientRect().top < window.innerHeight && !document.querySelector("details.how").open; })()`) {
					t.Error("the verdict is not in view on arrival, or “How we know” is open")
				}
				if csp := p.CSPViolations(); len(csp) > 0 {
					t.Errorf("Content-Security-Policy violations: %v", csp)
				}
				p.AssertNoErrors()
				p.AssertAccessible("minor")
				if p.ScrollsSideways() {
					t.Errorf("the dashboard scrolls sideways: %v", p.Overflowing())
				}
				if got := browsertest.Eval[string](p, `document.querySelector("#`+charts.HeatmapID+` ~ details table").textContent`); !strings.Contains(got, "Team: "+scriptTeam) {
					t.Errorf("heatmap table does not show the team name as text: %q", got)
				}
				if got := p.Text(".comments"); !strings.Contains(got, `<b>bold</b> & <a href="x">link</a>`) || p.Count(".comments b, .comments a") != 0 {
					t.Errorf("comment not shown as plain text: %q", got)
				}
			})
		}

		t.Run("filter form", func(t *testing.T) {
			p := b.Open(t, srv.URL+"/orgs/acme")
			logIn(t, p)
			p.SetValue("#f-function", "sales")
			if status := p.ClickAndWait(`.filters button[type="submit"]`); status != http.StatusOK {
				t.Fatalf("submit filters: status %d", status)
			}
			if !strings.Contains(p.URL(), "function=sales") || !strings.Contains(p.Text("#group-heading"), "Sales") {
				t.Errorf("after filtering at %s, heading %q; want the sales view", p.URL(), p.Text("#group-heading"))
			}
			p.WaitFor(`document.readyState === "complete"`)
			if !browsertest.Eval[bool](p, chartDrawn+`("`+charts.TrendID+`")`) {
				t.Error("filtered trend not drawn")
			}
			p.AssertNoErrors()
			p.AssertAccessible("minor")
		})
	})
}

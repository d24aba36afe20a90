package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accord/analytics/charts"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"

	"gorm.io/gorm"
)

// TestBrowserWeightingSortingAndDrivers drives the insight's additions in
// Chromium on both databases, on a desktop and a phone, with JavaScript on
// and off: the weighting link shows the weighted results and the link back
// hides them; the heatmap's sorting links reorder its rows and mark the
// sorted column with aria-sort; the drivers chart is drawn beside its
// table. No console error, no axe violation, no sideways scrolling.
func TestBrowserWeightingSortingAndDrivers(t *testing.T) {
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := leaningServer(t, db)
		for _, tc := range []struct {
			name string
			opts []browsertest.Option
		}{
			{"desktop", nil},
			{"phone", []browsertest.Option{browsertest.Phone()}},
			{"phone without JavaScript", []browsertest.Option{browsertest.Phone(), browsertest.NoScript()}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				scripts := !strings.Contains(tc.name, "without")
				p := b.Open(t, srv.URL+"/orgs/acme", tc.opts...)
				logIn(t, p)
				p.WaitFor(`document.readyState === "complete"`)
				if scripts && !browsertest.Eval[bool](p, chartDrawn+`("`+charts.DriversID+`")`) {
					t.Error("the drivers chart is not drawn")
				}
				if got := browsertest.Eval[string](p, `document.querySelector("#`+charts.DriversID+`-heading ~ details table").textContent`); !strings.Contains(got, "goes with alignment") && !strings.Contains(got, "no clear association") {
					t.Errorf("drivers table: %q", got)
				}
				check := func(what string) {
					t.Helper()
					p.AssertNoErrors()
					p.AssertAccessible("minor")
					if p.ScrollsSideways() {
						t.Errorf("%s: the dashboard scrolls sideways: %v", what, p.Overflowing())
					}
				}
				check("arrival")

				if status := p.ClickAndWait("#weighted-toggle"); status != http.StatusOK {
					t.Fatalf("weighting link: status %d", status)
				}
				p.WaitFor(`document.readyState === "complete"`)
				if !strings.Contains(p.URL(), "weighted=1") || p.Count("#weighted-heading") != 1 || !strings.Contains(p.Text(".weighted"), "Kish") {
					t.Errorf("after the weighting link at %s: weighted section %d", p.URL(), p.Count("#weighted-heading"))
				}
				check("weighted")

				// Sort the heatmap by value of the completely-aligned share,
				// then by name, with the weighting still on.
				if status := p.ClickAndWait(`.chart-sort a[href*="sort=value"]`); status != http.StatusOK {
					t.Fatalf("sort by value: status %d", status)
				}
				p.WaitFor(`document.readyState === "complete"`)
				if !strings.Contains(p.URL(), "weighted=1") || p.Count(`#`+charts.HeatmapID+`-heading ~ details th[aria-sort="descending"]`) != 1 {
					t.Errorf("sorted by value at %s: no column marked descending, or the weighting was lost", p.URL())
				}
				if status := p.ClickAndWait(`.chart-sort a[href*="sort=name"]`); status != http.StatusOK {
					t.Fatalf("sort by name: status %d", status)
				}
				p.WaitFor(`document.readyState === "complete"`)
				sorted := browsertest.Eval[bool](p, `(() => { const l = [...document.querySelectorAll("#`+charts.HeatmapID+`-heading ~ details tbody th")].map(th => th.textContent);
					return l.length > 3 && l.every((x, i) => i === 0 || l[i-1] <= x); })()`)
				if !sorted || p.Count(`#`+charts.HeatmapID+`-heading ~ details th[aria-sort="ascending"]`) != 1 {
					t.Error("sorted by name: rows not in order, or the group column not marked ascending")
				}
				if scripts && !browsertest.Eval[bool](p, chartDrawn+`("`+charts.HeatmapID+`")`) {
					t.Error("the sorted heatmap is not drawn")
				}
				check("sorted")

				if status := p.ClickAndWait("#weighted-toggle"); status != http.StatusOK {
					t.Fatalf("link back: status %d", status)
				}
				if strings.Contains(p.URL(), "weighted=1") || p.Count("#weighted-heading") != 0 || !strings.Contains(p.URL(), "sort=name") {
					t.Errorf("after the link back at %s: the weighted results stay, or the sorting was lost", p.URL())
				}
			})
		}
	})
}

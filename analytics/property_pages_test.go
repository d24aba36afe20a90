package analytics_test

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

var pageChart = regexp.MustCompile(`<div id="([^"]+)" class="chart" data-chart="([^"]*)"`)

// TestPagesShowOnlyPublishedGroups requests random filters of random
// organisations through the real router and checks every number a page
// carries against the rollups: hidden groups and numbers read their true
// reason, the heatmap draws a value only for a published number and marks
// every hidden one, and the comments of a hidden group are never shown.
func TestPagesShowOnlyPublishedGroups(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		rng := rand.New(rand.NewPCG(21, 22))
		srv := sitetest.NewServer(t, db)
		srv.Clock.Set(jan.AddDate(1, 0, 0))
		for i := range 4 {
			o := newRandomOrg(t, db, rng, fmt.Sprintf("page-%d", i))
			email := fmt.Sprintf("leader%d@example.test", i)
			webtest.MustAccount(t, db, email, account.RoleLeader, o.org.ID)
			client := srv.Client(t)
			client.Login(email, webtest.Password)
			for range 8 {
				r := rng.IntN(len(o.rounds))
				f := randomFilter(rng, o, r)
				v := url.Values{"round": {fmt.Sprint(o.rounds[r].ID)}}
				for _, d := range analytics.Dims {
					if f.Has(d) {
						v.Set(d.Name(), formValue(f.Get(d)))
					}
				}
				page := client.Get("/orgs/" + o.org.Slug + "?" + v.Encode())
				checkPage(t, db, o, r, f, page.Body)
			}
			checkOrg(t, db, o) // the rollups the pages read, attacked too
		}
	})
}

func formValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// randomFilter fixes one or two attributes of a random respondent of round r.
func randomFilter(rng *rand.Rand, o *randomOrg, r int) analytics.Group {
	var people []analytics.Attrs
	for _, a := range o.responders[r] {
		people = append(people, a)
	}
	slices.SortFunc(people, func(a, b analytics.Attrs) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	a := people[rng.IntN(len(people))]
	mask := analytics.Dim(1 + rng.IntN(15))
	return analytics.Project(a, mask)
}

func checkPage(t *testing.T, db *gorm.DB, o *randomOrg, r int, f analytics.Group, body string) {
	t.Helper()
	where := fmt.Sprintf("%s (k=%d) round %d, filter %s", o.org.Slug, o.k, r+1, f.Label())
	var cells []analytics.RollupCell
	db.Where("round_id = ?", o.rounds[r].ID).Find(&cells)
	var cell *analytics.RollupCell
	for i, c := range cells {
		if cellGroup(c) == f {
			cell = &cells[i]
		}
	}
	if cell == nil {
		t.Fatalf("%s: no rollup cell for the filter", where)
	}
	text := html.UnescapeString(body)
	if cell.Hidden {
		why := analytics.Reason(cell.HiddenReason).Text(o.k)
		if !strings.Contains(text, why) || strings.Contains(body, `class="card headline"`) || strings.Contains(body, "<ul class=\"comments\">") {
			t.Fatalf("%s: hidden group does not say %q, or shows results or comments", where, why)
		}
	}
	parts := map[string]analytics.RollupCell{} // the filter's parts, by table label
	for _, c := range cells {
		g := cellGroup(c)
		if d := onlyOneMore(g, f); d != 0 && includes(g, f) {
			parts[d.Label()+": "+d.ValueLabel(g.Get(d))] = c
		}
	}
	for id, option := range chartsOf(t, body) {
		if id == charts.HeatmapID {
			checkHeatmap(t, where, option, parts)
		}
	}
	for label, c := range parts {
		if c.Hidden && strings.Contains(text, "<th scope=\"row\">"+label+"</th><td>") {
			t.Fatalf("%s: table shows numbers for hidden group %s", where, label)
		}
		row := "<th scope=\"row\">" + label + "</th><td colspan=\"6\" class=\"suppressed\">" + analytics.Reason(c.HiddenReason).Text(o.k) + "</td>"
		if c.Hidden && !cell.Hidden && !strings.Contains(text, row) {
			t.Fatalf("%s: hidden group %s does not read its reason, %q", where, label, analytics.Reason(c.HiddenReason).Text(o.k))
		}
	}
}

// heatmapBasis is the basis each heatmap column rests on.
var heatmapBasis = []int{onA1, onA1, onTrust, onInformation, onProcess}

// checkHeatmap: a cell drawn with a value is a published number; every
// hidden number of a row is drawn as a hidden cell, not left blank.
func checkHeatmap(t *testing.T, where string, option heatOption, parts map[string]analytics.RollupCell) {
	t.Helper()
	marked := map[[2]int]bool{}
	for s, series := range option.Series {
		for _, p := range series.Data {
			x, y := int(p.Value[0].(float64)), int(p.Value[1].(float64))
			label := html.UnescapeString(option.YAxis[0].Data[y])
			_, why := basisOf(parts[label], heatmapBasis[x])
			if hidden := s == 1; why.Hidden() != hidden {
				t.Fatalf("%s: heatmap draws %s's column %d as hidden=%v, its number is hidden=%v", where, label, x, hidden, why.Hidden())
			}
			marked[[2]int{x, y}] = true
		}
	}
	for y, label := range option.YAxis[0].Data {
		for x := range heatmapBasis {
			if !marked[[2]int{x, y}] {
				t.Fatalf("%s: heatmap leaves %s's column %d blank", where, html.UnescapeString(label), x)
			}
		}
	}
}

// includes reports whether g fixes everything f fixes, to the same values.
func includes(g, f analytics.Group) bool {
	for _, d := range analytics.Dims {
		if f.Has(d) && (!g.Has(d) || g.Get(d) != f.Get(d)) {
			return false
		}
	}
	return true
}

// onlyOneMore returns the one attribute g fixes beyond f, or 0.
func onlyOneMore(g, f analytics.Group) analytics.Dim {
	extra := g.Fixed &^ f.Fixed
	if extra == 0 || extra&(extra-1) != 0 {
		return 0
	}
	return extra
}

type heatOption struct {
	YAxis []struct {
		Data []string `json:"data"`
	} `json:"yAxis"`
	Series []struct {
		Data []struct {
			Value []any `json:"value"`
		} `json:"data"`
	} `json:"series"`
}

func chartsOf(t *testing.T, body string) map[string]heatOption {
	t.Helper()
	out := map[string]heatOption{}
	for _, m := range pageChart.FindAllStringSubmatch(body, -1) {
		if m[1] != charts.HeatmapID {
			continue
		}
		var o heatOption
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &o); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = o
	}
	return out
}

package web_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// leaningServer is an organisation with the two rounds of pulse and a
// third closed round in which product answered far less than sales: 8 of
// 8 sales people (all completely aligned), 8 of 16 product people (none).
// Its leaders are leader@ and lee@acme.test; nobody is logged in.
func leaningServer(t *testing.T, db *gorm.DB) *webtest.Server {
	t.Helper()
	org := webtest.MustOrg(t, db, "acme", "Acme")
	webtest.MustAccount(t, db, "leader@acme.test", account.RoleLeader, org.ID)
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID) // for the browser's logIn
	pulse(t, db, org)
	rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 16)...)
	for i := 16; i < len(rs); i++ {
		rs[i] = analyticstest.Respondent{Person: rs[i].Person, Function: roster.FunctionProduct, Team: "Builders", Region: "EMEA", TenureBand: "1-2 years", Declined: true}
	}
	for i := 0; i < 16; i++ {
		rs[i].A1 = 1 // sales are completely aligned, product not
		if i >= 8 {
			rs[i].A1 = 2 + i%3
		}
	}
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Summer pulse", OpensAt: jan.AddDate(0, 4, 0), Respondents: rs})
	srv := sitetest.NewServer(t, db)
	srv.Clock.Set(jan.AddDate(1, 0, 0))
	return srv
}

// leaningRound is leaningServer with leader@acme.test logged in.
func leaningRound(t *testing.T, db *gorm.DB) (*webtest.Server, *webtest.Client) {
	t.Helper()
	srv := leaningServer(t, db)
	client := srv.Client(t)
	client.Login("leader@acme.test", webtest.Password)
	return srv, client
}

var heatRow = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th>(.*?)</tr>`)

// heatmapTable returns the heatmap table's header and rows (label, cells).
func heatmapTable(t *testing.T, body string) (string, [][2]string) {
	t.Helper()
	start := strings.Index(body, `id="`+charts.HeatmapID+`-heading"`)
	if start < 0 {
		t.Fatal("no heatmap")
	}
	sec := body[start:]
	sec = sec[:strings.Index(sec, "</section>")]
	head := sec[strings.Index(sec, "<thead>"):strings.Index(sec, "</thead>")]
	var rows [][2]string
	for _, m := range heatRow.FindAllStringSubmatch(sec, -1) {
		rows = append(rows, [2]string{html.UnescapeString(m[1]), m[2]})
	}
	return head, rows
}

// cellNumber reads the leading number of a table cell ("62.5 ▲ above…").
func cellNumber(cells string, i int) float64 {
	tds := regexp.MustCompile(`<td>([^<]*)</td>`).FindAllStringSubmatch(cells, -1)
	if i >= len(tds) {
		return -1
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.Fields(tds[i][1])[0], "%"), 64)
	if err != nil {
		return -1
	}
	return f
}

// TestDashboardWeightedToggleAndSorting: the dashboard offers results
// weighted to the roster as a link (?weighted=1), shows them with the
// weights (sales 8 of 24 invited, product 16 of 24) and the method, keeps
// them on through the filter form, and sorts the heatmap's rows by links
// that set aria-sort, the chart in the table's order; the drivers are a
// chart with their table and the caveat.
func TestDashboardWeightedToggleAndSorting(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client := leaningRound(t, db)
		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("GET /orgs/acme: %d", r.Status)
		}
		if !strings.Contains(r.Body, `id="weighted-toggle" href="/orgs/acme?weighted=1#insight-heading">Show results weighted to the roster</a>`) ||
			strings.Contains(r.Body, "weighted-heading") {
			t.Error("the dashboard lacks the weighting link, or shows weighted results unasked")
		}
		if !strings.Contains(r.Body, "Product answered more than sales") && !strings.Contains(r.Body, "Sales answered more than product") {
			t.Error("no warning that the results may lean")
		}
		dr, ok := chartsIn(t, r.Body)[charts.DriversID]
		if !ok || len(dr.series(charts.SeriesDriverInterval)) == 0 {
			t.Errorf("no drivers chart with intervals: %+v", dr)
		}
		for _, want := range []string{`id="` + charts.DriversID + `-heading"`, "Association, not proof of cause", "Association (r)"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("drivers section lacks %q", want)
			}
		}

		w := client.Get("/orgs/acme?weighted=1")
		for _, want := range []string{"Weighted to the roster", "Weights by function", "<th scope=\"row\">Sales</th><td>8</td><td>8</td><td>50.0%</td><td>33.3%</td>",
			"<th scope=\"row\">Product</th><td>16</td><td>8</td><td>50.0%</td><td>66.7%</td>", "Kish", "a weight never reveals a hidden group",
			`<input type="hidden" name="weighted" value="1">`, "Show results as answered", "Weighted results (the toggle): post-stratification"} {
			if !strings.Contains(w.Body, want) {
				t.Errorf("weighted dashboard lacks %q", want)
			}
		}
		// Sales all completely aligned, product none: as answered 50%, weighted 33.3%.
		if !strings.Contains(w.Body, "Weighted to the roster, 33.3% of the organisation are completely aligned") {
			t.Errorf("weighted verdict missing or wrong:\n%s", w.Body[strings.Index(w.Body, "weighted-heading"):][:600])
		}

		head, rows := heatmapTable(t, client.Get("/orgs/acme?sort=name").Body)
		var labels []string
		for _, row := range rows {
			labels = append(labels, row[0])
		}
		if !strings.Contains(head, `<th scope="col" aria-sort="ascending"><a href="?sort=name#`) || !slices.IsSorted(labels) || len(labels) < 4 {
			t.Errorf("sorted by name: head %s, rows %q", head, labels)
		}
		body := client.Get("/orgs/acme?sort=value&col=0").Body
		head, rows = heatmapTable(t, body)
		var shares []float64
		for _, row := range rows {
			if v := cellNumber(row[1], 1); v >= 0 {
				shares = append(shares, v)
			}
		}
		if !strings.Contains(head, `aria-sort="descending"><a href="?col=0&amp;sort=value#`) || len(shares) < 4 || !slices.IsSortedFunc(shares, func(a, b float64) int { return int(b - a) }) {
			t.Errorf("sorted by completely aligned: head %s, shares %v", head, shares)
		}
		hm := chartsIn(t, body)[charts.HeatmapID]
		if len(hm.YAxis) == 0 || len(hm.YAxis[0].Data) != len(rows) || hm.YAxis[0].Data[len(rows)-1] != rows[0][0] {
			t.Errorf("heatmap chart rows %v, want the table's order (top row %q)", hm.YAxis, rows[0][0])
		}
		if !strings.Contains(body, `<details class="table-alt" open>`) || !strings.Contains(body, "Benjamini–Hochberg") {
			t.Error("after sorting the heatmap's table is not open, or the page does not say how false discoveries are controlled")
		}
		gap := client.Get("/orgs/acme?sort=gap&col=0&weighted=1").Body
		if head, _ := heatmapTable(t, gap); !strings.Contains(head, `aria-sort="other"`) || !strings.Contains(gap, "Weighted to the roster") {
			t.Errorf("sorted by gap with weighting: head %s", head)
		}
		if bad := client.Get("/orgs/acme?sort=%3Cscript%3E&col=99"); bad.Status != http.StatusOK || strings.Contains(bad.Body, "<script>") && strings.Contains(bad.Body, "sort=<script>") {
			t.Errorf("unknown sorting: status %d", bad.Status)
		}
	})
}

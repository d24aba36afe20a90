package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	analyticsweb "accord/analytics/web"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/web/webtest"
)

var jan = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// chartOption is the part of the echarts option the tests read.
type chartOption struct {
	XAxis []struct {
		Data []string `json:"data"`
	} `json:"xAxis"`
	Series []struct {
		Name     string
		Data     []struct{ Value any }
		MarkLine struct {
			Data []struct{ YAxis float64 }
		}
	} `json:"series"`
}

var dataChart = regexp.MustCompile(`data-chart="([^"]*)"`)

// chartData extracts and parses the data-chart attribute of a page, as the
// browser would: attribute-unescape, then JSON.parse.
func chartData(t *testing.T, body string) chartOption {
	t.Helper()
	m := dataChart.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no data-chart attribute in page:\n%s", body)
	}
	var o chartOption
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &o); err != nil {
		t.Fatalf("data-chart does not parse as JSON: %v\n%s", err, m[1])
	}
	return o
}

func (o chartOption) series(name string) []any {
	for _, s := range o.Series {
		if s.Name == name {
			var vs []any
			for _, d := range s.Data {
				vs = append(vs, d.Value)
			}
			return vs
		}
	}
	return nil
}

// setup starts the real router with the dashboard and returns a logged-in
// leader of org "acme".
func setup(t *testing.T, db *gorm.DB, name string) (*webtest.Server, *webtest.Client, *survey.Organisation) {
	t.Helper()
	org := webtest.MustOrg(t, db, "acme", name)
	webtest.MustAccount(t, db, "leader@acme.test", survey.RoleLeader, org.ID)
	srv := webtest.NewServer(t, db, analyticsweb.Register)
	client := srv.Client(t)
	client.Login("leader@acme.test", webtest.Password)
	return srv, client, org
}

func TestDashboardShowsShareIntervalAndBenchmark(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Winter pulse", OpensAt: jan, A1: analyticstest.A1(1, 4)})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Spring pulse", OpensAt: jan.AddDate(0, 2, 0), A1: analyticstest.A1(3, 20)})

		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("GET /orgs/acme: status %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{
			"15.0%", "5.2%–36.0%", "3 of 20", "Spring pulse", // headline: share, interval, n
			"9.2%", survey.BenchmarkSource, "7–13%", // benchmark, its source and its own uncertainty
			"fewer than 5 responses", // the suppressed round in the table
			`id="` + charts.TrendID + `"`, "vendor/echarts-5.6.0.min.js", "js/charts.js",
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "25.0%") || strings.Contains(r.Body, "1 of 4") {
			t.Error("dashboard shows the share of a round with fewer than 5 answers (1 of 4 = 25%)")
		}
		if strings.Contains(r.Body, "<script>") {
			t.Error("dashboard has an inline script; the CSP forbids them")
		}
		o := chartData(t, r.Body)
		if got := o.series(charts.SeriesShare); len(got) != 2 || got[0] != "-" || got[1] != 15.0 {
			t.Errorf("chart share series = %v, want [- 15]: a gap for the suppressed round", got)
		}
		for _, s := range o.Series {
			for _, d := range s.Data {
				if d.Value == 25.0 {
					t.Errorf("chart series %q carries the suppressed round's 25%%", s.Name)
				}
			}
		}
		var bench bool
		for _, s := range o.Series {
			bench = bench || (s.Name == charts.SeriesBenchmark && len(s.MarkLine.Data) == 1 && s.MarkLine.Data[0].YAxis == 9.2)
		}
		if !bench {
			t.Error("chart has no benchmark line at 9.2")
		}
	})
}

func TestDashboardEmptyState(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open now", Status: survey.RoundOpen, OpensAt: jan, A1: analyticstest.A1(6, 6)})
		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "No results yet") {
			t.Fatalf("status %d, want 200 with the empty state; body:\n%s", r.Status, r.Body)
		}
		if strings.Contains(r.Body, "data-chart") || strings.Contains(r.Body, "Open now") || strings.Contains(r.Body, "100.0%") {
			t.Error("empty dashboard shows a chart or the open round's provisional result")
		}
	})
}

func TestDashboardAccess(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, _ := setup(t, db, "Acme")
		other := webtest.MustOrg(t, db, "globex", "Globex")
		webtest.MustAccount(t, db, "leader@globex.test", survey.RoleLeader, other.ID)

		anon := srv.Client(t).Get("/orgs/acme")
		if anon.Status != http.StatusSeeOther || !strings.HasPrefix(anon.Header.Get("Location"), "/login") {
			t.Errorf("anonymous: status %d to %q, want 303 to /login", anon.Status, anon.Header.Get("Location"))
		}
		b := srv.Client(t)
		b.Login("leader@globex.test", webtest.Password)
		for _, path := range []string{"/orgs/acme", "/orgs/no-such-org"} {
			r := b.Get(path)
			if r.Status != http.StatusNotFound || strings.Contains(r.Body, "Acme") {
				t.Errorf("leader of another organisation GET %s: status %d (want 404 without the name)", path, r.Status)
			}
		}
		if r := b.Get("/orgs/globex"); r.Status != http.StatusOK {
			t.Errorf("leader GET own dashboard: status %d", r.Status)
		}
	})
}

func TestDashboardEscapesNames(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		const orgName = `</script><script>alert(1)</script>`
		const title = `"><img src=x onerror=alert(1)>`
		_, client, org := setup(t, db, orgName)
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: title, OpensAt: jan, A1: analyticstest.A1(2, 10)})

		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, raw := range []string{"<script>alert", orgName, title, "<img"} {
			if strings.Contains(r.Body, raw) {
				t.Errorf("page contains %q unescaped", raw)
			}
		}
		if got := chartData(t, r.Body).XAxis[0].Data; len(got) != 1 || got[0] != title {
			t.Errorf("chart categories = %q, want the round title %q back intact", got, title)
		}
	})
}

func TestDashboardAllRoundsSuppressed(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Tiny round", OpensAt: jan, A1: analyticstest.A1(2, 4)})
		r := client.Get("/orgs/acme")
		for _, want := range []string{"Fewer than 5 responses in Tiny round", "no result to chart yet", "fewer than 5 responses"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "data-chart") || strings.Contains(r.Body, "50.0%") || strings.Contains(r.Body, "2 of 4") {
			t.Error("dashboard charts or shows a round with fewer than 5 answers")
		}
	})
}

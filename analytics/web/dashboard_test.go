package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	"accord/analytics/site/sitetest"
	"accord/analytics/web"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

var jan = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// chartOption is the part of an echarts option the tests read.
type chartOption struct {
	XAxis []struct {
		Data []string `json:"data"`
	} `json:"xAxis"`
	YAxis []struct {
		Data []string `json:"data"`
	} `json:"yAxis"`
	Series []struct {
		Name     string
		Data     []struct{ Value any }
		MarkLine struct {
			Data []struct {
				Name  string
				XAxis any
				YAxis float64
			}
		}
	} `json:"series"`
}

var dataChart = regexp.MustCompile(`<div id="([^"]+)" class="chart" data-chart="([^"]*)"`)

// chartsIn extracts and parses every data-chart attribute of a page, as the
// browser would: attribute-unescape, then JSON.parse.
func chartsIn(t *testing.T, body string) map[string]chartOption {
	t.Helper()
	out := map[string]chartOption{}
	for _, m := range dataChart.FindAllStringSubmatch(body, -1) {
		var o chartOption
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &o); err != nil {
			t.Fatalf("data-chart of %s does not parse as JSON: %v\n%s", m[1], err, m[2])
		}
		out[m[1]] = o
	}
	return out
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
	webtest.MustAccount(t, db, "leader@acme.test", account.RoleLeader, org.ID)
	srv := sitetest.NewServer(t, db)
	srv.Clock.Set(jan.AddDate(1, 0, 0))
	client := srv.Client(t)
	client.Login("leader@acme.test", webtest.Password)
	return srv, client, org
}

// people returns n respondents of one team, named prefix1…prefixN, with
// answers that vary by person.
func people(prefix, function, team string, n int) []analyticstest.Respondent {
	var rs []analyticstest.Respondent
	for i := 1; i <= n; i++ {
		rs = append(rs, analyticstest.Respondent{Person: fmt.Sprintf("%s%d", prefix, i), Function: function, Team: team,
			Region: "EMEA", TenureBand: "1-2 years", A1: 1 + i%4,
			Likert: map[string]int{"T1": 1 + i%5, "T2": 1 + (i+1)%5, "I1": 1 + i%3, "I2": 2, "P1": 3, "P2": 1 + i%5}})
	}
	return rs
}

// pulse creates two closed rounds of 8 sales and 8 product people.
func pulse(t *testing.T, db *gorm.DB, org *survey.Organisation) {
	t.Helper()
	rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...)
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Winter pulse", OpensAt: jan, Respondents: rs})
	for i := range rs {
		rs[i].A1 = 1 + (rs[i].A1)%4
	}
	rs[0].Comment = "Quarterly planning should include sales."
	rs[9].Comment = "Roadmap reviews help."
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Spring pulse", OpensAt: jan.AddDate(0, 2, 0), Respondents: rs})
}

func TestDashboardShowsEveryMeasureAndChart(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		pulse(t, db, org)
		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK {
			t.Fatalf("GET /orgs/acme: status %d\n%s", r.Status, r.Body)
		}
		for _, want := range []string{
			"Whole organisation · Spring pulse", "Completely aligned", "95% interval", "of 16 people",
			"Exact binomial test", "chi-square", "expected counts are below 5",
			"Alignment index", "Trust index", "Information index", "Process index", "Cronbach",
			"Response rate", "100.0% (16 of 16)", "Change since Winter pulse", "no clear change",
			"Perception gap: sales and product", "Groups at a glance", "Team: Hunters",
			"Quarterly planning should include sales.", "Roadmap reviews help.", "In random order, without names or dates",
			"9.2%", survey.BenchmarkSource, "7–13%",
			`<select id="f-function" name="function">`, `<option value="sales">Sales</option>`,
			"vendor/echarts-5.6.0.min.js", "js/charts.js",
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "style=") {
			t.Error("dashboard has an inline script or style; the CSP forbids them")
		}
		got := chartsIn(t, r.Body)
		for _, id := range []string{charts.TrendID, charts.IndexTrendID, charts.DistributionID, charts.GapID, charts.HeatmapID, charts.RatesID} {
			if _, ok := got[id]; !ok {
				t.Errorf("chart %s missing (have %v)", id, keys(got))
			}
		}
		if d := got[charts.DistributionID]; len(d.series(charts.SeriesStudy)) != 4 || d.series(charts.SeriesStudy)[0] != 9.2 {
			t.Errorf("A1 distribution lacks the study's shares: %+v", d.Series)
		}
		var bench bool
		for _, s := range got[charts.TrendID].Series {
			bench = bench || (s.Name == charts.SeriesBenchmark && len(s.MarkLine.Data) == 1 && s.MarkLine.Data[0].YAxis == 9.2)
		}
		if !bench {
			t.Error("trend has no benchmark line at 9.2")
		}
	})
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestDashboardFilters(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		pulse(t, db, org)
		small := people("x", roster.FunctionSales, "Scouts", 3)
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Summer pulse", OpensAt: jan.AddDate(0, 4, 0),
			Respondents: append(append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...), small...)})

		r := client.Get("/orgs/acme?" + url.Values{"function": {"sales"}}.Encode())
		for _, want := range []string{"Sales · Summer pulse", "Clear filters", `<option value="sales" selected>`, "fewer than 5 responses"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("filtered to sales: page lacks %q", want)
			}
		}
		// Scouts (3) is hidden, and Hunters with it: sales minus Hunters
		// would otherwise be the three scouts.
		if strings.Contains(r.Body, "Perception gap") {
			t.Error("perception gap shown with a function filter")
		}
		team := client.Get("/orgs/acme?" + url.Values{"team": {"Scouts"}}.Encode())
		if !strings.Contains(team.Body, "fewer than 5 responses in Summer pulse") {
			t.Errorf("small team: page lacks the hidden notice:\n%s", team.Body)
		}
		none := client.Get("/orgs/acme?" + url.Values{"team": {"Nobody"}, "round": {"999999"}}.Encode())
		if none.Status != http.StatusOK || !strings.Contains(none.Body, "No one in Summer pulse matches these filters") {
			t.Errorf("unknown team: status %d, want the no-match notice", none.Status)
		}
		winter := client.Get("/orgs/acme?round=1")
		if !strings.Contains(winter.Body, "Whole organisation · Winter pulse") || !strings.Contains(winter.Body, "first closed round") {
			t.Error("round=1 does not show Winter pulse as the first round")
		}
	})
}

func TestDashboardOpenRoundShowsProgressOnly(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		rs := people("s", roster.FunctionSales, "Hunters", 6)
		rs = append(rs, analyticstest.Respondent{Person: "late", Function: roster.FunctionSales, Team: "Hunters", Declined: true})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open now", Status: survey.RoundOpen, OpensAt: jan, Respondents: rs})
		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "6 of 7 invited people have answered so far (85.7%);") {
			t.Fatalf("status %d, want the open round's progress; body:\n%s", r.Status, r.Body)
		}
		for _, leak := range []string{"Completely aligned, round by round", "Indices", "Comments appear when the round closes"} {
			if leak == "Comments appear when the round closes" {
				if !strings.Contains(r.Body, leak) {
					t.Errorf("open round: page lacks %q", leak)
				}
				continue
			}
			if strings.Contains(r.Body, leak) {
				t.Errorf("open round shows %q before it closes", leak)
			}
		}
		if _, ok := chartsIn(t, r.Body)[charts.RatesID]; !ok {
			t.Error("open round: no response-rate chart")
		}
	})
}

func TestDashboardEmptyState(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, _ := setup(t, db, "Acme")
		r := client.Get("/orgs/acme")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "No results yet") || strings.Contains(r.Body, "data-chart") {
			t.Fatalf("status %d, want 200 with the empty state and no chart; body:\n%s", r.Status, r.Body)
		}
	})
}

func TestDashboardAllRoundsSuppressed(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Tiny round", OpensAt: jan, A1: analyticstest.A1(2, 4)})
		r := client.Get("/orgs/acme")
		for _, want := range []string{"fewer than 5 responses in Tiny round", "fewer than 5 responses"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "data-chart=") || strings.Contains(r.Body, "50.0%") || strings.Contains(r.Body, "2 of 4") {
			t.Error("dashboard charts or shows a round with fewer than 5 answers")
		}
	})
}

func TestDashboardAccess(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, _ := setup(t, db, "Acme")
		other := webtest.MustOrg(t, db, "globex", "Globex")
		webtest.MustAccount(t, db, "leader@globex.test", account.RoleLeader, other.ID)

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

func TestDashboardEscapesNamesAndComments(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		const orgName = `<img src=x onerror=alert(2)>`
		const team = `</script><script>alert(1)</script>`
		const comment = `<b>bold</b> & <script>alert(3)</script>`
		const round = `"><svg onload=alert(4)>`
		_, client, org := setup(t, db, orgName)
		rs := append(people("s", roster.FunctionSales, team, 8), people("p", roster.FunctionProduct, "Builders", 8)...)
		rs[0].Comment = comment
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: round, OpensAt: jan, Respondents: rs})

		r := client.Get("/orgs/acme?" + url.Values{"team": {team}}.Encode())
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold", "<svg onload", team, comment, orgName} {
			if strings.Contains(r.Body, raw) {
				t.Errorf("page contains %q unescaped", raw)
			}
		}
		for _, escaped := range []string{"&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(3)&lt;/script&gt;", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"} {
			if !strings.Contains(r.Body, escaped) {
				t.Errorf("page lacks the escaped text %q", escaped)
			}
		}
		all := client.Get("/orgs/acme")
		heat, ok := chartsIn(t, all.Body)[charts.HeatmapID]
		if !ok || !contains(heat.YAxis[0].Data, "Team: "+team) {
			t.Errorf("heatmap groups %v, want the team name back intact", heat.YAxis)
		}
		if trend := chartsIn(t, all.Body)[charts.TrendID]; len(trend.XAxis) == 0 || !contains(trend.XAxis[0].Data, round) {
			t.Errorf("trend rounds %v, want the round title back intact", trend.XAxis)
		}
	})
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// TestTrendMarksQuestionnaireVersionChange: a round on a new version of
// the questionnaire is marked on the trend charts and in their tables.
func TestTrendMarksQuestionnaireVersionChange(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		pulse(t, db, org)
		v2 := survey.Instrument{OrgID: &org.ID, Key: survey.PulseKey, Version: 2, Name: "Pulse with our questions"}
		if err := db.Omit("Questions").Create(&v2).Error; err != nil {
			t.Fatal(err)
		}
		qs := survey.PulseQuestions()
		for i := range qs {
			qs[i].InstrumentID = v2.ID
		}
		if err := db.Create(&qs).Error; err != nil {
			t.Fatal(err)
		}
		rs := append(people("s", roster.FunctionSales, "Hunters", 8), people("p", roster.FunctionProduct, "Builders", 8)...)
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Summer pulse", OpensAt: jan.AddDate(0, 4, 0),
			Respondents: rs, InstrumentID: v2.ID})

		r := client.Get("/orgs/acme")
		if !strings.Contains(r.Body, "Summer pulse (questionnaire v2)") {
			t.Error("trend table does not mark the round on questionnaire v2")
		}
		for _, id := range []string{charts.TrendID, charts.IndexTrendID} {
			var marked bool
			for _, s := range chartsIn(t, r.Body)[id].Series {
				for _, m := range s.MarkLine.Data {
					marked = marked || (m.Name == "Questionnaire v2" && m.XAxis == 2.0)
				}
			}
			if !marked {
				t.Errorf("%s has no mark at the third round for questionnaire v2", id)
			}
		}
	})
}

// TestDashboardShowsSomeCommentsAndLinksAll: a round with more comments
// than the page shows lists CommentsShown per question, says how many
// there are and links the page with all of them; a closed round's
// comments are read once per server (they cannot change).
func TestDashboardShowsSomeCommentsAndLinksAll(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, client, org := setup(t, db, "Acme")
		n := web.CommentsShown + 10
		rs := append(people("s", roster.FunctionSales, "Hunters", n), people("p", roster.FunctionProduct, "Builders", 8)...)
		for i := range n {
			rs[i].Comment = fmt.Sprintf("comment number %d.", i)
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Spring", OpensAt: jan, Respondents: rs})

		var answerReads int
		db.Callback().Row().Before("gorm:row").Register("count_comment_reads", func(tx *gorm.DB) {
			if strings.Contains(tx.Statement.SQL.String(), "a.text") {
				answerReads++
			}
		})
		defer db.Callback().Row().Remove("count_comment_reads")

		page := client.Get("/orgs/acme")
		if page.Status != http.StatusOK {
			t.Fatalf("status %d", page.Status)
		}
		if got := strings.Count(page.Body, "comment number "); got != web.CommentsShown {
			t.Errorf("page shows %d comments, want %d", got, web.CommentsShown)
		}
		if want := fmt.Sprintf("%d of %d comments.", web.CommentsShown, n); !strings.Contains(page.Body, want) {
			t.Errorf("page lacks %q", want)
		}
		if !strings.Contains(page.Body, `href="/orgs/acme?comments=all#comments-heading">Show all comments</a>`) {
			t.Errorf("page lacks the link to all comments")
		}
		all := client.Get("/orgs/acme?comments=all")
		if got := strings.Count(all.Body, "comment number "); got != n {
			t.Errorf("?comments=all shows %d comments, want %d", got, n)
		}
		if strings.Contains(all.Body, "Show all comments") {
			t.Error("the page with all comments links itself")
		}
		for i := range n {
			if !strings.Contains(all.Body, fmt.Sprintf("comment number %d.", i)) {
				t.Errorf("comment %d missing from ?comments=all", i)
			}
		}
		if answerReads > 1 {
			t.Errorf("the closed round's comments were read %d times, want once", answerReads)
		}
	})
}

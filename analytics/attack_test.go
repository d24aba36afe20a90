package analytics_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/export"
	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// onePerson is the trust score of the one person who answers the trust
// items in the attack's second round.
const onePerson = analyticstest.OnePersonTrust

// TestSinglePersonIndexIsNeverPublished replays the attack of issue 10 (a
// roster of 5 + 1 where only one person answers the four trust items,
// analyticstest.SingleTrustAnswerer) through the real
// API handlers and pages, on both databases: the trust index of February
// rests on one person, so no surface may show it (nor its change, nor its
// exact score anywhere), and each says why in true words.
func TestSinglePersonIndexIsNeverPublished(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "attack", "Attack")
		analyticstest.SingleTrustAnswerer(t, db, org, jan)
		srv := sitetest.NewServer(t, db)
		srv.Clock.Set(jan.AddDate(0, 3, 0))
		leader := webtest.MustAccount(t, db, "lead@attack.test", account.RoleLeader, org.ID)
		admin := webtest.MustAccount(t, db, "admin@attack.test", account.RoleAdmin)
		token, _, err := account.CreateAPIToken(t.Context(), db, leader, "attack", nil, srv.Clock.Now())
		databasetest.Must(t, err)
		adminToken, _, err := account.CreateAPIToken(t.Context(), db, admin, "attack", nil, srv.Clock.Now())
		databasetest.Must(t, err)

		measures := apiGet(t, srv, token, "/api/v1/orgs/attack/measures")
		checkTrustHidden(t, measures)
		for path, body := range map[string]string{
			"API measures":  measures,
			"API export":    apiGet(t, srv, token, "/api/v1/orgs/attack/export"),
			"API insight":   apiGet(t, srv, token, "/api/v1/orgs/attack/insight"),
			"API portfolio": apiGet(t, srv, adminToken, "/api/v1/portfolio"),
		} {
			if strings.Contains(body, onePerson) || strings.Contains(body, `"n":1,`) || strings.Contains(body, `"n":1}`) {
				t.Errorf("%s shows the one person's trust score or a number resting on one person:\n%s", path, body)
			}
		}

		client := srv.Client(t)
		client.Login("admin@attack.test", webtest.Password)
		xlsx := client.Get("/orgs/attack/export?format=xlsx").Body
		checkXLSX(t, xlsx)
		checkInsightRows(t, "XLSX", xlsxRows(t, xlsx))
		checkInsightRows(t, "CSV", csvRows(t, client.Get("/orgs/attack/export?format=csv").Body))
		checkInsightRows(t, "JSON", jsonRows(t, client.Get("/orgs/attack/export?format=json").Body))
		checkInsightRows(t, "API export", jsonRows(t, apiGet(t, srv, token, "/api/v1/orgs/attack/export")))
		fewer := "fewer than 5 answers to these questions"
		for _, path := range []string{"/orgs/attack", "/orgs/attack/report", "/orgs/attack/export?format=csv",
			"/orgs/attack/export?format=json", "/portfolio", "/portfolio/export?format=csv"} {
			page := client.Get(path)
			if page.Status != http.StatusOK {
				t.Fatalf("%s: %d", path, page.Status)
			}
			if strings.Contains(page.Body, onePerson) {
				t.Errorf("%s shows the one person's trust score", path)
			}
			if path != "/portfolio" && !strings.Contains(page.Body, fewer) {
				t.Errorf("%s does not say the trust index has %s", path, fewer)
			}
		}
	})
}

// checkInsightRows: the export's insight rows of the trust statements,
// each answered by one person in February, are there but empty, and say
// why; so are their drivers; and no exported number rests on fewer than 5.
func checkInsightRows(t *testing.T, format string, rows []map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rows {
		if n, err := strconv.Atoi(r["n"]); err == nil && n > 0 && n < 5 {
			t.Errorf("%s: %s %s rests on %d people: %v", format, r["measure"], r["statement"], n, r)
		}
		if r["round"] != "February" || !strings.HasPrefix(r["statement"], "T") {
			continue
		}
		seen[r["measure"]] = true
		if r["estimate"] != "" || r["ci_low"] != "" || r["ci_high"] != "" || r["q"] != "" || r["hidden"] == "" {
			t.Errorf("%s: %s of %s, answered by one person, is not hidden: %v", format, r["measure"], r["statement"], r)
		}
	}
	for _, m := range []string{export.MeasureStatementMean, export.MeasureStatementAgree, export.MeasureStatementChange, export.MeasureDriver} {
		if !seen[m] {
			t.Errorf("%s has no %s row of the trust statements: the insight is not exported", format, m)
		}
	}
}

// csvRows, jsonRows and xlsxRows read an aggregates export's rows by column key.
func csvRows(t *testing.T, body string) []map[string]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	databasetest.Must(t, err)
	var out []map[string]string
	for _, rec := range records[1:] {
		m := map[string]string{}
		for i, k := range records[0] {
			m[k] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func jsonRows(t *testing.T, body string) []map[string]string {
	t.Helper()
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	databasetest.Must(t, json.Unmarshal([]byte(body), &doc))
	var out []map[string]string
	for _, r := range doc.Rows {
		m := map[string]string{}
		for k, v := range r {
			if v != nil {
				m[k] = fmt.Sprint(v)
			}
		}
		out = append(out, m)
	}
	return out
}

func xlsxRows(t *testing.T, body string) []map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	databasetest.Must(t, err)
	defer f.Close()
	keys := map[string]string{}
	for _, c := range export.AggregateColumns {
		keys[c.Title] = c.Key
	}
	var out []map[string]string
	for _, sheet := range f.GetSheetList()[1:] {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		databasetest.Must(t, err)
		for _, row := range rows[1:] {
			m := map[string]string{}
			for i, v := range row {
				m[keys[rows[0][i]]] = v
			}
			out = append(out, m)
		}
	}
	return out
}

// checkTrustHidden: February's trust index and its change are withheld,
// with the reason, and nothing of their numbers is left.
func checkTrustHidden(t *testing.T, body string) {
	t.Helper()
	type hidden struct{ Code, Reason string }
	var m struct {
		Group struct {
			Scores struct {
				Indices []struct {
					Name string
					Mean struct {
						Estimate, Low, High *float64
						N                   int
					}
					Hidden *hidden
				}
			}
		}
		Change struct {
			Indices []struct {
				Name   string
				Hidden *hidden
			}
		}
	}
	databasetest.Must(t, json.Unmarshal([]byte(body), &m))
	for _, im := range m.Group.Scores.Indices {
		if im.Name != "trust" {
			continue
		}
		if im.Hidden == nil || im.Hidden.Code != "fewer_answers" || im.Mean.Estimate != nil || im.Mean.Low != nil || im.Mean.N != 0 {
			t.Errorf("trust index %+v, want hidden for fewer answers with no numbers", im)
		}
	}
	for _, c := range m.Change.Indices {
		if c.Name == "trust" && c.Hidden == nil {
			t.Errorf("the change of a trust index resting on one person is shown")
		}
	}
}

// apiGet reads path with token and returns the body, failing on an error.
func apiGet(t *testing.T, srv *webtest.Server, token, path string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+path, nil)
	databasetest.Must(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	databasetest.Must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	databasetest.Must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// TestHiddenGapSaysWhatWouldShowIt: with 6 sales people and 3 product
// people, the perception gap cannot be shown; the dashboard and the report
// say so in its place, with what would show it and the true reason.
func TestHiddenGapSaysWhatWouldShowIt(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "gapless", "Gapless")
		var rs []analyticstest.Respondent
		for i := range 9 {
			f := roster.FunctionSales
			if i >= 6 {
				f = roster.FunctionProduct
			}
			rs = append(rs, analyticstest.Respondent{Person: fmt.Sprintf("p%d", i), Function: f, Team: f, A1: 1 + i%4,
				Likert: map[string]int{"T1": 1 + i%5, "I1": 2, "P1": 3}})
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "January", OpensAt: jan, Respondents: rs})
		srv := sitetest.NewServer(t, db)
		srv.Clock.Set(jan.AddDate(0, 1, 0))
		webtest.MustAccount(t, db, "lead@gapless.test", account.RoleLeader, org.ID)
		client := srv.Client(t)
		client.Login("lead@gapless.test", webtest.Password)
		// Sales (6) is hidden too, or org minus sales would give product.
		want := "The perception gap cannot be shown: it needs at least 5 answers from sales and from product in this round " +
			"(sales: hidden so that a smaller group cannot be worked out; product: fewer than 5 responses)."
		for _, path := range []string{"/orgs/gapless", "/orgs/gapless/report"} {
			if page := client.Get(path); !strings.Contains(html.UnescapeString(page.Body), want) {
				t.Errorf("%s does not say why the perception gap is missing (%q)", path, want)
			}
		}
	})
}

// checkXLSX: no cell of the XLSX export holds the one person's score, and
// February's trust index row says why it is empty.
func checkXLSX(t *testing.T, body string) {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	databasetest.Must(t, err)
	defer f.Close()
	said := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		databasetest.Must(t, err)
		for _, row := range rows {
			for _, v := range row {
				if strings.Contains(v, onePerson) {
					t.Errorf("XLSX sheet %s holds the one person's trust score: %v", sheet, row)
				}
				said = said || v == "fewer than 5 answers to these questions"
			}
		}
	}
	if !said {
		t.Error("the XLSX export does not say why the trust index is empty")
	}
}

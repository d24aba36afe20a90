package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// TestLanguageBreakdownNamesTheLanguage: where results break down by the
// language the answers were given in — the dashboard's breakdown and
// filter, the aggregate export and the API's group labels — a language
// reads by its English name and code ("German (de)"), not its bare code;
// the API's group key keeps the code. The thresholds are the same: the
// German and English groups of six show, nothing else changes.
func TestLanguageBreakdownNamesTheLanguage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, leader, org := setup(t, db, "Acme")
		rs := people("s", roster.FunctionSales, "Hunters", 6)
		for i := range rs {
			rs[i].Language = "de"
		}
		en := people("p", roster.FunctionProduct, "Builders", 6)
		for i := range en {
			en[i].Language = "en"
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Winter pulse", OpensAt: jan, Respondents: append(rs, en...)})

		page := leader.Get("/orgs/acme")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "German (de)") || !strings.Contains(page.Body, "English (en)") {
			t.Errorf("the dashboard does not name the languages: %d", page.Status)
		}
		if strings.Contains(page.Body, ">de<") || strings.Contains(page.Body, "Language: de<") {
			t.Errorf("the dashboard shows a bare language code")
		}
		csv := leader.Get("/orgs/acme/export?format=csv")
		if csv.Status != http.StatusOK || !strings.Contains(csv.Body, ",German (de),") {
			t.Errorf("the aggregate export does not name the language: %d %.600s", csv.Status, csv.Body)
		}
		acc := &account.Account{}
		databasetest.Must(t, db.Where("email = ?", "leader@acme.test").Take(acc).Error)
		token, _, err := account.CreateAPIToken(t.Context(), db, acc, "tests", nil, srv.Clock.Now())
		databasetest.Must(t, err)
		api := srv.Client(t)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/orgs/acme/measures?language=de", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := api.HTTP.Do(req)
		databasetest.Must(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		databasetest.Must(t, err)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"language":"de"`) || !strings.Contains(string(b), `"label":"German (de)"`) {
			t.Errorf("the API's language group: %d %.800s", resp.StatusCode, b)
		}
	})
}

package web_test

import (
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// TestOpenRoundShownInProgress: beside a closed round, an open one is
// marked as running in the response-rate chart (a hollow point of its
// own, not joined to the line, so that its partial rate never reads as a
// collapse), in the table (rate "so far", days left) and on its own view.
func TestOpenRoundShownInProgress(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, client, org := setup(t, db, "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Winter pulse", OpensAt: jan, Respondents: people("s", roster.FunctionSales, "Hunters", 8)})
		rs := people("t", roster.FunctionSales, "Hunters", 6)
		for _, name := range []string{"u1", "u2", "u3", "u4"} {
			rs = append(rs, analyticstest.Respondent{Person: name, Function: roster.FunctionSales, Team: "Hunters", Declined: true})
		}
		open := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Spring pulse", Status: survey.RoundOpen,
			OpensAt: srv.Clock.Now().AddDate(0, 0, -2), Respondents: rs}) // closes in 5 days

		body := client.Get("/orgs/acme").Body
		for _, want := range []string{"Spring pulse (open, 5 days left)", "60.0% (6 of 10) so far", "100.0% (8 of 8)"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		rates := chartsIn(t, body)[charts.RatesID]
		if got := rates.XAxis[0].Data; len(got) != 2 || got[1] != "Spring pulse\n(open, 5 days left)" {
			t.Errorf("rate chart axis %q, want the open round marked", got)
		}
		var line, soFar []any
		for _, s := range rates.Series {
			switch {
			case strings.HasSuffix(s.Name, charts.SeriesSoFar) && soFar == nil:
				soFar = rates.series(s.Name)
			case !strings.HasSuffix(s.Name, charts.SeriesSoFar) && line == nil:
				line = rates.series(s.Name)
			}
		}
		if fmt.Sprint(line) != "[100 -]" || fmt.Sprint(soFar) != "[- 60]" {
			t.Errorf("rate chart: line %v and open point %v; want the line to stop at the closed round and the open round apart", line, soFar)
		}
		body = client.Get(fmt.Sprintf("/orgs/acme?round=%d", open.ID)).Body
		if !strings.Contains(body, "6 of 10 invited people have answered so far (60.0%); 5 days are left to answer.") {
			t.Errorf("the open round's own view lacks its live rate and days left:\n%s", body)
		}
		webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
		admin := srv.Client(t)
		admin.Login("root@accord.test", webtest.Password)
		if body := admin.Get("/portfolio").Body; !strings.Contains(body, "A round is open, 5 days left.") {
			t.Errorf("the portfolio does not say the open round runs 5 more days:\n%s", body)
		}
	})
}

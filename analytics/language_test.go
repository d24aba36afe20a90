package analytics_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// languageRound is a closed round of a French organisation: six people
// answered in French and english answered in English, all with A1 level 1
// for French readers and level 2 for English ones.
func languageRound(t *testing.T, db *gorm.DB, english int) *analyticstest.Round {
	t.Helper()
	var rs []analyticstest.Respondent
	for i := range 6 {
		rs = append(rs, analyticstest.Respondent{Person: fmt.Sprintf("fr%d", i), Function: "sales", Language: "fr", A1: 1})
	}
	for i := range english {
		rs = append(rs, analyticstest.Respondent{Person: fmt.Sprintf("en%d", i), Function: "sales", Language: "en", A1: 2})
	}
	return &analyticstest.Round{Title: "March", OpensAt: jan, Respondents: rs}
}

// TestResultsPoolLanguagesAndBreakDownByLanguage: a French organisation's
// French and English answers count together in its results, and break
// down by language under the same threshold as any attribute: when the
// English group is too small it is hidden, and so is the French one, which
// the whole organisation minus it would give away.
func TestResultsPoolLanguagesAndBreakDownByLanguage(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, c := range []struct {
			english            int
			frHidden, enHidden bool
			orgResponses       int
		}{
			{english: 6, orgResponses: 12},
			{english: 3, frHidden: true, enHidden: true, orgResponses: 9},
		} {
			org := webtest.MustOrg(t, db, fmt.Sprintf("fr%d", c.english), "Société")
			databasetest.Must(t, db.Model(org).Update("default_language", "fr").Error)
			analyticstest.MustRound(t, db, org, *languageRound(t, db, c.english))
			d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, jan.AddDate(0, 1, 0))
			databasetest.Must(t, err)
			if d.Current.Hidden || d.Current.Responses != c.orgResponses || d.Current.A1[0] != 6 || d.Current.A1[1] != c.english {
				t.Fatalf("%d English: whole organisation %+v; want every language pooled", c.english, d.Current.Measures)
			}
			var by *analytics.Breakdown
			for i := range d.Breakdowns {
				if d.Breakdowns[i].Dim == analytics.DimLanguage {
					by = &d.Breakdowns[i]
				}
			}
			if by == nil || len(by.Groups) != 2 {
				t.Fatalf("%d English: no breakdown by language: %+v", c.english, d.Breakdowns)
			}
			for _, g := range by.Groups {
				want := map[string]bool{"fr": c.frHidden, "en": c.enHidden}[g.Group.Language]
				if g.Hidden != want || (!g.Hidden && g.Responses == 0) || (g.Hidden && (g.Responses != 0 || g.A1 != [4]int{})) {
					t.Errorf("%d English: group %q hidden=%v responses=%d A1=%v; want hidden=%v and no numbers when hidden",
						c.english, g.Group.Language, g.Hidden, g.Responses, g.A1, want)
				}
			}
		}
	})
}

package analytics_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// team returns respondents named prefix1…prefixN in one sales team.
func team(prefix, name string, from, to int) []analyticstest.Respondent {
	var rs []analyticstest.Respondent
	for i := from; i <= to; i++ {
		rs = append(rs, analyticstest.Respondent{Person: fmt.Sprintf("%s%d", prefix, i), Function: roster.FunctionSales,
			Team: name, A1: 1 + i%4, Likert: map[string]int{"T1": 1 + i%5}})
	}
	return rs
}

func teamMeasures(t *testing.T, d *analytics.Dashboard, name string) analytics.Measures {
	t.Helper()
	for _, b := range d.Breakdowns {
		if b.Dim != analytics.DimTeam {
			continue
		}
		for _, m := range b.Groups {
			if m.Group.Team == name {
				return m
			}
		}
	}
	t.Fatalf("no team %q in %+v", name, d.Breakdowns)
	return analytics.Measures{}
}

// TestContinuityAcrossRounds: a team of 6 that answers with 5 of the same
// people next round would reveal, by the change of its scores, mostly how
// the sixth answered. The later result is hidden, and complementary
// suppression hides another team with it.
func TestContinuityAcrossRounds(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		var r1, r2 []analyticstest.Respondent
		r1 = append(r1, team("a", "Alpha", 1, 6)...)
		r1 = append(r1, team("b", "Bravo", 1, 10)...)
		r1 = append(r1, team("c", "Charlie", 1, 10)...)
		r2 = append(r2, team("a", "Alpha", 1, 5)...)    // a6 left: one person changed
		r2 = append(r2, team("b", "Bravo", 4, 13)...)   // three left, three joined: six changed
		r2 = append(r2, team("c", "Charlie", 1, 10)...) // the same ten
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R1", OpensAt: jan, Respondents: r1})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R2", OpensAt: jan.AddDate(0, 1, 0), Respondents: r2})

		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, jan.AddDate(0, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		if d.Current.Hidden || d.Current.Responses != 25 {
			t.Errorf("organisation hidden=%v n=%d; want published (7 people changed)", d.Current.Hidden, d.Current.Responses)
		}
		if m := teamMeasures(t, d, "Alpha"); !m.Hidden {
			t.Errorf("Alpha (6 then 5 of the same people) published: %+v", m)
		}
		if m := teamMeasures(t, d, "Bravo"); !m.Hidden {
			t.Errorf("Bravo published although Alpha alone would be total minus the others")
		}
		if m := teamMeasures(t, d, "Charlie"); m.Hidden || m.Responses != 10 {
			t.Errorf("Charlie (the same ten) hidden=%v n=%d; want published", m.Hidden, m.Responses)
		}

		d1, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{RoundID: d.Trend[0].Round.ID}, jan.AddDate(0, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		if m := teamMeasures(t, d1, "Alpha"); m.Hidden || m.Responses != 6 {
			t.Errorf("Alpha in R1 hidden=%v n=%d; want published with 6", m.Hidden, m.Responses)
		}

		alpha := analytics.Group{Fixed: analytics.DimTeam, Attrs: analytics.Attrs{Team: "Alpha"}}
		da, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{Filter: alpha}, jan.AddDate(0, 2, 0))
		if err != nil {
			t.Fatal(err)
		}
		if !da.Current.Hidden || da.Change != nil || len(da.Comments) != 0 {
			t.Errorf("filtered to Alpha: hidden=%v change=%+v; want hidden, no change", da.Current.Hidden, da.Change)
		}
	})
}

// TestCommentThreshold: comments need the comment threshold, which is
// never below the minimum group size, and complementary suppression of
// their own.
func TestCommentThreshold(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		if err := db.Model(org).Updates(map[string]any{"min_group_size": 3, "comment_threshold": 8}).Error; err != nil {
			t.Fatal(err)
		}
		org.MinGroupSize, org.CommentThreshold = 3, 8
		rs := append(team("a", "Alpha", 1, 6), team("b", "Bravo", 1, 10)...)
		for i := range rs {
			rs[i].Comment = "comment of " + rs[i].Person
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R1", OpensAt: jan, Respondents: rs})
		now := jan.AddDate(0, 1, 0)

		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if d.CommentK != 8 || len(d.Comments) != 1 || len(d.Comments[0].Texts) != 16 {
			t.Fatalf("organisation comments %+v (threshold %d), want all 16", d.Comments, d.CommentK)
		}
		for name, want := range map[string]bool{"Alpha": true, "Bravo": true} {
			m := teamMeasures(t, d, name)
			if m.Hidden || m.CommentsHidden != want {
				t.Errorf("%s: hidden=%v comments hidden=%v; want scores shown, comments hidden=%v", name, m.Hidden, m.CommentsHidden, want)
			}
		}
		// Bravo has 10 ≥ 8 comments, but the organisation's 16 minus
		// Bravo's would be Alpha's 6: both teams' comments stay hidden.
		bravo := analytics.Group{Fixed: analytics.DimTeam, Attrs: analytics.Attrs{Team: "Bravo"}}
		db2, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{Filter: bravo}, now)
		if err != nil {
			t.Fatal(err)
		}
		if db2.Current.Hidden || len(db2.Comments) != 0 {
			t.Errorf("Bravo: hidden=%v comments=%v; want scores, no comments", db2.Current.Hidden, db2.Comments)
		}
	})
}

// TestMinGroupSizeChangeRecomputes: raising the minimum group size makes
// stored rollups stale; the next view recomputes them under the new size.
func TestMinGroupSizeChangeRecomputes(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R1", OpensAt: jan,
			Respondents: append(team("a", "Alpha", 1, 6), team("b", "Bravo", 1, 7)...)})
		now := jan.AddDate(0, 1, 0)
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		if err != nil || teamMeasures(t, d, "Alpha").Hidden {
			t.Fatalf("k=5: Alpha hidden (%v)", err)
		}
		if err := db.Model(org).Update("min_group_size", 7).Error; err != nil {
			t.Fatal(err)
		}
		org.MinGroupSize = 7
		d, err = analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if !teamMeasures(t, d, "Alpha").Hidden || !teamMeasures(t, d, "Bravo").Hidden || d.Current.Hidden {
			t.Errorf("k=7: Alpha (6) and, to protect it, Bravo must be hidden; the organisation (13) shown")
		}
	})
}

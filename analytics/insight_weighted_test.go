package analytics_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/analytics/stats"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// weightedRound is a closed round where sales answered far more than
// product: 16 of 20 sales people (4 completely aligned), 8 of 30 product
// people (4 completely aligned), 3 of 6 engineers and 2 of 4 marketers,
// groups below the minimum size of 5 (together 5, so that subtracting
// sales and product from the whole reveals neither). engineersA1 is the
// engineers' A1 answer.
func weightedRound(t *testing.T, db *gorm.DB, slug string, engineersA1 int) *analyticstest.Round {
	t.Helper()
	var rs []analyticstest.Respondent
	add := func(fn, team string, invited, answered, aligned, a1 int) {
		for i := range invited {
			r := analyticstest.Respondent{Person: fmt.Sprintf("%s%d", fn, i), Function: fn, Team: team, Region: "EMEA", TenureBand: "1-2 years",
				A1: 2 + i%3, Likert: map[string]int{"T1": 1 + i%5, "I1": 1 + (i+2)%5, "P1": 1 + (i+1)%5, "T2": 1 + (i+3)%5}}
			switch {
			case i >= answered:
				r = analyticstest.Respondent{Person: r.Person, Function: fn, Team: team, Region: "EMEA", TenureBand: "1-2 years", Declined: true}
			case a1 != 0:
				r.A1 = a1
			case i < aligned:
				r.A1 = 1
			}
			rs = append(rs, r)
		}
	}
	add(roster.FunctionSales, "Hunters", 20, 16, 4, 0)
	add(roster.FunctionProduct, "Builders", 30, 8, 4, 0)
	add(roster.FunctionEngineering, "Makers", 6, 3, 0, engineersA1)
	add(roster.FunctionMarketing, "Tellers", 4, 2, 0, 3)
	r := analyticstest.Round{Title: "R1", OpensAt: jan, Respondents: rs}
	return &r
}

// TestInsightWeightedToTheRoster: results weighted to the round's
// invitations by function count sales at 20/50 and product at 30/50 (not
// at their shares of the answers), with Kish's effective sample size; the
// engineers, below the minimum group size, take no part, so their answers
// change nothing weighted.
func TestInsightWeightedToTheRoster(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		var got []analytics.Weighting
		for i, a1 := range []int{1, 4} {
			org := webtest.MustOrg(t, db, fmt.Sprintf("w%d", i), "Weighted")
			analyticstest.MustRound(t, db, org, *weightedRound(t, db, org.Slug, a1))
			d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, jan.AddDate(1, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			in, err := analytics.LoadInsight(t.Context(), db, d)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, in.Weighted)
		}
		w := got[0]
		if w.Unweighted != "" || len(w.Functions) != 2 || w.Functions[0].Function != roster.FunctionProduct && w.Functions[0].Function != roster.FunctionSales {
			t.Fatalf("weighting %+v, want sales and product", w)
		}
		if !slices.Contains(w.Left, roster.FunctionEngineering) || !slices.Contains(w.Left, roster.FunctionMarketing) {
			t.Errorf("left out %v, want Engineering and Marketing named", w.Left)
		}
		weight := map[string]float64{}
		for _, f := range w.Functions {
			weight[f.Function] = f.Weight
		}
		if !close(weight[roster.FunctionSales], 0.4, 1e-12) || !close(weight[roster.FunctionProduct], 0.6, 1e-12) {
			t.Errorf("weights %v, want sales 0.4 and product 0.6 (their shares of the 50 invited)", weight)
		}
		// 4/16 and 4/8 completely aligned: 0.4·0.25 + 0.6·0.5; as answered 8/24.
		neff := 1 / (0.4*0.4/16 + 0.6*0.6/8)
		if !close(w.Share.Estimate, 0.4, 1e-12) || !close(w.ShareNEff, neff, 1e-12) || w.Share.N != 24 {
			t.Errorf("weighted share %+v over n_eff %v, want 0.4 over %v", w.Share, w.ShareNEff, neff)
		}
		want := stats.Weighted{Mean: 0.4, NEff: neff, N: 24}.Wilson(0.95)
		interval(t, "weighted share", w.Share, 0.4, want.Low, want.High)
		if w.Verdict.Hidden.Hidden() || !close(w.Verdict.Diff.Estimate, 0.4-32.0/350, 1e-12) || w.Verdict.Direction != 1 {
			t.Errorf("weighted verdict %+v, want above the study", w.Verdict)
		}
		for i, wi := range w.Indices {
			if wi.Hidden.Hidden() || !(wi.Mean.High > wi.Mean.Low) || math.IsNaN(wi.NEff) {
				t.Errorf("weighted index %d: %+v", i, wi)
			}
		}
		if fmt.Sprint(got[0]) != fmt.Sprint(got[1]) {
			t.Errorf("the hidden engineers' answers change the weighted results:\n%+v\n%+v", got[0], got[1])
		}

		// A filter on one function leaves nothing to weight.
		org := webtest.MustOrg(t, db, "w9", "Weighted")
		analyticstest.MustRound(t, db, org, *weightedRound(t, db, org.Slug, 1))
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{Filter: analytics.Group{}.With(analytics.DimFunction, roster.FunctionSales)}, jan.AddDate(1, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		in, err := analytics.LoadInsight(t.Context(), db, d)
		if err != nil {
			t.Fatal(err)
		}
		if in.Weighted.Unweighted != analytics.WeightOneFunction || !math.IsNaN(in.Weighted.Share.Estimate) {
			t.Errorf("sales only: weighting %+v, want none", in.Weighted)
		}
	})
}

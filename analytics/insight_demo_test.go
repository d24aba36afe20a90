package analytics_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/format"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/demo"
)

// TestDemoInsight reads the insight of the organisation `accord serve
// --demo` shows (seed 1, 200 people, 8 monthly rounds) and logs its
// headline: the verdict, the trend over eight closed rounds, the gap, the
// statements and the focus areas must all be there for a leader to read.
func TestDemoInsight(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		res, err := demo.Generate(t.Context(), db, demo.Options{Orgs: 1, People: 200, Rounds: 8, Seed: 1, Showcase: true, Now: now, Secret: databasetest.Secret})
		if err != nil {
			t.Fatal(err)
		}
		in := demoInsight(t, db, &res.Orgs[0], now)
		h := format.HeadlineOf(in)
		t.Logf("headline: %s", h.Sentence())
		t.Logf("gap: %s", h.Gap)
		t.Logf("weakest: %s / strongest: %s", h.Weakest, h.Strongest)
		t.Logf("focus areas: %q", h.Focus)
		t.Logf("warning: %q", h.Warning)
		if w := in.Weighted; w.Unweighted == "" {
			t.Logf("weighted to the roster: %.1f%% [%.1f, %.1f] over n_eff %.1f (%s the study); functions %+v, not included %v",
				100*w.Share.Estimate, 100*w.Share.Low, 100*w.Share.High, w.ShareNEff, w.Verdict.Words(), w.Functions, w.Left)
		} else {
			t.Logf("not weighted: %s", w.Unweighted)
		}
		for _, d := range in.Drivers {
			t.Logf("driver %s r=%.2f [%.2f, %.2f] q=%.3g", d.Key, d.R.Estimate, d.R.Low, d.R.High, d.Q)
		}
		if in.Verdict.Hidden.Hidden() || !in.Trend.Enough || in.LargestGap == nil || len(in.Statements) != 10 {
			t.Fatalf("demo insight incomplete: verdict %+v trend %+v gap %v statements %d", in.Verdict, in.Trend, in.LargestGap, len(in.Statements))
		}
		// A side may be hidden by the continuity rule (one person more or
		// less answered it than last round); the whole group never is here.
		hidden := 0
		for _, s := range in.Statements {
			if s.All.Hidden.Hidden() {
				t.Errorf("demo statement %s hidden for the organisation: %v", s.Key, s.All.Hidden)
			}
			if s.Sales.Hidden.Hidden() || s.Product.Hidden.Hidden() {
				hidden++
			}
		}
		if hidden > 3 {
			t.Errorf("%d of 10 statements have a side hidden", hidden)
		}
		if len(in.FocusAreas) == 0 {
			t.Error("no focus area")
		}
		if in.Weakest == "" || in.Strongest == "" {
			t.Error("no weakest or strongest statement")
		}
	})
}

func demoInsight(t *testing.T, db *gorm.DB, org *survey.Organisation, now time.Time) *analytics.Insight {
	t.Helper()
	d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
	if err != nil {
		t.Fatal(err)
	}
	in, err := analytics.LoadInsight(t.Context(), db, d)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

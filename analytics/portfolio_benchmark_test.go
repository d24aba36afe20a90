package analytics_test

import (
	"math"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/analytics/stats"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// pooledShare is the completely-aligned share over the latest closed round
// of orgs, from their dashboards.
func pooledShare(t *testing.T, db *gorm.DB, orgs ...*survey.Organisation) stats.Interval {
	t.Helper()
	aligned, n := 0, 0
	for _, o := range orgs {
		d, err := analytics.LoadDashboard(t.Context(), db, o, analytics.Query{}, portfolioNow)
		databasetest.Must(t, err)
		aligned += d.Current.A1[0]
		n += d.Current.A1N
	}
	return stats.Wilson(aligned, n, analytics.ConfidenceLevel)
}

func all(int64) bool { return true }

// TestCrossBenchmark: only organisations that opted in count, every figure
// needs five of them, and groups hidden by their organisation's threshold
// never contribute.
func TestCrossBenchmark(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		orgs := clients(t, db, 7)
		optIn(t, db, orgs[:4]...)
		b, err := analytics.LoadCrossBenchmark(t.Context(), db, all, 0)
		databasetest.Must(t, err)
		for _, f := range b.Figures {
			if !f.Withheld || f.Orgs != 0 {
				t.Errorf("four organisations opted in, yet %s/%s is shown over %d", f.Scope, f.Measure, f.Orgs)
			}
		}

		optIn(t, db, orgs[4])
		b, err = analytics.LoadCrossBenchmark(t.Context(), db, all, 0)
		databasetest.Must(t, err)
		f := b.Figure("", analytics.MeasureCompletelyAligned)
		if f.Withheld || f.Orgs != 5 {
			t.Fatalf("five opted in: %+v, want a figure over 5", f)
		}
		if want := pooledShare(t, db, orgs[:5]...); math.Abs(f.Pooled.Estimate-want.Estimate) > 1e-12 || math.Abs(f.Pooled.Low-want.Low) > 1e-12 {
			t.Errorf("pooled share %+v, want %+v (the opted-in five, not the two others)", f.Pooled, want)
		}
		if !(f.Q1 <= f.Median && f.Median <= f.Q3) {
			t.Errorf("quartiles out of order: %v %v %v", f.Q1, f.Median, f.Q3)
		}
		// Leaving the organisation a report is about out leaves four.
		b, err = analytics.LoadCrossBenchmark(t.Context(), db, all, orgs[0].ID)
		databasetest.Must(t, err)
		if f := b.Figure("", analytics.MeasureCompletelyAligned); !f.Withheld {
			t.Errorf("excluding one of five, the figure is still shown: %+v", f)
		}

		// Raising one organisation's threshold above its product team's
		// size hides product there: product figures then rest on four.
		databasetest.Must(t, db.Model(orgs[1]).Update("min_group_size", 9).Error)
		_, err = analytics.LoadDashboard(t.Context(), db, orgs[1], analytics.Query{}, portfolioNow) // recomputes its rollups
		databasetest.Must(t, err)
		b, err = analytics.LoadCrossBenchmark(t.Context(), db, all, 0)
		databasetest.Must(t, err)
		if f := b.Figure(roster.FunctionProduct, analytics.MeasureCompletelyAligned); !f.Withheld {
			t.Errorf("product is hidden in one of five organisations, yet its figure rests on %d", f.Orgs)
		}
		if f := b.Figure(roster.FunctionSales, analytics.MeasureCompletelyAligned); f.Withheld || f.Orgs != 5 {
			t.Errorf("sales figure %+v, want 5 organisations", f)
		}
	})
}

// TestCrossBenchmarkSubtraction: a consultant who sees most of the
// organisations behind a figure could subtract them from it; organisations
// they cannot see join a figure only when there are at least five of them.
func TestCrossBenchmarkSubtraction(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	orgs := clients(t, db, 7)
	optIn(t, db, orgs...)
	for _, tc := range []struct {
		sees     int
		withheld bool
		orgs     int
	}{
		{sees: 0, orgs: 7},
		{sees: 2, orgs: 7},        // five unseen: all count
		{sees: 3, withheld: true}, // four unseen are left out, three are too few
		{sees: 5, orgs: 5},        // two unseen are left out
		{sees: 7, orgs: 7},        // nothing unseen
	} {
		acc := webtest.MustAccount(t, db, "c"+string(rune('0'+tc.sees))+"@accord.test", account.RoleConsultant, ids(orgs[:tc.sees])...)
		p := loadPortfolio(t, db, acc, analytics.PortfolioOptions{})
		f := p.Benchmark.Figure("", analytics.MeasureCompletelyAligned)
		if f.Withheld != tc.withheld || f.Orgs != tc.orgs {
			t.Errorf("seeing %d of 7: withheld %v over %d, want withheld %v over %d", tc.sees, f.Withheld, f.Orgs, tc.withheld, tc.orgs)
		}
		if tc.sees == 5 {
			if want := pooledShare(t, db, orgs[:5]...); f.Pooled.Estimate != want.Estimate {
				t.Errorf("seeing 5: pooled %v, want %v over the five seen", f.Pooled.Estimate, want.Estimate)
			}
		}
	}
}

// TestCrossBenchmarkCountsEachNumberOnItsOwn: an organisation whose trust
// index rests on one person (analyticstest.SingleTrustAnswerer) adds its
// completely-aligned share to the cross-client figures, but not its trust
// index: with four other clients, the share is shown over five and the
// trust figure, resting on four, is withheld.
func TestCrossBenchmarkCountsEachNumberOnItsOwn(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		orgs := clients(t, db, 4)
		attack := webtest.MustOrg(t, db, "attack", "Attack")
		analyticstest.SingleTrustAnswerer(t, db, attack, jan)
		databasetest.Must(t, analytics.RollupAll(t.Context(), db, portfolioNow))
		optIn(t, db, append(orgs, attack)...)
		b, err := analytics.LoadCrossBenchmark(t.Context(), db, all, 0)
		databasetest.Must(t, err)
		if f := b.Figure("", analytics.MeasureCompletelyAligned); f.Withheld || f.Orgs != 5 {
			t.Errorf("share figure %+v, want it over 5 organisations", f)
		}
		if f := b.Figure("", analytics.IndexMeasureName(survey.IndexTrust)); !f.Withheld {
			t.Errorf("trust figure shown over %d organisations, one of them resting on one person", f.Orgs)
		}
	})
}

package analytics_test

import (
	"math"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

var jan = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func TestCompletelyAlignedTrend(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		other := webtest.MustOrg(t, db, "globex", "Globex")
		// Created out of order: the result must follow the opening dates.
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "March", OpensAt: jan.AddDate(0, 2, 0), A1: analyticstest.A1(3, 20)})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "January", OpensAt: jan, A1: analyticstest.A1(1, 4)})
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "February", OpensAt: jan.AddDate(0, 1, 0),
			A1: append(analyticstest.A1(5, 5), 0, 0)}) // two responses skipped A1
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open", Status: survey.RoundOpen, OpensAt: jan.AddDate(0, 3, 0), A1: analyticstest.A1(9, 9)})
		analyticstest.MustRound(t, db, other, analyticstest.Round{Title: "Other tenant", OpensAt: jan, A1: analyticstest.A1(7, 7)})

		got, err := analytics.CompletelyAlignedTrend(t.Context(), db, org)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			title       string
			suppressed  bool
			n, aligned  int
			est, lo, hi float64
		}{
			{"January", true, 0, 0, 0, 0, 0},
			{"February", false, 5, 5, 1, 0.5655, 1},
			{"March", false, 20, 3, 0.15, 0.0524, 0.3604},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d rounds %+v, want %d (closed rounds of this organisation only)", len(got), got, len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Title != w.title || g.Suppressed != w.suppressed || g.N != w.n || g.Aligned != w.aligned {
				t.Errorf("round %d = %q suppressed=%v n=%d aligned=%d, want %q %v %d %d", i, g.Title, g.Suppressed, g.N, g.Aligned, w.title, w.suppressed, w.n, w.aligned)
			}
			if !near(g.Share.Estimate, w.est) || !near(g.Share.Low, w.lo) || !near(g.Share.High, w.hi) {
				t.Errorf("%s share = %.4f [%.4f, %.4f], want %.4f [%.4f, %.4f]", w.title, g.Share.Estimate, g.Share.Low, g.Share.High, w.est, w.lo, w.hi)
			}
			if g.Threshold != survey.DefaultMinGroupSize {
				t.Errorf("%s threshold = %d, want %d", w.title, g.Threshold, survey.DefaultMinGroupSize)
			}
		}
		if !got[2].ClosedAt.Equal(jan.AddDate(0, 2, 7)) || got[2].ClosedAt.Location() != time.UTC {
			t.Errorf("March closed at %v, want %v in UTC", got[2].ClosedAt, jan.AddDate(0, 2, 7))
		}
	})
}

func TestTrendThresholdNeverBelowFloor(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		tests := []struct {
			minGroup, answers int
			suppressed        bool
		}{
			{minGroup: 1, answers: 2, suppressed: true}, // the floor of 3 applies
			{minGroup: 1, answers: 3, suppressed: false},
			{minGroup: 8, answers: 7, suppressed: true},
			{minGroup: 8, answers: 8, suppressed: false},
		}
		for i, tt := range tests {
			org := webtest.MustOrg(t, db, "org-"+string(rune('a'+i)), "Org")
			if err := db.Model(org).Update("min_group_size", tt.minGroup).Error; err != nil {
				t.Fatal(err)
			}
			org.MinGroupSize = tt.minGroup
			analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R", OpensAt: jan, A1: analyticstest.A1(1, tt.answers)})
			got, err := analytics.CompletelyAlignedTrend(t.Context(), db, org)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Suppressed != tt.suppressed {
				t.Errorf("min group %d, %d answers: got %+v, want suppressed=%v", tt.minGroup, tt.answers, got, tt.suppressed)
			}
			if got[0].Suppressed && (got[0].N != 0 || got[0].Aligned != 0 || got[0].Share.Estimate != 0) {
				t.Errorf("suppressed round leaks counts: %+v", got[0])
			}
		}
	})
}

func TestTrendEmpty(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		got, err := analytics.CompletelyAlignedTrend(t.Context(), db, org)
		if err != nil || len(got) != 0 {
			t.Fatalf("got %+v, %v; want no rounds", got, err)
		}
	})
}

func near(a, b float64) bool { return math.Abs(a-b) < 5e-5 }

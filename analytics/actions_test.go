package analytics_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// TestActionEffectFollowsTheTrend records actions between rounds and reads
// their effect: the share moves, then falls back, and a round of three
// answers hides both its share and its change, saying why.
func TestActionEffectFollowsTheTrend(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		jan := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		round := func(title string, month int, a1 []int) *survey.Round {
			return analyticstest.MustRound(t, db, org, analyticstest.Round{Title: title, OpensAt: jan.AddDate(0, month, 0), A1: a1})
		}
		record := func(target string) survey.ActionPlan {
			a, err := survey.CreateActionPlan(t.Context(), db, org.ID, survey.ActionInput{Target: target, Title: "Joint pipeline review"})
			databasetest.Must(t, err)
			return *a
		}
		r0 := round("January", 0, analyticstest.A1(2, 20))
		share, trust := record(survey.TargetCompletelyAligned), record(survey.IndexTrust)
		r1 := round("February", 1, analyticstest.A1(15, 20))
		late := record(survey.TargetCompletelyAligned)
		round("March", 2, analyticstest.A1(3, 20))
		round("April", 3, analyticstest.A1(1, 3))
		if *share.BaselineRoundID != r0.ID || *late.BaselineRoundID != r1.ID {
			t.Fatalf("baselines %d and %d, want %d and %d", *share.BaselineRoundID, *late.BaselineRoundID, r0.ID, r1.ID)
		}
		effects, k, err := analytics.ActionEffects(t.Context(), db, org, []survey.ActionPlan{share, trust, late}, jan.AddDate(0, 6, 0))
		databasetest.Must(t, err)
		if k != 5 {
			t.Fatalf("k = %d", k)
		}
		got := func(e analytics.ActionEffect) []string {
			var vs []string
			for _, p := range e.Points {
				v := p.Round.Title + ":" + p.Verdict
				if p.Baseline {
					v += "(baseline)"
				}
				if p.Hidden.Hidden() {
					v += "[" + p.Hidden.Text(k) + "]"
				}
				if p.ChangeHidden.Hidden() {
					v += "{" + p.ChangeHidden.Text(k) + "}"
				}
				vs = append(vs, v)
			}
			return vs
		}
		for _, c := range []struct {
			name string
			e    analytics.ActionEffect
			want []string
		}{
			{"share from January", effects[0], []string{"January:(baseline)", "February:moved", "March:no clear change yet",
				"April:[fewer than 5 responses]{fewer than 5 responses}"}},
			{"trust: nobody answered its items", effects[1], []string{"January:(baseline)[fewer than 5 answers to these questions]",
				"February:[fewer than 5 answers to these questions]{fewer than 5 answers to these questions}",
				"March:[fewer than 5 answers to these questions]{fewer than 5 answers to these questions}",
				"April:[fewer than 5 responses]{fewer than 5 responses}"}},
			{"share from February", effects[2], []string{"February:(baseline)", "March:worse",
				"April:[fewer than 5 responses]{fewer than 5 responses}"}},
		} {
			if g := got(c.e); !equal(g, c.want) {
				t.Errorf("%s:\n got %q\nwant %q", c.name, g, c.want)
			}
		}
		// A hidden number carries no figure at all.
		if p := effects[0].Points[3]; p.Value.Estimate == p.Value.Estimate || p.Change.Estimate == p.Change.Estimate {
			t.Errorf("April shows %v, change %v; want NaN", p.Value, p.Change)
		}
		if p := effects[0].Points[1]; p.Value.Estimate != 0.75 || p.Change.Estimate != 0.65 {
			t.Errorf("February: %v, change %v", p.Value, p.Change)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

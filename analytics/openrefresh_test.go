package analytics_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// addResponse stores one more response (no answers) in round.
func addResponse(t *testing.T, db *gorm.DB, org *survey.Organisation, round *survey.Round, key byte) {
	t.Helper()
	resp := survey.Response{OrgID: org.ID, RoundID: round.ID, EditKey: append(make([]byte, 31), key),
		Function: roster.FunctionSales, Team: "Alpha", SubmittedOn: round.OpensAt}
	databasetest.Must(t, db.Omit("Answers").Create(&resp).Error)
}

func orgResponses(t *testing.T, db *gorm.DB, org *survey.Organisation, now time.Time) int {
	t.Helper()
	d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
	if err != nil {
		t.Fatal(err)
	}
	return d.Current.Responses
}

// TestDashboardRequestDoesNotRefreshOpenRound: a dashboard computes an
// open round's missing rollups once, but never recomputes them for their
// age (one request a minute paid for that); RefreshOpen, the server's
// background loop, does, and only when they are older than its max age.
func TestDashboardRequestDoesNotRefreshOpenRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		r := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open", Status: survey.RoundOpen, OpensAt: jan,
			Respondents: team("a", "Alpha", 1, 6)})
		t0 := jan.Add(time.Hour)
		if got := orgResponses(t, db, org, t0); got != 6 {
			t.Fatalf("first dashboard: %d responses, want 6 (missing rollups computed)", got)
		}
		addResponse(t, db, org, r, 1)
		later := t0.Add(10 * analytics.OpenRefresh)
		if got := orgResponses(t, db, org, later); got != 6 {
			t.Errorf("a dashboard request recomputed an open round's rollups: %d responses, want the stored 6", got)
		}
		// Not due yet: computed at t0, max age 20 minutes.
		databasetest.Must(t, analytics.RefreshOpen(t.Context(), db, t0.Add(10*time.Minute), 20*time.Minute))
		if got := orgResponses(t, db, org, later); got != 6 {
			t.Errorf("RefreshOpen recomputed rollups younger than its max age: %d responses", got)
		}
		databasetest.Must(t, analytics.RefreshOpen(t.Context(), db, later, analytics.OpenRefresh))
		if got := orgResponses(t, db, org, later); got != 7 {
			t.Errorf("after RefreshOpen: %d responses, want 7", got)
		}
		var rec analytics.RollupRound
		databasetest.Must(t, db.Take(&rec, r.ID).Error)
		if !rec.ComputedAt.Equal(later) {
			t.Errorf("rollups computed at %v, want %v", rec.ComputedAt, later)
		}
	})
}

// TestRefreshOpenLeavesClosedRoundsAndComputesMissing: RefreshOpen
// computes an open round that has no rollups yet and does not touch a
// closed round's; a dashboard still computes a closed round's missing
// rollups.
func TestRefreshOpenLeavesClosedRoundsAndComputesMissing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		closed := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Closed", OpensAt: jan,
			Respondents: team("a", "Alpha", 1, 6)})
		open := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open", Status: survey.RoundOpen,
			OpensAt: jan.AddDate(0, 1, 0), Respondents: team("a", "Alpha", 1, 5)})
		now := jan.AddDate(0, 1, 1)
		databasetest.Must(t, analytics.RefreshOpen(t.Context(), db, now, analytics.OpenRefresh))
		var recs []analytics.RollupRound
		databasetest.Must(t, db.Order("round_id").Find(&recs).Error)
		// Refresh computes the organisation's stale rounds together: the
		// closed round's missing rollups come with the open one's.
		if len(recs) != 2 || recs[0].RoundID != closed.ID || recs[1].RoundID != open.ID {
			t.Fatalf("rollup records %+v, want the closed and the open round's", recs)
		}
		addResponse(t, db, org, open, 1)
		databasetest.Must(t, analytics.RefreshOpen(t.Context(), db, now.Add(analytics.OpenRefresh/2), analytics.OpenRefresh))
		databasetest.Must(t, db.Order("round_id").Find(&recs).Error)
		if !recs[0].ComputedAt.Equal(now) || !recs[1].ComputedAt.Equal(now) {
			t.Errorf("rollups recomputed before they were due: %+v", recs)
		}
		databasetest.Must(t, analytics.RefreshOpen(t.Context(), db, now.Add(2*analytics.OpenRefresh), analytics.OpenRefresh))
		databasetest.Must(t, db.Order("round_id").Find(&recs).Error)
		if !recs[0].ComputedAt.Equal(now) || !recs[1].ComputedAt.Equal(now.Add(2*analytics.OpenRefresh)) {
			t.Errorf("want only the open round recomputed: %+v", recs)
		}

		// A closed round without rollups (as after an upgrade) is computed
		// by the first dashboard that needs it.
		databasetest.Must(t, db.Where("round_id = ?", closed.ID).Delete(&analytics.RollupRound{}).Error)
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{RoundID: closed.ID}, now.Add(3*analytics.OpenRefresh))
		if err != nil {
			t.Fatal(err)
		}
		if d.Current.Responses != 6 {
			t.Errorf("closed round's dashboard: %d responses, want 6", d.Current.Responses)
		}
		var rec analytics.RollupRound
		if err := db.Take(&rec, closed.ID).Error; err != nil {
			t.Errorf("the dashboard did not compute the closed round's missing rollups: %v", err)
		}
	})
}

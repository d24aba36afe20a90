package analytics_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/notify/notifytest"
	"accord/survey/webkit/webtest"
)

// noMail is an Enqueuer for a scheduler that only closes rounds.
type noMail struct{}

func (noMail) Enqueue(context.Context, *gorm.DB, ...*mail.Message) error { return nil }

// TestRollupsComputedWhenTheSchedulerClosesARound: the scheduler's close
// hook computes the round's rollups in the closing transaction, so the
// first dashboard after a close finds them ready.
func TestRollupsComputedWhenTheSchedulerClosesARound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		r := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open", Status: survey.RoundOpen, OpensAt: jan,
			Respondents: team("a", "Alpha", 1, 6)})
		s, err := survey.NewScheduler(db, noMail{}, notifytest.Emails(t), &url.URL{Scheme: "https", Host: "accord.example"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		s.OnClose = analytics.ComputeOnClose
		closedAt := jan.AddDate(0, 0, 3)
		if ok, err := s.CloseNow(t.Context(), org.ID, r.ID, closedAt); !ok || err != nil {
			t.Fatalf("CloseNow: %v, %v", ok, err)
		}
		var rec analytics.RollupRound
		if err := db.Take(&rec, r.ID).Error; err != nil {
			t.Fatalf("no rollup record after close: %v", err)
		}
		if rec.Status != survey.RoundClosed || !rec.ComputedAt.Equal(closedAt) || rec.MinGroupSize != 5 {
			t.Errorf("rollup record %+v, want computed for the closed round at %v with k=5", rec, closedAt)
		}
		var org6 analytics.RollupCell
		if err := db.Where("round_id = ? AND fixed = 0", r.ID).Take(&org6).Error; err != nil || org6.Hidden || org6.Responses != 6 {
			t.Errorf("organisation cell %+v, %v; want 6 published responses", org6, err)
		}
	})
}

// TestHiddenCellsHoldNoNumbers: the rollup table itself keeps nothing but
// the key, the invitations of a hidden group and why it is hidden.
func TestHiddenCellsHoldNoNumbers(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R", OpensAt: jan,
			Respondents: append(team("a", "Alpha", 1, 3), team("b", "Bravo", 1, 9)...)})
		if err := analytics.Refresh(t.Context(), db, org, jan.AddDate(0, 1, 0)); err != nil {
			t.Fatal(err)
		}
		var cells []analytics.RollupCell
		if err := db.Where("hidden").Find(&cells).Error; err != nil || len(cells) == 0 {
			t.Fatalf("hidden cells: %d, %v", len(cells), err)
		}
		for _, c := range cells {
			stripped := c
			stripped.ID, stripped.OrgID, stripped.RoundID, stripped.Fixed = 0, 0, 0, 0
			stripped.Function, stripped.Team, stripped.Region, stripped.TenureBand, stripped.Invited = "", "", "", "", 0
			if why := analytics.Reason(c.HiddenReason); why != analytics.FewResponses && why != analytics.Complementary {
				t.Errorf("hidden cell without its reason: %+v", c)
			}
			stripped.HiddenReason = 0
			if (stripped != analytics.RollupCell{Hidden: true, CommentsHidden: true}) {
				t.Errorf("hidden cell holds numbers: %+v", c)
			}
		}
	})
}

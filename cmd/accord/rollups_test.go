package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// TestRollupLoopRefreshesOpenRoundWithoutARequest: the server's rollup
// loop recomputes an open round's rollups once they are older than its max
// age, with no dashboard request, so that a new response shows; and it
// stops when its context ends.
func TestRollupLoopRefreshesOpenRoundWithoutARequest(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	org := webtest.MustOrg(t, db, "acme", "Acme")
	var rs []analyticstest.Respondent
	for _, p := range []string{"a", "b", "c", "d", "e", "f"} {
		rs = append(rs, analyticstest.Respondent{Person: p, Function: roster.FunctionSales, Team: "Alpha", A1: 2})
	}
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	r := analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "Open", Status: survey.RoundOpen, OpensAt: t0, Respondents: rs})
	databasetest.Must(t, analytics.EnsureRollups(t.Context(), db, org, t0))
	resp := survey.Response{OrgID: org.ID, RoundID: r.ID, EditKey: make([]byte, 32), Function: roster.FunctionSales,
		Team: "Alpha", SubmittedOn: t0}
	databasetest.Must(t, db.Omit("Answers").Create(&resp).Error)

	now := t0.Add(2 * analytics.OpenRefresh)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		runRollups(ctx, db, 20*time.Millisecond, rollupMaxAge, time.Minute, func() time.Time { return now },
			slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var cell analytics.RollupCell
		err := db.Where("round_id = ? AND fixed = 0", r.ID).Take(&cell).Error
		if err == nil && cell.Responses == 7 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the loop did not recompute the open round: %+v, %v", cell, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not stop when its context ended")
	}
}

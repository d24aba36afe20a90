package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/api"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

// TestInsightWeightedOnRequest: weighted=1 adds the results weighted to the
// roster by function; only sales and product (6 each) take part, marketing
// (3) and the executives (2), below the minimum group size, are named as not
// included and enter no weight; without the parameter there is no weighted
// object, and any other value is a 400 that says what is allowed.
func TestInsightWeightedOnRequest(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		var plain map[string]any
		r := w.get(t, admin, "/api/v1/orgs/acme/insight")
		databasetest.Must(t, json.Unmarshal(r.Body, &plain))
		if _, ok := plain["weighted"]; ok || r.Status != http.StatusOK {
			t.Errorf("insight without weighted=1 has a weighted object (status %d)", r.Status)
		}
		var in api.Insight
		r = w.get(t, admin, "/api/v1/orgs/acme/insight?weighted=1")
		databasetest.Must(t, json.Unmarshal(r.Body, &in))
		wt := in.Weighted
		if r.Status != http.StatusOK || wt == nil || wt.Unweighted != nil || len(wt.Functions) != 2 {
			t.Fatalf("weighted=1: status %d, weighted %+v", r.Status, wt)
		}
		var total, shares float64
		for _, f := range wt.Functions {
			if f.Function != roster.FunctionSales && f.Function != roster.FunctionProduct || f.Responses < in.MinGroupSize {
				t.Errorf("function %+v takes part", f)
			}
			total += float64(f.Invited)
			shares += f.Weight
		}
		if math.Abs(shares-1) > 1e-12 || total != 12 {
			t.Errorf("weights add to %v over %v invited, want 1 over 12", shares, total)
		}
		if !slices.Contains(wt.NotIncluded, roster.FunctionMarketing) || !slices.Contains(wt.NotIncluded, roster.FunctionExecutive) {
			t.Errorf("not included %v, want marketing and executive", wt.NotIncluded)
		}
		if wt.CompletelyAligned.Estimate == nil || wt.EffectiveN == nil || wt.Verdict == nil || len(wt.Indices) != 4 {
			t.Errorf("weighted results incomplete: %+v", wt)
		}

		r = w.get(t, admin, "/api/v1/orgs/acme/insight?weighted=1&function=sales")
		in = api.Insight{}
		databasetest.Must(t, json.Unmarshal(r.Body, &in))
		if in.Weighted == nil || in.Weighted.Unweighted == nil || *in.Weighted.Unweighted != "one_function" || in.Weighted.CompletelyAligned.Estimate != nil {
			t.Errorf("sales only: weighted %+v, want one_function and no numbers", in.Weighted)
		}
		if r := w.get(t, admin, "/api/v1/orgs/acme/insight?weighted=yes"); r.Status != http.StatusBadRequest {
			t.Errorf("weighted=yes: status %d, want 400", r.Status)
		}
	})
}

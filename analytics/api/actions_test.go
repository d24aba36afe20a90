package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
)

// TestActionsListTheirEffect lists acme's actions through the API, each
// answer checked against the OpenAPI document by w.get: one measured from
// January (moved or not, with its interval), one whose index is hidden in
// beta's round, one recorded after every closed round; beta's leader
// gets 404 for acme's.
func TestActionsListTheirEffect(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		acme := w.orgs["acme"]
		record := func(target, title string, baseline *int64) {
			a, err := survey.CreateActionPlan(t.Context(), db, acme.ID, survey.ActionInput{Target: target, Title: title, Due: "2026-06-30"})
			databasetest.Must(t, err)
			databasetest.Must(t, db.Model(a).Update("baseline_round_id", baseline).Error)
		}
		record(survey.TargetCompletelyAligned, "Share from January", &w.rounds[0].ID)
		record(survey.IndexProcess, "Process from January", &w.rounds[0].ID)
		record(survey.IndexTrust, "No baseline", nil)

		r := w.get(t, leadA, "/api/v1/orgs/acme/actions")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %.300s", r.Status, r.Body)
		}
		var list struct {
			Data []struct {
				Title   string
				Verdict *string
				Effect  []struct {
					RoundTitle string `json:"round_title"`
					Baseline   bool
					Value      struct{ Estimate *float64 }
					Hidden     *struct{ Code, Reason string }
					Change     *struct {
						Difference struct{ Estimate, Low, High *float64 }
						Hidden     *struct{ Code string }
					}
					Verdict *string
				}
			}
		}
		databasetest.Must(t, json.Unmarshal([]byte(r.Body), &list))
		if len(list.Data) != 3 || list.Data[0].Title != "No baseline" || list.Data[2].Title != "Share from January" {
			t.Fatalf("actions %+v", list.Data)
		}
		share := list.Data[2]
		if len(share.Effect) != 2 || !share.Effect[0].Baseline || share.Effect[0].Change != nil || share.Effect[1].RoundTitle != "February" {
			t.Fatalf("share effect %+v", share.Effect)
		}
		feb := share.Effect[1]
		if feb.Value.Estimate == nil || feb.Change == nil || feb.Change.Difference.Low == nil || feb.Verdict == nil || *share.Verdict != *feb.Verdict {
			t.Errorf("February: %+v", feb)
		}
		// Beta's one round has A1 answers only: its trust index is withheld, and says why.
		b, err := survey.CreateActionPlan(t.Context(), db, w.orgs["beta"].ID, survey.ActionInput{Target: survey.IndexTrust, Title: "Trust"})
		databasetest.Must(t, err)
		if b.BaselineRoundID == nil {
			t.Fatal("beta's action has no baseline")
		}
		effect := w.get(t, leadB, "/api/v1/orgs/beta/actions").JSON(t)["data"].([]any)[0].(map[string]any)["effect"].([]any)
		if p := effect[0].(map[string]any); p["hidden"].(map[string]any)["code"] != "fewer_answers" || p["value"].(map[string]any)["estimate"] != nil {
			t.Errorf("beta's trust: %v", p)
		}
		if nb := list.Data[0]; len(nb.Effect) != 0 || nb.Verdict != nil {
			t.Errorf("an action recorded after every closed round: %+v", nb)
		}
		if r := w.get(t, leadB, "/api/v1/orgs/acme/actions"); r.Status != http.StatusNotFound {
			t.Errorf("beta's leader: status %d", r.Status)
		}
		if r := w.get(t, leadA, "/api/v1/orgs/acme/actions?limit=1"); r.Status != http.StatusOK || len(r.JSON(t)["data"].([]any)) != 1 {
			t.Errorf("a page of one: %d %.200s", r.Status, r.Body)
		}
	})
}

package api

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey"
)

// Action is an action plan with the targeted measure in its baseline round
// and every closed round since, under the dashboard's thresholds.
type Action struct {
	ID              int64         `json:"id"`
	Title           string        `json:"title"`
	Target          string        `json:"target"`
	Owner           string        `json:"owner"`
	DueDate         *string       `json:"due_date"`
	Status          string        `json:"status"`
	Notes           string        `json:"notes"`
	BaselineRoundID *int64        `json:"baseline_round_id"`
	Verdict         *string       `json:"verdict"`
	Effect          []EffectPoint `json:"effect"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	key             string
}

// EffectPoint is the targeted measure in one closed round; Change is null
// in the baseline round and for actions recorded before any round closed.
type EffectPoint struct {
	RoundID    int64       `json:"round_id"`
	RoundTitle string      `json:"round_title"`
	Baseline   bool        `json:"baseline"`
	Value      Interval    `json:"value"`
	Hidden     *Hidden     `json:"hidden,omitempty"`
	Change     *Difference `json:"change"`
	Verdict    *string     `json:"verdict"`
}

// ListActions lists an organisation's actions, newest first, each with its effect.
func (h *Handlers) ListActions(c echo.Context) error {
	org, p, err := h.orgList(c)
	if err != nil {
		return err
	}
	list, err := survey.ListActionPlans(ctx(c), h.app.DB, org.ID)
	if err != nil {
		return err
	}
	effects, k, err := analytics.ActionEffects(ctx(c), h.app.DB, org, list, h.app.Now())
	if err != nil {
		return err
	}
	items := make([]Action, len(effects))
	for i := range effects {
		items[i] = actionJSON(&effects[i], k)
	}
	slices.SortFunc(items, func(a, b Action) int { return strings.Compare(a.key, b.key) })
	return ok(c, paginate(h, c, p, items, func(a Action) string { return a.key }))
}

func actionJSON(e *analytics.ActionEffect, k int) Action {
	a := e.Action
	out := Action{ID: a.ID, Title: a.Title, Target: a.Target, Owner: a.Owner, Status: a.Status, Notes: a.Notes,
		BaselineRoundID: a.BaselineRoundID, Verdict: optional(e.Verdict), Effect: []EffectPoint{},
		CreatedAt: timestamp(a.CreatedAt), UpdatedAt: timestamp(a.UpdatedAt),
		key: fmt.Sprintf("%019d", math.MaxInt64-a.ID)} // newest first
	if a.DueDate != nil {
		d := a.DueDate.Format(time.DateOnly)
		out.DueDate = &d
	}
	for _, p := range e.Points {
		pt := EffectPoint{RoundID: p.Round.ID, RoundTitle: p.Round.Title, Baseline: p.Baseline,
			Value: interval(p.Value), Hidden: hidden(p.Hidden, k), Verdict: optional(p.Verdict)}
		if p.Verdict != "" || p.ChangeHidden.Hidden() {
			pt.Change = &Difference{interval(p.Change), p.Verdict == analytics.EffectMoved || p.Verdict == analytics.EffectWorse,
				hidden(p.ChangeHidden, k)}
		}
		out.Effect = append(out.Effect, pt)
	}
	return out
}

// optional is s, or null when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package analytics

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"accord/analytics/stats"
	"accord/survey"
)

// The effect of an action plan: the measure it targets, for the whole
// organisation, in its baseline round and every closed round after it,
// with the change from the baseline. Everything is read from the same
// trend the dashboard shows (LoadDashboard), so a number hidden there is
// hidden here, for the same reason.

// Verdicts on a change from the baseline. Every target reads higher as
// better (a share of completely aligned answers, indices 0–100).
const (
	EffectMoved         = "moved"
	EffectNoClearChange = "no clear change yet"
	EffectWorse         = "worse"
)

// EffectPoint is the targeted measure in one closed round.
type EffectPoint struct {
	Round    RoundInfo
	Baseline bool           // the round the action was measured from
	Value    stats.Interval // NaN when Hidden
	Hidden   Reason
	// Change is the difference from the baseline (Newcombe's interval for
	// the share, Welch's for an index): NaN in the baseline round, and
	// when either round's number is hidden (ChangeHidden says why).
	Change       stats.Interval
	ChangeHidden Reason
	Verdict      string // "" in the baseline round and when the change is hidden
}

// ActionEffect is an action with its measure round after round.
type ActionEffect struct {
	Action   survey.ActionPlan
	Fraction bool // the target is a share (0–1), not an index (0–100)
	// Points start at the baseline round; without a baseline (no round
	// had closed when the action was recorded) they are the rounds that
	// closed after it, with no change.
	Points []EffectPoint
	// Verdict is the latest round's, "" when there is none to give.
	Verdict string
}

// ActionEffects reads org's trend once and returns the effect of each
// action, in the order given, with the minimum group size the numbers
// were published under.
func ActionEffects(ctx context.Context, db *gorm.DB, org *survey.Organisation, actions []survey.ActionPlan, now time.Time) ([]ActionEffect, int, error) {
	d, err := LoadDashboard(ctx, db, org, Query{}, now)
	if err != nil {
		return nil, 0, err
	}
	return EffectsOf(actions, d.Trend), d.K, nil
}

// EffectsOf follows each action through a dashboard's trend (the closed
// rounds of the whole organisation, oldest first), for a caller that has
// read the dashboard already.
func EffectsOf(actions []survey.ActionPlan, trend []TrendPoint) []ActionEffect {
	out := make([]ActionEffect, len(actions))
	for i := range actions {
		out[i] = effectOf(actions[i], trend)
	}
	return out
}

// effectOf follows one action through trend, the closed rounds oldest first.
func effectOf(a survey.ActionPlan, trend []TrendPoint) ActionEffect {
	e := ActionEffect{Action: a, Fraction: a.Target == survey.TargetCompletelyAligned}
	base := -1
	if a.BaselineRoundID != nil {
		base = slices.IndexFunc(trend, func(p TrendPoint) bool { return p.Round.ID == *a.BaselineRoundID })
	}
	for i, p := range trend {
		switch {
		case base >= 0 && i < base:
			continue
		case base < 0 && !p.Round.ClosedAt.After(a.CreatedAt):
			continue
		}
		pt := EffectPoint{Round: p.Round, Baseline: i == base, Change: nanInterval()}
		pt.Value, pt.Hidden = targetOf(&p, a.Target)
		if base >= 0 && i > base {
			pt.Change, pt.ChangeHidden = changeFrom(&trend[base], &p, a.Target)
			pt.Verdict = verdict(pt.Change, pt.ChangeHidden)
		}
		e.Points = append(e.Points, pt)
	}
	if n := len(e.Points); n > 0 {
		e.Verdict = e.Points[n-1].Verdict
	}
	return e
}

// targetOf is the targeted measure of a trend point and why it is hidden.
func targetOf(p *TrendPoint, target string) (stats.Interval, Reason) {
	switch {
	case !p.Known:
		return nanInterval(), FewResponses
	case p.Hidden:
		return nanInterval(), p.Reason
	case target == survey.TargetCompletelyAligned:
		return p.Share, p.A1Hidden
	}
	i := slices.Index(IndexNames, target)
	if i < 0 {
		return nanInterval(), FewResponses // a target this version does not know: show nothing
	}
	return p.Indices[i].Mean, p.Indices[i].Hidden
}

// changeFrom is the change of the target from base to p, through the
// dashboard's own change (changeOf), which rests on both rounds' numbers.
func changeFrom(base, p *TrendPoint, target string) (stats.Interval, Reason) {
	// The later round's reason first, as changeOf gives it.
	if _, why := targetOf(p, target); why.Hidden() {
		return nanInterval(), why
	}
	if _, why := targetOf(base, target); why.Hidden() {
		return nanInterval(), why
	}
	c := changeOf(base.Round.Title, &base.Measures, &p.Measures)
	if target == survey.TargetCompletelyAligned {
		return c.Share, c.ShareHidden
	}
	i := slices.Index(IndexNames, target)
	return c.Indices[i], c.IndexHidden[i]
}

// verdict reads a change: moved or worse when its interval excludes zero.
func verdict(change stats.Interval, hidden Reason) string {
	switch {
	case hidden.Hidden():
		return ""
	case change.Excludes(0) && change.Estimate > 0:
		return EffectMoved
	case change.Excludes(0):
		return EffectWorse
	}
	return EffectNoClearChange
}

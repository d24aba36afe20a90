package web

import (
	"fmt"
	"net/url"
	"strings"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
)

// weightedParam is the query parameter that shows results weighted to the
// roster: ?weighted=1. It works without JavaScript, as a link.
const weightedParam = "weighted"

// wantsWeighted reports whether the query asks for weighted results.
func wantsWeighted(q url.Values) bool { return q.Get(weightedParam) == "1" }

// toggleLink is a link that turns a view on or off.
type toggleLink struct {
	Href, Label string
	On          bool
}

// weightedView is the results weighted to the roster's composition by
// function, beside the results as answered.
type weightedView struct {
	Verdict string
	Tone    string
	Table   tableView
	Weights tableView
	Notes   []string
}

// weightedToggle is the link that shows or hides the weighted results,
// keeping the rest of the query (round, filters, sorting).
func weightedToggle(in *analytics.Insight, path string, q url.Values, on bool) *toggleLink {
	if in.Open || in.Weighted.Unweighted != "" {
		return nil
	}
	next := url.Values{}
	for k, vs := range q {
		next[k] = vs
	}
	t := &toggleLink{On: on}
	if on {
		next.Del(weightedParam)
		t.Label = "Show results as answered"
	} else {
		next.Set(weightedParam, "1")
		t.Label = "Show results weighted to the roster"
	}
	t.Href = path
	if e := next.Encode(); e != "" {
		t.Href += "?" + e
	}
	t.Href += "#insight-heading"
	return t
}

// newWeightedView formats in.Weighted beside the results as answered in d.
func newWeightedView(in *analytics.Insight, d *analytics.Dashboard) *weightedView {
	w := in.Weighted
	if in.Open || w.Unweighted != "" {
		return nil
	}
	v := &weightedView{Tone: "inline"}
	who := "of the organisation"
	if !in.Filter.IsOrg() {
		who = "of " + lower(in.Filter)
	}
	v.Verdict = fmt.Sprintf("Weighted to the roster, %s %s are completely aligned: %s the study's %s.",
		format.Pct(w.Share.Estimate), who, w.Verdict.Words(), format.Pct(w.Verdict.Study.Estimate))
	switch w.Verdict.Direction {
	case 1:
		v.Tone = "above"
	case -1:
		v.Tone = "below"
	}
	m := d.Current.Measures
	v.Table = tableView{Caption: "Results as answered and weighted to the roster, with 95% intervals",
		Head: []string{"Measure", "As answered", "Weighted to the roster", "95% interval (weighted)"}}
	v.Table.Rows = append(v.Table.Rows, tableRow{Head: "Completely aligned",
		Cells: []string{format.Share(m, d.K), format.Pct(w.Share.Estimate), format.PctRange(w.Share)}})
	for i, wi := range w.Indices {
		row := tableRow{Head: charts.IndexLabel(analytics.IndexNames[i])}
		if wi.Hidden.Hidden() {
			row.Hidden, row.Span, row.Cells = true, 3, []string{format.Why(wi.Hidden, d.K)}
		} else {
			row.Cells = []string{format.Index(m.Indices[i], d.K), format.Num(wi.Mean.Estimate), format.NumRange(wi.Mean)}
		}
		v.Table.Rows = append(v.Table.Rows, row)
	}
	v.Weights = tableView{Caption: "Weights by function: each function's share of the people invited",
		Head: []string{"Function", "Invited", "Responses", "Share of responses", "Weight (share of invited)"}}
	for _, f := range w.Functions {
		v.Weights.Rows = append(v.Weights.Rows, tableRow{Head: analytics.DimFunction.ValueLabel(f.Function),
			Cells: []string{fmt.Sprint(f.Invited), fmt.Sprint(f.Responses), format.Pct(f.AnswerShare), format.Pct(f.Weight)}})
	}
	v.Notes = append(v.Notes, fmt.Sprintf("Each function counts with its share of the people invited to %s, not with its share of the answers, so a function that answered more does not pull the result its way.", in.Round.Title))
	only := fmt.Sprintf("Only functions with results shown take part (at least %d responses): a weight never reveals a hidden group.", d.K)
	if len(w.Left) > 0 {
		var left []string
		for _, f := range w.Left {
			left = append(left, analytics.DimFunction.ValueLabel(f))
		}
		only += " Not included: " + strings.Join(left, ", ") + "."
	}
	v.Notes = append(v.Notes, only,
		fmt.Sprintf("Intervals use Kish's effective sample size (here %.0f answers for the share, of %d): weighting makes a result less certain than the same number of unweighted answers.", w.ShareNEff, w.Share.N))
	return v
}

// weightedHowWeKnow is the method of the weighted results, for "How we know".
const weightedHowWeKnow = "Weighted results (the toggle): post-stratification by function to the round's invitations. Each answer of function h weighs W_h / n_h, W_h being the function's share of the people invited among the functions shown and n_h its number of answers. Uncertainty uses Kish's effective sample size, n_eff = 1 / Σ W_h² / n_h, in the same intervals as the unweighted numbers (Wilson for the share, the bounded mean for the indices), rather than a linearised variance: it never gives a zero-width interval and equals the number of answers when the answers already match the roster. The weighted share is compared with the study as two samples (Newcombe's method at the effective sample size)."

// weigh adds the weighted results' toggle to v, and the results when the
// query asks for them; the headline verdict then speaks of them.
func (v *insightView) weigh(in *analytics.Insight, d *analytics.Dashboard, path string, q url.Values) {
	if v == nil {
		return
	}
	on := wantsWeighted(q)
	v.Toggle = weightedToggle(in, path, q, on)
	if v.Toggle == nil || !on {
		return
	}
	v.Weighted = newWeightedView(in, d)
	v.HowWeKnow = append(v.HowWeKnow, weightedHowWeKnow)
}

// drawn reports whether c is a chart with something drawn.
func drawn(c *chartView) bool { return c != nil && c.Option != "" }

package report

import (
	"accord/analytics/format"
	"fmt"
	"math"
	"strings"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/survey"
)

// summarise writes the executive summary: the findings in plain words, each
// with the uncertainty that qualifies it, for a reader who stops here.
func summarise(d *analytics.Dashboard, cross *analytics.CrossFigure) []string {
	m := d.Current.Measures
	bench := analytics.BenchmarkInterval()
	out := []string{
		fmt.Sprintf("In %s, %d of the %d people who answered (%s) described sales and product as completely aligned; allowing for chance, the true share lies between %s and %s.",
			d.Round.Title, m.A1[0], m.A1N, format.Pct(m.Share.Estimate), format.Pct(m.Share.Low), format.Pct(m.Share.High)),
		benchmarkSentence(d.Org.Name, m, bench.Low, bench.High),
	}
	if cross != nil {
		out = append(out, fmt.Sprintf("Across %d other Accord clients, %s of respondents said so (the middle organisation: %s).",
			cross.Orgs, format.Pct(cross.Pooled.Estimate), format.Pct(cross.Median)))
	}
	if s := changeSentence(d); s != "" {
		out = append(out, s)
	}
	if s := indexSentence(m); s != "" {
		out = append(out, s)
	}
	out = append(out, gapSentence(d))
	if m.Invited > 0 {
		out = append(out, fmt.Sprintf("%s of the %d people invited answered.", format.Pct(m.ResponseRate), m.Invited))
	}
	return out
}

func benchmarkSentence(org string, m analytics.Measures, low, high float64) string {
	study := fmt.Sprintf("In the study, %s of product teams did (its own estimate is uncertain too: roughly %s to %s).",
		format.Pct(survey.BenchmarkCompletelyAligned), format.Pct(low), format.Pct(high))
	switch m.Versus.Direction {
	case 1:
		return study + fmt.Sprintf(" %s is above the benchmark by more than chance would explain.", org)
	case -1:
		return study + fmt.Sprintf(" %s is below the benchmark by more than chance would explain.", org)
	}
	return study + " With this many answers, the difference from the benchmark is within what chance could produce."
}

func changeSentence(d *analytics.Dashboard) string {
	switch {
	case d.Previous == nil:
		return "This is the first closed round, so there is no change to report yet."
	case d.Change == nil:
		return fmt.Sprintf("%s has no published result to compare with (%s).", d.Previous.Round.Title, format.Why(d.Previous.Reason, d.K))
	case d.Change.ShareHidden.Hidden():
		return fmt.Sprintf("The change since %s is not shown: %s behind the completely aligned share in one of the two rounds.", d.Change.From, format.Why(d.Change.ShareHidden, d.K))
	}
	c := d.Change
	points := 100 * c.Share.Estimate
	moved := "did not move"
	switch {
	case points >= 0.05:
		moved = fmt.Sprintf("rose by %s points", format.Signed(points, false))
	case points <= -0.05:
		moved = fmt.Sprintf("fell by %s points", format.Signed(-points, false))
	}
	clear := "that is within what chance could produce"
	if c.ShareSignificant() {
		clear = "a clear change"
	}
	return fmt.Sprintf("Since %s, the completely aligned share %s; %s.", c.From, moved, clear)
}

// indexSentence names the strongest and the weakest index.
func indexSentence(m analytics.Measures) string {
	hi, lo := -1, -1
	for i, im := range m.Indices {
		x := im.Mean.Estimate
		if math.IsNaN(x) {
			continue
		}
		if hi < 0 || x > m.Indices[hi].Mean.Estimate {
			hi = i
		}
		if lo < 0 || x < m.Indices[lo].Mean.Estimate {
			lo = i
		}
	}
	if hi < 0 || hi == lo {
		return ""
	}
	name := func(i int) string { return strings.ToLower(charts.IndexLabel(analytics.IndexNames[i])) }
	return fmt.Sprintf("Of the four indices (0 to 100), %s scores highest (%s) and %s lowest (%s).",
		name(hi), format.Num(m.Indices[hi].Mean.Estimate), name(lo), format.Num(m.Indices[lo].Mean.Estimate))
}

// gapSentence reports the largest gap between sales and product whose
// interval excludes zero, or that there is none.
func gapSentence(d *analytics.Dashboard) string {
	if d.Gaps == nil {
		return "Sales or product had too few responses for their views to be compared."
	}
	if note := format.GapNote(d.Gaps, d.K); note != "" && !anyGap(d.Gaps) {
		return note
	}
	var widest *analytics.Gap
	for i := range d.Gaps {
		g := &d.Gaps[i]
		if g.Significant() && (widest == nil || math.Abs(g.Diff.Estimate) > math.Abs(widest.Diff.Estimate)) {
			widest = g
		}
	}
	if widest == nil {
		return "Sales and product see the relationship alike: no gap between them is larger than chance could produce."
	}
	way := "lower"
	if widest.Diff.Estimate > 0 {
		way = "higher"
	}
	return fmt.Sprintf("The widest gap is in %s: sales rate it %s points %s than product do (%s against %s).",
		strings.ToLower(charts.IndexLabel(widest.Index)), format.Signed(math.Abs(widest.Diff.Estimate), false), way,
		format.Num(widest.Sales.Estimate), format.Num(widest.Product.Estimate))
}

// anyGap reports whether some index's gap is shown.
func anyGap(gaps []analytics.Gap) bool {
	for _, g := range gaps {
		if !g.Hidden.Hidden() {
			return true
		}
	}
	return false
}

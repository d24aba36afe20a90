package web

import (
	"fmt"
	"math"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
)

// insightView is the ten-second headline at the top of the dashboard and
// the statements and drivers sections, formatted from analytics.Insight.
type insightView struct {
	Verdict   string
	Tone      string // "above", "below" or "inline": the verdict's colour
	Trend     string
	Arrow     string // ↑, ↓ or →
	TrendTone string // "up", "down" or "flat"
	Gap       string
	Weakest   string
	Strongest string
	Focus     []string
	Warning   string
	// HowWeKnow is the statistical detail, one sentence each, behind a
	// disclosure.
	HowWeKnow  []string
	Statements *chartView
	Drivers    *chartView
	// Weighted is the results weighted to the roster, shown when the
	// reader asks for them (?weighted=1); Toggle is the link that turns
	// them on or off (nil when nothing can be weighted).
	Weighted *weightedView
	Toggle   *toggleLink
}

func newInsightView(in *analytics.Insight) *insightView {
	if in == nil || in.Round == nil {
		return nil
	}
	h := format.HeadlineOf(in)
	v := &insightView{Verdict: h.Verdict, Trend: h.Trend, Gap: h.Gap, Weakest: h.Weakest, Strongest: h.Strongest,
		Focus: h.Focus, Warning: h.Warning, Tone: "inline", Arrow: "→", TrendTone: "flat"}
	switch h.Tone {
	case 1:
		v.Tone = "above"
	case -1:
		v.Tone = "below"
	}
	switch h.TrendSign {
	case 1:
		v.Arrow, v.TrendTone = "↑", "up"
	case -1:
		v.Arrow, v.TrendTone = "↓", "down"
	}
	v.HowWeKnow = howWeKnow(in)
	if len(in.Statements) > 0 {
		v.Statements = statementsChart(in)
		v.Drivers = driversChart(in)
	}
	return v
}

func howWeKnow(in *analytics.Insight) []string {
	var out []string
	if v := in.Verdict; !in.Open && !v.Hidden.Hidden() {
		out = append(out, fmt.Sprintf("Against the study: %s of %d answers here against %s of the study's %d respondents (the smallest yearly sample it reported, so its own uncertainty is not understated), compared as two samples: the difference is %s points, 95%% interval %s (Newcombe). “In line” means the interval includes zero.",
			format.Pct(v.Share.Estimate), v.Share.N, format.Pct(v.Study.Estimate), v.StudyN, format.Signed(100*v.Diff.Estimate, true), format.DiffRange(v.Diff, 100)))
	}
	if pv := in.ProductVerdict; !in.Open && !pv.Hidden.Hidden() {
		out = append(out, fmt.Sprintf("The study asked product teams: product here is %s completely aligned, %s the study (difference %s points, 95%% interval %s).",
			format.Pct(pv.Share.Estimate), pv.Words(), format.Signed(100*pv.Diff.Estimate, true), format.DiffRange(pv.Diff, 100)))
	}
	if t := in.Trend; t.Enough {
		out = append(out, fmt.Sprintf("Trend: a straight line through every answer of the last %d closed rounds (%s to %s) moves %s points a year, 95%% interval %s (least squares with robust errors, %s).",
			t.Rounds, t.From.Format("2 Jan 2006"), t.To.Format("2 Jan 2006"), format.Signed(t.Slope.Estimate, true), format.DiffRange(t.Slope.Interval, 1), format.PValue(t.Slope.P)))
	}
	if len(in.Statements) > 0 {
		out = append(out, "Statements: each mean is on 0–100 (strongly disagree 0 … strongly agree 100) with a 95% interval that never has zero width (Agresti–Coull, generalised to bounded scores); changes since the last round are called only when their interval excludes zero and they hold up after controlling false discoveries across the statements (Benjamini–Hochberg).")
		out = append(out, "Focus areas: statements whose association with the alignment answer is positive and holds up after controlling false discoveries across the statements (Pearson correlation with a Fisher-z interval), and whose score is at or below the middle statement's. Association is not proof of cause.")
	}
	if !in.Open {
		out = append(out, "Groups at a glance: each group's share and indices are tested against the rest of the group shown (the pooled z test for the share, Welch's test for an index, only where the rest has at least the minimum group size of answers), and ▲ or ▼ marks a difference only when it holds up after controlling false discoveries across all the cells tested (Benjamini–Hochberg); the change table does the same across its five changes.")
	}
	if r := in.Response; !r.Hidden.Hidden() {
		out = append(out, fmt.Sprintf("Response rates: sales %s, product %s; difference %s points, 95%% interval %s (Newcombe).",
			format.Pct(r.SalesRate.Estimate), format.Pct(r.ProductRate.Estimate), format.Signed(100*r.Diff.Estimate, true), format.DiffRange(r.Diff, 100)))
	}
	return out
}

// statementLabel is a statement's short label for a chart axis: its key
// and the start of its wording.
func statementLabel(s analytics.StatementResult) string {
	const max = 34
	p := []rune(s.Prompt)
	if len(p) > max {
		return s.Key + " " + string(p[:max-1]) + "…"
	}
	return s.Key + " " + s.Prompt
}

func statementsChart(in *analytics.Insight) *chartView {
	c := &chartView{ID: charts.StatementsID, Heading: "Statement by statement",
		Intro:     "How people answered each statement: disagreement to the left, agreement to the right. The table has each mean on 0–100 with its 95% interval, sales and product side by side, and the change since the last round.",
		AriaLabel: "Diverging bar chart of disagree, neutral and agree shares per statement. The table below lists the values.",
		Height:    60 + 36*len(in.Statements)}
	c.Table = tableView{Caption: "Statements: answers, mean (0–100) with 95% interval, sales and product, change",
		Head: []string{"Statement", "Disagree / neutral / agree", "Mean", "95% interval", "Sales", "Product", "Change"}}
	var labels []string
	shown := false
	for _, s := range in.Statements {
		labels = append(labels, statementLabel(s))
		row := tableRow{Head: s.Key + ": " + s.Prompt}
		if s.All.Hidden.Hidden() {
			row.Hidden, row.Span, row.Cells = true, len(c.Table.Head)-1, []string{format.Why(s.All.Hidden, in.K)}
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		shown = true
		side := func(m analytics.StatementMeasure) string {
			if m.Hidden.Hidden() {
				return "hidden: " + format.Why(m.Hidden, in.K)
			}
			return format.Num(m.Mean.Estimate)
		}
		change := "–"
		if ch := s.Change; ch != nil {
			switch {
			case ch.Hidden.Hidden():
				change = "hidden: " + format.Why(ch.Hidden, in.K)
			case ch.Significant:
				change = format.Signed(ch.Diff.Estimate, true) + " (significant)"
			default:
				change = format.Signed(ch.Diff.Estimate, true) + " (no clear change)"
			}
		}
		row.Cells = []string{format.Pct(s.All.Disagree) + " / " + format.Pct(s.All.Neutral) + " / " + format.Pct(s.All.Agree),
			format.Num(s.All.Mean.Estimate), format.NumRange(s.All.Mean), side(s.Sales), side(s.Product), change}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if shown {
		build(c, func() (string, error) { return charts.Statements(in.Statements, labels) })
	}
	return c
}

// driverNote says what a driver is, and what it is not.
const driverNote = "Association, not proof of cause: people who agree with a statement tend to rate alignment higher, which may have other reasons. Never shown for groups below the minimum size."

func driversChart(in *analytics.Insight) *chartView {
	c := &chartView{ID: charts.DriversID, Heading: "What goes with alignment",
		Intro:     "How strongly each statement goes with the alignment answer (a correlation from −1 to 1), strongest first, with its 95% interval. A filled dot holds up after controlling false discoveries across the statements; a hollow one may be chance.",
		AriaLabel: "Forest plot of each statement's correlation with the alignment answer and its 95% interval. The table below lists the values.",
		Height:    charts.DriversHeight(len(in.Drivers)), Note: driverNote}
	c.Table = tableView{Caption: "Association of each statement with the alignment answer, strongest first",
		Head: []string{"Statement", "Association (r)", "95% interval", "Verdict"}}
	var labels []string
	shown := false
	for _, d := range in.Drivers {
		labels = append(labels, statementLabel(analytics.StatementResult{Key: d.Key, Prompt: d.Prompt}))
		row := tableRow{Head: d.Key + ": " + d.Prompt}
		if d.Hidden.Hidden() {
			row.Hidden, row.Span, row.Cells = true, len(c.Table.Head)-1, []string{format.Why(d.Hidden, in.K)}
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		verdict := "no clear association"
		if d.Significant && d.R.Estimate > 0 {
			verdict = "goes with alignment"
		} else if d.Significant {
			verdict = "goes against alignment"
		}
		if !math.IsNaN(d.R.Estimate) {
			shown = true
		}
		row.Cells = []string{fmt.Sprintf("%.2f", d.R.Estimate), fmt.Sprintf("%.2f to %.2f", d.R.Low, d.R.High), verdict}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if shown {
		build(c, func() (string, error) { return charts.Drivers(in.Drivers, labels) })
	}
	return c
}

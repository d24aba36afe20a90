package web

import (
	"fmt"
	"net/url"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
	"accord/survey"
)

// newCharts builds every chart of the dashboard with its table. A chart
// whose option cannot be built is left out with an error note rather than
// failing the page: its table still gives the numbers.
func newCharts(d *analytics.Dashboard, q url.Values) []chartView {
	var out []chartView
	closed := d.Round.Closed()
	if len(d.Trend) > 0 {
		out = append(out, trendChart(d), indexTrendChart(d))
	}
	if closed && d.Current.Known && !d.Current.Hidden && !d.Current.A1Hidden.Hidden() {
		out = append(out, distributionChart(d))
	}
	if closed && d.Gaps != nil {
		out = append(out, gapChart(d))
	}
	if closed && len(d.Breakdowns) > 0 {
		out = append(out, heatmapChart(d, q))
	}
	if len(d.Rates) > 0 {
		out = append(out, ratesChart(d))
	}
	return out
}

func build(c *chartView, option func() (string, error)) {
	s, err := option()
	if err != nil {
		c.Note = "This chart could not be drawn; the table below has its numbers."
		return
	}
	c.Option = s
}

// anyShown reports whether some point is published, so a chart has something to draw.
func anyShown(ps []analytics.TrendPoint) bool {
	for _, p := range ps {
		if p.Known && !p.Hidden {
			return true
		}
	}
	return false
}

func trendChart(d *analytics.Dashboard) chartView {
	c := chartView{ID: charts.TrendID, Heading: "Completely aligned, round by round", Unit: "%",
		Intro: fmt.Sprintf("The share of %s describing sales and product as completely aligned, with its 95%% interval, against the study's %s.",
			lower(d.Filter), format.Pct(survey.BenchmarkCompletelyAligned)),
		AriaLabel: "Line chart of the completely aligned share per closed round with its 95% interval band and the benchmark line. The table below lists the values."}
	c.Table = tableView{Caption: "Completely aligned share per closed round, oldest first",
		Head: []string{"Round", "Completely aligned", "95% interval", "Answers"}}
	for _, p := range d.Trend {
		row := tableRow{Head: format.RoundLabel(p.Round, d.Now)}
		if hiddenPoint(&row, p, d.K, 3) {
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		if p.A1Hidden.Hidden() {
			row.Hidden, row.Span, row.Cells = true, 3, []string{format.Why(p.A1Hidden, d.K)}
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		row.Cells = []string{format.Pct(p.Share.Estimate), format.PctRange(p.Share), fmt.Sprint(p.A1N)}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if anyShown(d.Trend) {
		build(&c, func() (string, error) { return charts.CompletelyAlignedTrend(analytics.Shares(d.Trend, d.K)) })
	}
	c.Note = gapNote(d.Trend)
	return c
}

func indexTrendChart(d *analytics.Dashboard) chartView {
	c := chartView{ID: charts.IndexTrendID, Heading: "Indices, round by round",
		Intro:     "Alignment, trust, information and process on a 0–100 scale, each with its 95% interval.",
		AriaLabel: "Line chart of the four indices per closed round with their 95% interval bands. The table below lists the values."}
	c.Table = tableView{Caption: "Indices (0–100) per closed round with 95% intervals, oldest first", Head: []string{"Round"}}
	for _, name := range analytics.IndexNames {
		c.Table.Head = append(c.Table.Head, charts.IndexLabel(name))
	}
	for _, p := range d.Trend {
		row := tableRow{Head: format.RoundLabel(p.Round, d.Now)}
		if hiddenPoint(&row, p, d.K, len(analytics.IndexNames)) {
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		for _, im := range p.Indices {
			if im.Hidden.Hidden() {
				row.Cells = append(row.Cells, format.Index(im, d.K))
				continue
			}
			row.Cells = append(row.Cells, format.Num(im.Mean.Estimate)+" ("+format.NumRange(im.Mean)+")")
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if anyShown(d.Trend) {
		build(&c, func() (string, error) { return charts.IndexTrend(d.Trend) })
	}
	return c
}

func distributionChart(d *analytics.Dashboard) chartView {
	m := d.Current.Measures
	c := chartView{ID: charts.DistributionID, Heading: "How people describe the relationship", Unit: "%",
		Intro:     fmt.Sprintf("Answers to the benchmark question in %s, beside the study's shares.", d.Round.Title),
		AriaLabel: "Bar chart of the share of answers at each of the four levels, this round beside the study. The table below lists the values."}
	c.Table = tableView{Caption: "Share of answers at each level, this round and the study",
		Head: []string{"Answer", "This round", "Answers", "Study (2014)"}}
	for i, label := range charts.A1LevelLabels {
		share := 0.0
		if m.A1N > 0 {
			share = float64(m.A1[i]) / float64(m.A1N)
		}
		c.Table.Rows = append(c.Table.Rows, tableRow{Head: label,
			Cells: []string{format.Pct(share), fmt.Sprint(m.A1[i]), format.Pct(survey.BenchmarkShares[i])}})
	}
	build(&c, func() (string, error) { return charts.A1Distribution(m) })
	return c
}

func gapChart(d *analytics.Dashboard) chartView {
	c := chartView{ID: charts.GapID, Heading: "Perception gap: sales and product",
		Intro:     "Each index as sales sees it and as product sees it. The gap is sales minus product, with its 95% interval (Welch).",
		AriaLabel: "Bar chart of each index as seen by sales and by product. The table below lists the values and the gaps."}
	c.Table = tableView{Caption: "Indices as seen by sales and by product, and the gap (sales minus product)",
		Head: []string{"Index", "Sales", "Product", "Gap", "95% interval", "Verdict"}}
	shown := false
	for _, g := range d.Gaps {
		row := tableRow{Head: charts.IndexLabel(g.Index)}
		if g.Hidden.Hidden() {
			row.Hidden, row.Span, row.Cells = true, len(c.Table.Head)-1, []string{format.Why(g.Hidden, d.K)}
			c.Table.Rows = append(c.Table.Rows, row)
			continue
		}
		shown = true
		verdict := "no clear gap"
		if g.Significant() {
			verdict = "significant gap"
		}
		row.Cells = []string{format.Num(g.Sales.Estimate), format.Num(g.Product.Estimate), format.Signed(g.Diff.Estimate, true), format.DiffRange(g.Diff, 1), verdict}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.Note = format.GapNote(d.Gaps, d.K)
	if shown {
		build(&c, func() (string, error) { return charts.PerceptionGap(d.Gaps) })
	}
	return c
}

func ratesChart(d *analytics.Dashboard) chartView {
	c := chartView{ID: charts.RatesID, Heading: "Response rate per round", Unit: "%",
		Intro:     fmt.Sprintf("Responses over invitations, for %s and by %s.", lower(d.Filter), d.RateDim.Name()),
		AriaLabel: "Line chart of response rates per round and group. The table below lists the values."}
	if d.RateDim == 0 {
		c.Intro = fmt.Sprintf("Responses over invitations for %s.", lower(d.Filter))
	}
	titles := make([]string, len(d.Rounds))
	c.Table = tableView{Caption: "Response rate per round and group", Head: []string{"Round"}}
	var lines []charts.RateLine
	for _, s := range d.Rates {
		label := s.Group.Label()
		if s.Group != d.Filter {
			label = d.RateDim.ValueLabel(s.Group.Get(d.RateDim))
		}
		lines = append(lines, charts.RateLine{Label: label, Points: s.Points})
		c.Table.Head = append(c.Table.Head, label)
	}
	shown := false
	for i, r := range d.Rounds {
		titles[i] = format.RoundAxisLabel(r, d.Now)
		row := tableRow{Head: format.RoundLabel(r, d.Now)}
		for _, s := range d.Rates {
			cell, ok := format.RateCell(s.Points[i], d.K)
			row.Cells = append(row.Cells, cell)
			shown = shown || ok
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if shown {
		build(&c, func() (string, error) { return charts.ResponseRates(titles, lines) })
	}
	return c
}

// hiddenPoint fills a table row for a round where the group is hidden or
// absent, spanning cells columns, and reports whether it did.
func hiddenPoint(row *tableRow, p analytics.TrendPoint, k, cells int) bool {
	switch {
	case !p.Known:
		row.Hidden, row.Span, row.Cells = true, cells, []string{"no one in this group"}
	case p.Hidden:
		row.Hidden, row.Span, row.Cells = true, cells, []string{format.Why(p.Reason, k)}
	default:
		return false
	}
	return true
}

// gapNote explains the rounds without a point, in words true of them all.
func gapNote(trend []analytics.TrendPoint) string {
	for _, p := range trend {
		if p.Hidden || !p.Known || p.A1Hidden.Hidden() {
			return "Rounds where this group’s result is hidden, to protect anonymity, have no point; the table says why."
		}
	}
	return ""
}

// lower names the filtered group inside a sentence.
func lower(g analytics.Group) string {
	if g.IsOrg() {
		return "the whole organisation"
	}
	return g.Label()
}

package report

import (
	"fmt"
	"strings"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
	"accord/analytics/stats"
	"accord/survey"
)

// sections builds the report's parts after the comparison, in reading
// order. A chart whose option cannot be built is left out; its table stays.
func sections(d *analytics.Dashboard) []Section {
	var out []Section
	if len(d.Trend) > 0 {
		out = append(out, trend(d))
	}
	if d.Current.Known && !d.Current.Hidden {
		out = append(out, indices(d))
	}
	out = append(out, gap(d))
	if len(d.Breakdowns) > 0 {
		out = append(out, groups(d))
	}
	if len(d.Rates) > 0 {
		out = append(out, rates(d))
	}
	return out
}

// addChart adds a chart when its option builds.
func (s *Section) addChart(c Chart, option func() (string, error)) {
	opt, err := option()
	if err != nil {
		s.Notes = append(s.Notes, "A chart could not be drawn here; the table gives its numbers.")
		return
	}
	c.Option = opt
	s.Charts = append(s.Charts, c)
}

// hiddenRow fills a row for a round or group without published results.
func hiddenRow(head string, p analytics.TrendPoint, k, span int) (Row, bool) {
	switch {
	case !p.Known:
		return Row{Head: head, Hidden: true, Span: span, Cells: []string{"no one in this group"}}, true
	case p.Hidden:
		return Row{Head: head, Hidden: true, Span: span, Cells: []string{format.Why(p.Reason, k)}}, true
	}
	return Row{}, false
}

func shown(ps []analytics.TrendPoint) bool {
	for _, p := range ps {
		if p.Known && !p.Hidden {
			return true
		}
	}
	return false
}

func trend(d *analytics.Dashboard) Section {
	s := Section{ID: "trend", Heading: "Trend",
		Intro: fmt.Sprintf("Every closed round of the whole organisation: the completely aligned share against the study's %s, and the four indices (0–100), each with its 95%% interval.", format.Pct(survey.BenchmarkCompletelyAligned))}
	t := Table{Caption: "Completely aligned and indices per closed round, oldest first", Head: []string{"Round", "Completely aligned", "95% interval"}}
	for _, name := range analytics.IndexNames {
		t.Head = append(t.Head, charts.IndexLabel(name))
	}
	t.Caption += shortRoundsNote
	for _, p := range d.Trend {
		if row, hidden := hiddenRow(shortRound(p.Round), p, d.K, len(t.Head)-1); hidden {
			t.Rows = append(t.Rows, row)
			continue
		}
		row := Row{Head: shortRound(p.Round), Cells: []string{format.Share(p.Measures, d.K), format.PctRange(p.Share)}}
		if p.A1Hidden.Hidden() {
			row.Cells[1] = "–"
		}
		for _, im := range p.Indices {
			row.Cells = append(row.Cells, format.Index(im, d.K))
		}
		t.Rows = append(t.Rows, row)
	}
	if shown(d.Trend) {
		s.addChart(Chart{ID: charts.TrendID, Unit: "%", AriaLabel: "Line chart of the completely aligned share per closed round with its 95% interval band and the benchmark line. The table lists the values."},
			relabelled(func() (string, error) { return charts.CompletelyAlignedTrend(analytics.Shares(d.Trend, d.K)) }, trendLabels(d.Trend)))
		s.addChart(Chart{ID: charts.IndexTrendID, AriaLabel: "Line chart of the four indices per closed round with their 95% interval bands. The table lists the values."},
			relabelled(func() (string, error) { return charts.IndexTrend(d.Trend) }, trendLabels(d.Trend)))
	}
	s.Tables = append(s.Tables, t)
	for _, p := range d.Trend {
		if p.Hidden || !p.Known || p.A1Hidden.Hidden() {
			s.Notes = append(s.Notes, "Rounds where the result is hidden, to protect anonymity, have no point; the table says why.")
			break
		}
	}
	return s
}

func indices(d *analytics.Dashboard) Section {
	m := d.Current.Measures
	s := Section{ID: "indices", Heading: "Indices in " + d.Round.Title,
		Intro: "Each index runs from 0 to 100: the mean of respondents' scores, with its 95% interval and Cronbach's alpha (how consistently its questions were answered)."}
	t := Table{Caption: "Indices with 95% intervals and Cronbach's alpha", Head: []string{"Index", "Score", "95% interval", "Cronbach's alpha"}}
	for i, im := range m.Indices {
		head := charts.IndexLabel(analytics.IndexNames[i])
		if im.Hidden.Hidden() {
			t.Rows = append(t.Rows, Row{Head: head, Hidden: true, Span: len(t.Head) - 1, Cells: []string{format.Why(im.Hidden, d.K)}})
			continue
		}
		t.Rows = append(t.Rows, Row{Head: head, Cells: []string{format.Num(im.Mean.Estimate), format.NumRange(im.Mean), format.Alpha(im, d.K)}})
	}
	s.Tables = append(s.Tables, t)
	if c := d.Change; c != nil {
		ct := Table{Caption: "Change since " + c.From + ", with 95% intervals", Head: []string{"Measure", "Change since " + c.From, "95% interval", "Verdict"}}
		verdict := func(sig bool) string {
			if sig {
				return "significant change"
			}
			return "no clear change"
		}
		row := func(head string, why analytics.Reason, iv stats.Interval, scale float64, unit string, sig bool) Row {
			if why.Hidden() {
				return Row{Head: head, Hidden: true, Span: 3, Cells: []string{"hidden in this round or the one before: " + format.Why(why, d.K)}}
			}
			return Row{Head: head, Cells: []string{format.Signed(scale*iv.Estimate, true) + unit, format.DiffRange(iv, scale), verdict(sig)}}
		}
		ct.Rows = append(ct.Rows, row("Completely aligned", c.ShareHidden, c.Share, 100, " points", c.ShareSignificant()))
		for i, iv := range c.Indices {
			ct.Rows = append(ct.Rows, row(charts.IndexLabel(analytics.IndexNames[i]), c.IndexHidden[i], iv, 1, "", c.IndexSignificant(i)))
		}
		s.Tables = append(s.Tables, ct)
		s.Notes = append(s.Notes, "A change is called significant only when its 95% interval excludes zero and it holds up after controlling false discoveries across the five changes in this table (Benjamini–Hochberg).")
	}
	return s
}

// addDistribution adds all four answers to the benchmark question, beside
// the study's shares, to s: the comparison, which they complete.
func addDistribution(s *Section, d *analytics.Dashboard) {
	m := d.Current.Measures
	t := Table{Caption: "Share of answers at each level, this round and the study", Head: []string{"Answer", "This round", "Answers", "Study (2014)"}}
	for i, label := range charts.A1LevelLabels {
		share := 0.0
		if m.A1N > 0 {
			share = float64(m.A1[i]) / float64(m.A1N)
		}
		t.Rows = append(t.Rows, Row{Head: label, Cells: []string{format.Pct(share), fmt.Sprint(m.A1[i]), format.Pct(survey.BenchmarkShares[i])}})
	}
	s.addChart(Chart{ID: charts.DistributionID, Unit: "%", AriaLabel: "Bar chart of the share of answers at each level, this round beside the study. The table lists the values."},
		func() (string, error) { return charts.A1Distribution(m) })
	s.Tables = append(s.Tables, t)
}

func gap(d *analytics.Dashboard) Section {
	s := Section{ID: "gap", Heading: "Perception gap: sales and product",
		Intro: "Each index as sales sees it and as product sees it. The gap is sales minus product, with its 95% interval (Welch)."}
	if d.Gaps == nil {
		s.Notes = append(s.Notes, fmt.Sprintf("The perception gap needs at least %d answers from sales and from product in %s.", d.K, d.Round.Title))
		return s
	}
	t := Table{Caption: "Indices as seen by sales and by product, and the gap", Head: []string{"Index", "Sales", "Product", "Gap", "95% interval", "Verdict"}}
	shown := false
	for _, g := range d.Gaps {
		if g.Hidden.Hidden() {
			t.Rows = append(t.Rows, Row{Head: charts.IndexLabel(g.Index), Hidden: true, Span: len(t.Head) - 1, Cells: []string{format.Why(g.Hidden, d.K)}})
			continue
		}
		shown = true
		v := "no clear gap"
		if g.Significant() {
			v = "significant gap"
		}
		t.Rows = append(t.Rows, Row{Head: charts.IndexLabel(g.Index), Cells: []string{format.Num(g.Sales.Estimate), format.Num(g.Product.Estimate), format.Signed(g.Diff.Estimate, true), format.DiffRange(g.Diff, 1), v}})
	}
	if note := format.GapNote(d.Gaps, d.K); note != "" {
		s.Notes = append(s.Notes, note)
	}
	if shown {
		s.addChart(Chart{ID: charts.GapID, AriaLabel: "Bar chart of each index as seen by sales and by product. The table lists the values and the gaps."},
			func() (string, error) { return charts.PerceptionGap(d.Gaps) })
	}
	s.Tables = append(s.Tables, t)
	return s
}

func groups(d *analytics.Dashboard) Section {
	s := Section{ID: "groups", Heading: "Groups at a glance",
		Intro: fmt.Sprintf("Each function, team, region and tenure band in %s: the completely aligned share and the four indices, darker for higher.", d.Round.Title)}
	t := Table{Caption: "Measures per group", Head: append([]string{"Group", "Responses"}, charts.HeatmapColumns...)}
	var rows []charts.HeatmapRow
	// The chart and the table show the published groups; a note names
	// the hidden ones, by the reason they are hidden.
	hidden := map[string][]string{}
	var reasons []string
	drawn := false
	for _, b := range d.Breakdowns {
		for _, m := range b.Groups {
			label := b.Dim.Label() + ": " + b.Dim.ValueLabel(m.Group.Get(b.Dim))
			if m.Hidden {
				why := format.Why(m.Reason, d.K)
				if hidden[why] == nil {
					reasons = append(reasons, why)
				}
				hidden[why] = append(hidden[why], label)
				continue
			}
			drawn = true
			rows = append(rows, charts.HeatmapRow{Label: label, Measures: m})
			row := Row{Head: label, Cells: []string{fmt.Sprint(m.Responses), format.Share(m, d.K)}}
			for _, im := range m.Indices {
				row.Cells = append(row.Cells, format.Index(im, d.K))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	if drawn {
		s.addChart(Chart{ID: charts.HeatmapID, Height: charts.HeatmapHeight(len(rows)), AriaLabel: "Heatmap of the published groups by measure. The table lists every group."},
			func() (string, error) { return charts.Heatmap(rows) })
	}
	if drawn {
		s.Tables = append(s.Tables, t)
	}
	for _, why := range reasons {
		s.Notes = append(s.Notes, fmt.Sprintf("Hidden, %s: %s.", why, strings.Join(hidden[why], "; ")))
	}
	s.Notes = append(s.Notes, fmt.Sprintf("A single number reads “%s” when fewer people answered its questions.", analytics.FewAnswers.Text(d.K)))
	return s
}

func rates(d *analytics.Dashboard) Section {
	s := Section{ID: "rates", Heading: "Response and non-response",
		Intro: fmt.Sprintf("Responses over invitations in every round, for the whole organisation and by %s.", d.RateDim.Name())}
	if n := nonResponse(d); n != "" {
		s.Intro += " " + n
	}
	titles := make([]string, len(d.Rounds))
	t := Table{Caption: "Response rates per round and group" + shortRoundsNote, Head: []string{"Round"}}
	var lines []charts.RateLine
	for _, series := range d.Rates {
		label := series.Group.Label()
		if series.Group != d.Filter {
			label = d.RateDim.ValueLabel(series.Group.Get(d.RateDim))
		}
		lines = append(lines, charts.RateLine{Label: label, Points: series.Points})
		t.Head = append(t.Head, label)
	}
	drawn := false
	for i, r := range d.Rounds {
		titles[i] = shortRound(r)
		row := Row{Head: shortRound(r)}
		for _, series := range d.Rates {
			cell, ok := rateCell(series.Points[i])
			row.Cells = append(row.Cells, cell)
			drawn = drawn || ok
		}
		t.Rows = append(t.Rows, row)
	}
	s.Notes = append(s.Notes, hiddenRatesNote(d.K))
	if drawn {
		s.addChart(Chart{ID: charts.RatesID, Unit: "%", AriaLabel: "Line chart of response rates per round and group. The table lists the values."},
			func() (string, error) { return charts.ResponseRates(titles, lines) })
	}
	s.Tables = append(s.Tables, t)
	return s
}

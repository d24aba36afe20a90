package report

import (
	"accord/analytics/format"
	"encoding/json"
	"fmt"
	"math"

	"accord/analytics"
	"accord/survey"
)

// ComparisonID is the chart comparing the share with the benchmark.
const ComparisonID = "versus-benchmark"

// compRow is one line of the comparison: an estimate with its interval.
// Short labels the chart's axis; the table names it in full.
type compRow struct {
	Label, Short, Basis string
	Est, Low, High      float64
}

// comparison is the section that sets the organisation's completely
// aligned share beside the study's, each with its own uncertainty, and
// beside other clients' when there are enough of them.
func comparison(d *analytics.Dashboard, cross *analytics.CrossFigure) Section {
	m := d.Current.Measures
	bench := analytics.BenchmarkInterval()
	rows := []compRow{
		{Label: d.Org.Name + ", " + d.Round.Title, Short: "This organisation", Basis: fmt.Sprintf("%d answers", m.A1N), Est: m.Share.Estimate, Low: m.Share.Low, High: m.Share.High},
		{Label: "Study (2014)", Short: "Study (2014)", Basis: fmt.Sprintf("about %d product-team respondents or more", analytics.BenchmarkMinN), Est: bench.Estimate, Low: bench.Low, High: bench.High},
	}
	if cross != nil {
		rows = append(rows, compRow{Label: fmt.Sprintf("Other Accord clients (%d)", cross.Orgs), Short: "Other clients",
			Basis: fmt.Sprintf("%d answers; median organisation %s", cross.Pooled.N, format.Pct(cross.Median)),
			Est:   cross.Pooled.Estimate, Low: cross.Pooled.Low, High: cross.Pooled.High})
	}
	s := Section{ID: "comparison", Heading: "Against the benchmark",
		Intro: fmt.Sprintf("The share of people who describe sales and product as completely aligned, and the study's share, each with its 95%% interval: both are estimates from samples; then all four answers to the benchmark question in %s beside the study's shares. Source: %s.", d.Round.Title, survey.BenchmarkSource)}
	t := Table{Caption: "Completely aligned share with 95% intervals", Head: []string{"Compared", "Completely aligned", "95% interval", "Based on"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, Row{Head: r.Label, Cells: []string{format.Pct(r.Est), format.Pct(r.Low) + "–" + format.Pct(r.High), r.Basis}})
	}
	s.Tables = append(s.Tables, t)
	if opt, err := comparisonOption(rows); err == nil {
		s.Charts = append(s.Charts, Chart{ID: ComparisonID, Option: opt, Unit: "%", Height: 90 + 56*len(rows),
			AriaLabel: "Each share as a diamond with its 95% interval as a bar. The table lists the values."})
	}
	addDistribution(&s, d)
	s.Notes = append(s.Notes, verdictSentence(m))
	if cross == nil && d.Org.BenchmarkOptIn {
		s.Notes = append(s.Notes, fmt.Sprintf("Fewer than %d other organisations take part in the cross-client benchmark yet, so there is no comparison with them.", analytics.CrossMinOrgs))
	}
	return s
}

// verdictSentence says in words what the binomial test found.
func verdictSentence(m analytics.Measures) string {
	switch m.Versus.Direction {
	case 1:
		return fmt.Sprintf("The share is above the study's %s, by more than chance would explain (exact binomial test, %s).", format.Pct(survey.BenchmarkCompletelyAligned), format.PValue(m.Versus.P))
	case -1:
		return fmt.Sprintf("The share is below the study's %s, by more than chance would explain (exact binomial test, %s).", format.Pct(survey.BenchmarkCompletelyAligned), format.PValue(m.Versus.P))
	}
	return fmt.Sprintf("The difference from the study's %s is within what chance could produce with this many answers (exact binomial test, %s).", format.Pct(survey.BenchmarkCompletelyAligned), format.PValue(m.Versus.P))
}

// comparisonOption draws rows as a forest plot: for each, an invisible bar
// to the interval's low end, a translucent bar across the interval, and a
// diamond at the estimate. It is written as plain JSON: go-echarts has no
// forest plot, and nothing here needs its types.
func comparisonOption(rows []compRow) (string, error) {
	labels := make([]string, len(rows))
	lows := make([]float64, len(rows))
	widths := make([]float64, len(rows))
	points := make([][2]any, len(rows))
	top := 0.0
	for i, r := range rows {
		labels[i] = r.Short
		lows[i], widths[i] = round1(100*r.Low), round1(100*(r.High-r.Low))
		points[i] = [2]any{round1(100 * r.Est), i}
		top = math.Max(top, 100*r.High)
	}
	o := map[string]any{
		"animation": false,
		"color":     []string{"#0072B2", "#56B4E9"},
		"legend":    map[string]any{"show": true, "top": 0, "data": []string{"Completely aligned", "95% interval"}},
		"tooltip":   map[string]any{"show": true, "trigger": "item"},
		"grid":      map[string]any{"left": 8, "right": 24, "top": 36, "bottom": 28, "containLabel": true},
		"xAxis": []any{map[string]any{"type": "value", "min": 0, "max": math.Min(100, 10*math.Ceil((top+1)/10)),
			"axisLabel": map[string]any{"formatter": "{value}%"}}},
		"yAxis": []any{map[string]any{"type": "category", "data": labels, "inverse": true,
			"axisLabel": map[string]any{"width": 120, "overflow": "truncate"}}},
		"series": []any{
			map[string]any{"type": "bar", "name": "lower bound", "stack": "ci", "data": lows, "silent": true,
				"itemStyle": map[string]any{"color": "transparent"}, "tooltip": map[string]any{"show": false}},
			map[string]any{"type": "bar", "name": "95% interval", "stack": "ci", "data": widths, "barWidth": 16,
				"itemStyle": map[string]any{"color": "#56B4E9", "opacity": 0.6}, "tooltip": map[string]any{"show": false}},
			map[string]any{"type": "scatter", "name": "Completely aligned", "data": points, "symbol": "diamond", "symbolSize": 16,
				"itemStyle": map[string]any{"color": "#0072B2"}, "z": 3,
				"encode": map[string]any{"x": 0, "y": 1, "tooltip": []int{0}}},
		},
	}
	b, err := json.Marshal(o)
	return string(b), err
}

func round1(x float64) float64 { return math.Round(10*x) / 10 }

package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
	"accord/survey"
)

// DistributionID is the chart ID of the A1 distribution.
const DistributionID = "a1-distribution"

// Series of the distribution chart.
const (
	SeriesThisGroup = "This round"
	SeriesStudy     = "Study (2014)"
)

// A1LevelLabels are short names of the four A1 levels for axes.
var A1LevelLabels = []string{"Completely aligned", "Mostly aligned", "Lacking alignment", "Constant friction"}

// A1Distribution returns the echarts option JSON of the share of answers at
// each A1 level, side by side with the study's shares. m must be published.
func A1Distribution(m analytics.Measures) (string, error) {
	ours := make([]opts.BarData, analytics.A1Levels)
	study := make([]opts.BarData, analytics.A1Levels)
	for i := range ours {
		v := 0.0
		if m.A1N > 0 {
			v = float64(m.A1[i]) / float64(m.A1N)
		}
		ours[i] = opts.BarData{Value: percent(v)}
		study[i] = opts.BarData{Value: percent(survey.BenchmarkShares[i])}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: DistributionID, Width: "100%", Height: "320px"}),
		charts.WithColorsOpts(opts.Colors{"#0072B2", "#E69F00"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "28", Right: "16", Top: "48", Bottom: "32", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Share of answers (%)", NameLocation: "middle", NameGap: 40,
			Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
	)
	// Two-line names fit four bars side by side on a phone.
	bar.SetXAxis([]string{"Completely\naligned", "Mostly\naligned", "Lacking\nalignment", "Constant\nfriction"})
	label := charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "{c}%"})
	bar.AddSeries(SeriesThisGroup, ours, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#0072B2"}))
	// The study's bars are hatched by a lighter colour and labelled, so the
	// two series differ by more than hue.
	bar.AddSeries(SeriesStudy, study, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#E69F00", Opacity: opts.Float(0.85)}))
	return optionJSON(bar, twoLineLabels)
}

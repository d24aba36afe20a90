package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
	"accord/analytics/format"
	"accord/survey"
)

// TrendID is the chart ID of the completely-aligned trend.
const TrendID = "trend-completely-aligned"

// Series names of the trend chart, also shown in its legend.
const (
	SeriesShare    = "Completely aligned"
	SeriesInterval = "95% interval"
)

// SeriesBenchmark names the benchmark line, with its value.
var SeriesBenchmark = fmt.Sprintf("Benchmark (%.1f%%)", percent(survey.BenchmarkCompletelyAligned))

// Colours of the trend: the share in blue, its band in sky blue, the
// benchmark in vermillion and dashed, so it differs by more than colour.
const (
	colorShare     = "#0072B2"
	colorInterval  = "#56B4E9"
	colorBenchmark = "#D55E00"
)

// missing is how echarts marks a gap in a series.
const missing = "-"

// CompletelyAlignedTrend returns the echarts option JSON of the
// completely-aligned share per closed round, in percent, with its 95%
// interval as a band, the study's benchmark as a dashed line and a dotted
// line where the questionnaire version changed. Hidden rounds keep their
// place on the axis but have no point.
func CompletelyAlignedTrend(trend []analytics.RoundShare) (string, error) {
	titles := make([]string, len(trend))
	share := make([]opts.LineData, len(trend))
	low := make([]opts.LineData, len(trend))
	width := make([]opts.LineData, len(trend))
	bench := make([]opts.LineData, len(trend))
	changes := map[int]int{}
	top := 100 * survey.BenchmarkCompletelyAligned
	for i, r := range trend {
		titles[i] = r.Title
		bench[i] = opts.LineData{Value: missing}
		if r.VersionChange {
			changes[i] = r.InstrumentVersion
		}
		if r.Suppressed {
			share[i], low[i], width[i] = opts.LineData{Value: missing}, opts.LineData{Value: missing}, opts.LineData{Value: missing}
			continue
		}
		share[i] = opts.LineData{Value: percent(r.Share.Estimate)}
		low[i] = opts.LineData{Value: percent(r.Share.Low)}
		width[i] = opts.LineData{Value: percent(r.Share.High - r.Share.Low)}
		top = max(top, 100*r.Share.High)
	}
	line := baseLine(TrendID, []string{colorShare, colorInterval, colorBenchmark}, "Completely aligned (%)", axisMax(top),
		[]map[string]string{{"name": SeriesShare}, {"name": SeriesInterval, "icon": "rect"}, {"name": SeriesBenchmark}})
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Completely aligned (%)", NameLocation: "middle",
		NameGap: 40, Min: 0, Max: axisMax(top), AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}))
	line.SetXAxis(titles)
	line.AddSeries(SeriesShare, share,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 8, ShowSymbol: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorShare, Width: 3}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorShare}),
		versionMarks(changes),
	)
	band(line, SeriesInterval, "interval", colorInterval, low, width, 0.3)
	// The benchmark is a markLine rather than a series of points so that it
	// spans the whole chart even when there is a single round.
	line.AddSeries(SeriesBenchmark, bench,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "none"}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorBenchmark, Type: "dashed", Width: 2}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorBenchmark}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: SeriesBenchmark, YAxis: percent(survey.BenchmarkCompletelyAligned)}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			LineStyle: &opts.LineStyle{Color: colorBenchmark, Type: "dashed", Width: 2},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: SeriesBenchmark, Color: colorBenchmark}}),
	)
	return optionJSON(line)
}

// percent turns a fraction into a percentage rounded to 0.1, the precision
// the dashboard shows.
func percent(x float64) float64 { return format.Round1(100 * x) }

// round1 rounds an index value to 0.1 for charts.
func round1(x float64) float64 { return format.Round1(x) }

// axisMax returns a round upper bound for a percent axis showing values up
// to top, so the benchmark and every interval stay in view.
func axisMax(top float64) float64 {
	return math.Min(100, 10*math.Ceil((top+1)/10))
}

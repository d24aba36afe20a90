package charts

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
	"accord/survey"
)

// TrendID is the chart ID of the completely-aligned trend.
const TrendID = "trend-completely-aligned"

// Series names of the trend chart, also shown in its legend.
const (
	SeriesShare    = "Completely aligned"
	SeriesInterval = "95% interval"
	// seriesLow carries the lower bound the interval band is stacked on; it
	// is invisible and left out of the legend and tooltip.
	seriesLow = "95% interval lower bound"
)

// SeriesBenchmark names the benchmark line, with its value.
var SeriesBenchmark = fmt.Sprintf("Benchmark (%.1f%%)", percent(survey.BenchmarkCompletelyAligned))

// Okabe–Ito colours: distinguishable with the common colour-vision
// deficiencies. The benchmark also differs by its dashes, not colour alone.
const (
	colorShare     = "#0072B2" // blue
	colorInterval  = "#56B4E9" // sky blue, drawn translucent
	colorBenchmark = "#D55E00" // vermillion
)

// missing is how echarts marks a gap in a series.
const missing = "-"

// CompletelyAlignedTrend returns the echarts option JSON of the
// completely-aligned share per closed round, in percent, with its 95%
// interval as a band and the study's benchmark as a dashed line.
// Suppressed rounds keep their place on the axis but have no point.
func CompletelyAlignedTrend(trend []analytics.RoundShare) (string, error) {
	titles := make([]string, len(trend))
	share := make([]opts.LineData, len(trend))
	low := make([]opts.LineData, len(trend))
	width := make([]opts.LineData, len(trend))
	bench := make([]opts.LineData, len(trend))
	top := 100 * survey.BenchmarkCompletelyAligned
	for i, r := range trend {
		titles[i] = r.Title
		bench[i] = opts.LineData{Value: missing}
		if r.Suppressed {
			share[i], low[i], width[i] = opts.LineData{Value: missing}, opts.LineData{Value: missing}, opts.LineData{Value: missing}
			continue
		}
		share[i] = opts.LineData{Value: percent(r.Share.Estimate)}
		low[i] = opts.LineData{Value: percent(r.Share.Low)}
		width[i] = opts.LineData{Value: percent(r.Share.High - r.Share.Low)}
		top = max(top, 100*r.Share.High)
	}

	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: TrendID, Width: "100%", Height: "320px"}),
		charts.WithColorsOpts(opts.Colors{colorShare, colorInterval, colorBenchmark}),
		charts.WithAnimation(false),
		// Item tooltips: the band's helper series have no symbols, so only
		// real points (and the benchmark line) answer a hover or a tap.
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: []map[string]string{
			{"name": SeriesShare}, {"name": SeriesInterval, "icon": "rect"}, {"name": SeriesBenchmark}}}),
		charts.WithGridOpts(opts.Grid{Left: "28", Right: "24", Top: "56", Bottom: "32", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "Round", NameLocation: "middle", NameGap: 28,
			AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
		// The axis name runs along the axis: at its top end it would be cut
		// off on a phone.
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Completely aligned (%)", NameLocation: "middle", NameGap: 40,
			Min: 0, Max: axisMax(top),
			AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
	)
	line.SetXAxis(titles)
	noLine := charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)})
	line.AddSeries(SeriesShare, share,
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 8, ShowSymbol: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorShare, Width: 3}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorShare}),
	)
	line.AddSeries(seriesLow, low, noLine,
		charts.WithLineChartOpts(opts.LineChart{Stack: "interval", Symbol: "none"}),
	)
	line.AddSeries(SeriesInterval, width, noLine,
		charts.WithLineChartOpts(opts.LineChart{Stack: "interval", Symbol: "none"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorInterval}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: colorInterval, Opacity: opts.Float(0.3)}),
	)
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
func percent(x float64) float64 { return math.Round(1000*x) / 10 }

// axisMax returns a round upper bound for a percent axis showing values up
// to top, so the benchmark and every interval stay in view.
func axisMax(top float64) float64 {
	return math.Min(100, 10*math.Ceil((top+1)/10))
}

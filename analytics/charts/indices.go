package charts

import (
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// IndexTrendID is the chart ID of the indices' trend.
const IndexTrendID = "trend-indices"

// IndexLabel is an index's name for people: "Trust index".
func IndexLabel(name string) string {
	return strings.ToUpper(name[:1]) + name[1:] + " index"
}

// IndexTrend returns the echarts option JSON of the four indices (0–100)
// per closed round, each with its 95% interval as a translucent band, and
// the questionnaire version changes. Hidden rounds leave gaps.
func IndexTrend(trend []analytics.TrendPoint) (string, error) {
	titles := make([]string, len(trend))
	changes := map[int]int{}
	n := len(analytics.IndexNames)
	means := make([][]opts.LineData, n)
	lows := make([][]opts.LineData, n)
	widths := make([][]opts.LineData, n)
	for x := range n {
		means[x] = make([]opts.LineData, len(trend))
		lows[x] = make([]opts.LineData, len(trend))
		widths[x] = make([]opts.LineData, len(trend))
	}
	for i, p := range trend {
		titles[i] = p.Round.Title
		if p.Round.VersionChange {
			changes[i] = p.Round.InstrumentVersion
		}
		for x := range n {
			m := p.Indices[x].Mean
			if p.Hidden || !p.Known || math.IsNaN(m.Estimate) {
				means[x][i], lows[x][i], widths[x][i] = opts.LineData{Value: missing}, opts.LineData{Value: missing}, opts.LineData{Value: missing}
				continue
			}
			means[x][i] = opts.LineData{Value: round1(m.Estimate)}
			lo, hi := finite(m.Low, 0), finite(m.High, 100)
			lows[x][i] = opts.LineData{Value: round1(lo)}
			widths[x][i] = opts.LineData{Value: round1(hi - lo)}
		}
	}
	var colours []string
	var legend []map[string]string
	for _, name := range analytics.IndexNames {
		colours = append(colours, indexColours[name])
		legend = append(legend, map[string]string{"name": IndexLabel(name)})
	}
	line := baseLine(IndexTrendID, colours, "Index (0–100)", 100, legend)
	line.SetXAxis(titles)
	symbols := []string{"circle", "rect", "triangle", "diamond"} // a second cue besides colour
	for x, name := range analytics.IndexNames {
		c := indexColours[name]
		opt := []charts.SeriesOpts{
			charts.WithLineChartOpts(opts.LineChart{Symbol: symbols[x], SymbolSize: 8, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: 2.5}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
		}
		if x == 0 {
			opt = append(opt, versionMarks(changes))
		}
		line.AddSeries(IndexLabel(name), means[x], opt...)
	}
	for x, name := range analytics.IndexNames {
		band(line, IndexLabel(name)+" 95% interval", "band-"+name, indexColours[name], lows[x], widths[x], 0.12)
	}
	return optionJSON(line)
}

// finite replaces an infinite interval bound (one respondent: no spread
// known) by the end of the scale.
func finite(x, end float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return end
	}
	return x
}

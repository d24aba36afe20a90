package charts

import (
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// RatesID is the chart ID of the response rates per round and group.
const RatesID = "response-rates"

// RateLine is one group's response rate in every round.
type RateLine struct {
	Label  string
	Points []analytics.TrendPoint
}

// SeriesSoFar is appended to a group's name for its open round's point.
const SeriesSoFar = " (open round, so far)"

// ResponseRates returns the echarts option JSON of response rates (%) per
// round, one line per group; the first line (the filtered group as a
// whole) is black and thicker. Hidden groups and rounds leave gaps. An
// open round's rate is still rising, so its point is hollow, labelled "so
// far" and not joined to the line: a line down to it would read as a
// collapse of the response rate.
func ResponseRates(titles []string, lines []RateLine) (string, error) {
	colours := append([]string{"#000000"}, okabeIto...)
	var legend []map[string]string
	for _, l := range lines {
		legend = append(legend, map[string]string{"name": l.Label})
	}
	line := baseLine(RatesID, colours, "Response rate (%)", 100, legend)
	line.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Response rate (%)", NameLocation: "middle",
		NameGap: 40, Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}))
	line.SetXAxis(titles)
	symbols := []string{"circle", "rect", "triangle", "diamond", "pin", "arrow", "roundRect"}
	for i, l := range lines {
		closed, open := make([]opts.LineData, len(l.Points)), make([]opts.LineData, len(l.Points))
		anyOpen := false
		for j, p := range l.Points {
			closed[j], open[j] = opts.LineData{Value: missing}, opts.LineData{Value: missing}
			if !p.Known || p.Hidden || p.Invited == 0 {
				continue
			}
			if p.Round.Closed() {
				closed[j] = opts.LineData{Value: percent(p.ResponseRate)}
			} else {
				open[j], anyOpen = opts.LineData{Value: percent(p.ResponseRate)}, true
			}
		}
		c := colours[i%len(colours)]
		width := float32(2)
		if i == 0 {
			width = 3.5
		}
		line.AddSeries(l.Label, closed,
			charts.WithLineChartOpts(opts.LineChart{Symbol: symbols[i%len(symbols)], SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: width}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: c}))
		if anyOpen { // left out of the legend: it is the same group
			line.AddSeries(l.Label+SeriesSoFar, open,
				charts.WithLineChartOpts(opts.LineChart{Symbol: "emptyCircle", SymbolSize: 11, ShowSymbol: opts.Bool(true)}),
				charts.WithLineStyleOpts(opts.LineStyle{Color: c, Width: width, Type: "dashed"}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: c, BorderWidth: 2}),
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(i == 0), Position: "top", Formatter: "{c}% so far"}))
		}
	}
	return optionJSON(line)
}

func itoa(i int) string { return strconv.Itoa(i) }

package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// StatementsID is the chart ID of the statements' diverging bars.
const StatementsID = "statements"

// Colours of the diverging bars: an orange–blue pair that colour-blind
// readers tell apart (Okabe–Ito), grey for neutral.
const (
	colorDisagree = "#D55E00"
	colorNeutral  = "#9aa0a6"
	colorAgree    = "#0072B2"
)

// Statements returns the echarts option JSON of every shown statement's
// answers as a diverging stacked bar: disagreement to the left of zero,
// agreement to the right, neutral split across the middle (percent of
// answers). labels name the statements, top to bottom; hidden ones draw
// nothing (their table row says why).
func Statements(rs []analytics.StatementResult, labels []string) (string, error) {
	n := len(rs)
	disagree, neutralL, neutralR, agree := make([]opts.BarData, n), make([]opts.BarData, n), make([]opts.BarData, n), make([]opts.BarData, n)
	names := make([]string, n)
	for i := range rs {
		j := n - 1 - i // echarts draws the first category at the bottom
		names[j] = labels[i]
		m := rs[i].All
		if m.Hidden.Hidden() {
			disagree[j], neutralL[j], neutralR[j], agree[j] = opts.BarData{Value: missing}, opts.BarData{Value: missing}, opts.BarData{Value: missing}, opts.BarData{Value: missing}
			continue
		}
		disagree[j] = opts.BarData{Value: -round1(100 * m.Disagree)}
		neutralL[j] = opts.BarData{Value: -round1(50 * m.Neutral)}
		neutralR[j] = opts.BarData{Value: round1(50 * m.Neutral)}
		agree[j] = opts.BarData{Value: round1(100 * m.Agree)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: StatementsID, Width: "100%", Height: "420px"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: []string{"Disagree", "Neutral", "Agree"}}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: -100, Max: 100, Name: "% of answers"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category"}),
	)
	bar.SetXAxis(names)
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "answers"})
	bar.AddSeries("Disagree", disagree, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDisagree}))
	bar.AddSeries("Neutral", neutralL, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNeutral}))
	bar.AddSeries("Neutral", neutralR, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNeutral}))
	bar.AddSeries("Agree", agree, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorAgree}))
	return optionJSON(bar, horizontal)
}

// horizontal turns the bar chart on its side: the categories go on the y
// axis, and go-echarts puts SetXAxis data on the x axis.
func horizontal(o map[string]any) {
	xs, _ := o["xAxis"].([]any)
	ys, _ := o["yAxis"].([]any)
	if len(xs) == 0 || len(ys) == 0 {
		return
	}
	x, _ := xs[0].(map[string]any)
	y, _ := ys[0].(map[string]any)
	if data, ok := x["data"]; ok {
		y["data"] = data
		delete(x, "data")
	}
	y["axisLabel"] = map[string]any{"interval": 0}
}

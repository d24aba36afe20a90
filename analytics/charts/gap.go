package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// GapID is the chart ID of the perception gap.
const GapID = "perception-gap"

// Series of the perception-gap chart.
const (
	SeriesSales   = "Sales"
	SeriesProduct = "Product"
)

// PerceptionGap returns the echarts option JSON of each index as sales and
// as product see it, side by side (0–100).
func PerceptionGap(gaps []analytics.Gap) (string, error) {
	names := make([]string, len(gaps))
	sales := make([]opts.BarData, len(gaps))
	product := make([]opts.BarData, len(gaps))
	for i, g := range gaps {
		names[i] = IndexLabel(g.Index)
		names[i] = names[i][:len(g.Index)] + "\nindex" // two lines fit on a phone
		sales[i] = opts.BarData{Value: value(g.Sales.Estimate)}
		product[i] = opts.BarData{Value: value(g.Product.Estimate)}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: GapID, Width: "100%", Height: "320px"}),
		charts.WithColorsOpts(opts.Colors{colorSales, colorProduct}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "28", Right: "16", Top: "48", Bottom: "32", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Index (0–100)", NameLocation: "middle", NameGap: 40, Min: 0, Max: 100}),
	)
	bar.SetXAxis(names)
	label := charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"})
	bar.AddSeries(SeriesSales, sales, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorSales}))
	bar.AddSeries(SeriesProduct, product, label, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorProduct}))
	return optionJSON(bar, twoLineLabels)
}

// value is an index value for a chart, or a gap when it is undefined.
func value(x float64) any {
	if x != x { // NaN
		return missing
	}
	return round1(x)
}

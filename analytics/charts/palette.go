package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Okabe–Ito colours (Okabe & Ito, 2008): distinguishable with the common
// colour-vision deficiencies. Series also differ by line style or position
// where it matters, never by colour alone.
var okabeIto = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"}

// indexColours gives each index its colour on every chart.
var indexColours = map[string]string{
	"alignment": "#0072B2", "trust": "#E69F00", "information": "#009E73", "process": "#CC79A7",
}

// Sales and product in the perception gap.
const (
	colorSales   = "#D55E00"
	colorProduct = "#0072B2"
)

// colorHidden fills hidden heatmap cells: a neutral grey, darker than the
// lightest blue of heatRamp, so that a hidden cell never reads as a low value.
const colorHidden = "#c8ccd0"

// heatRamp is ColorBrewer's single-hue Blues: ordered by lightness, so it
// reads the same with any colour vision and in grey.
var heatRamp = []string{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"}

// versionMarks marks, on a category axis of rounds, where the
// questionnaire version changed: results either side are not directly
// comparable. changes holds category indices and their new versions.
func versionMarks(changes map[int]int) charts.SeriesOpts {
	var items []opts.MarkLineNameXAxisItem
	for i, v := range changes {
		items = append(items, opts.MarkLineNameXAxisItem{Name: fmt.Sprintf("Questionnaire v%d", v), XAxis: i})
	}
	return func(s *charts.SingleSeries) {
		if len(items) == 0 {
			return
		}
		charts.WithMarkLineNameXAxisItemOpts(items...)(s)
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			LineStyle: &opts.LineStyle{Color: "#000000", Type: "dotted", Width: 1.5},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "{b}", Color: "#000000"}})(s)
	}
}

// baseLine sets what every trend chart shares: size, no animation, item
// tooltips, a legend on top and a category axis of round titles.
func baseLine(id string, colours []string, yName string, yMax float64, legend []map[string]string) *charts.Line {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "340px"}),
		charts.WithColorsOpts(opts.Colors(colours)),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: legend}),
		charts.WithGridOpts(opts.Grid{Left: "28", Right: "24", Top: "64", Bottom: "32", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: "Round", NameLocation: "middle", NameGap: 28,
			AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: yName, NameLocation: "middle", NameGap: 40,
			Min: 0, Max: yMax}),
	)
	return line
}

// band adds an interval band as two stacked helper series: an invisible
// lower bound and the width on top of it, filled translucent.
func band(line *charts.Line, name, stack, colour string, low, width []opts.LineData, opacity float32) {
	noLine := charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)})
	// Without symbols the helpers answer no hover: only real points do.
	line.AddSeries(name+" lower bound", low, noLine,
		charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "none"}))
	line.AddSeries(name, width, noLine,
		charts.WithLineChartOpts(opts.LineChart{Stack: stack, Symbol: "none"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: colour, Opacity: opts.Float(opacity)}))
}

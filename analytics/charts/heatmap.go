package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// HeatmapID is the chart ID of the groups × measures heatmap.
const HeatmapID = "groups-heatmap"

// HeatmapColumns are the heatmap's measures: the completely-aligned share
// in percent and the four indices, all on 0–100.
var HeatmapColumns = []string{"Completely aligned (%)", "Alignment", "Trust", "Information", "Process"}

// HeatmapRow is one group of the heatmap. Hidden rows carry no values.
type HeatmapRow struct {
	Label    string
	Measures analytics.Measures
}

// Heatmap returns the echarts option JSON of groups (rows) by measures
// (columns), shaded from light (low) to dark blue (high), every cell
// labelled with its value; hidden groups' cells are empty.
func Heatmap(rows []HeatmapRow) (string, error) {
	labels := make([]string, len(rows))
	var data []opts.HeatMapData
	// echarts draws the first category at the bottom: reverse, so the
	// chart reads top to bottom like its table.
	for i, r := range rows {
		y := len(rows) - 1 - i
		labels[y] = r.Label
		if r.Measures.Hidden {
			continue
		}
		vals := []float64{100 * r.Measures.Share.Estimate}
		for _, im := range r.Measures.Indices {
			vals = append(vals, im.Mean.Estimate)
		}
		for x, v := range vals {
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, value(v)}})
		}
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: HeatmapID, Width: "100%", Height: itoa(HeatmapHeight(len(rows))) + "px"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Bottom: "56", ContainLabel: opts.Bool(true)}),
		// HeatMap's Validate, unlike other charts', does not copy SetXAxis
		// data into the axis: give it directly.
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Position: "top", Data: HeatmapColumns, SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Width: 80, Overflow: "break"}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)},
			AxisLabel: &opts.AxisLabel{Width: 140, Overflow: "truncate"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(false), Min: 0, Max: 100,
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{"100", "0"},
			InRange: &opts.VisualMapInRange{Color: heatRamp}}),
	)
	hm.AddSeries("Groups by measure", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: "#1b1f24", BackgroundColor: "rgba(255,255,255,0.75)",
			BorderRadius: 3}))
	return optionJSON(hm, func(o map[string]any) {
		label := axisLabel(o, "xAxis")
		label["interval"], label["lineHeight"] = 0, 15
		if series, ok := o["series"].([]any); ok && len(series) > 0 {
			if l, ok := series[0].(map[string]any)["label"].(map[string]any); ok {
				l["padding"] = []any{2, 4}
			}
		}
	})
}

// HeatmapHeight is the pixel height a heatmap of rows groups needs: about
// 34 pixels a row, plus the axis and the colour scale.
func HeatmapHeight(rows int) int { return 130 + 34*rows }

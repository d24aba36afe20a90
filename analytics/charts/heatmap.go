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
	// Marks are the cells' contrasts with the rest of the group
	// (analytics.Contrast.Direction, HeatmapColumns order): HeatmapAgainst
	// labels a cell clearly above the rest ▲ and one clearly below ▼.
	Marks [analytics.HeatmapMeasures]int
}

// Heatmap cell marks: clearly above or below the rest of the group, after
// the false-discovery control across the cells.
const (
	MarkAbove = " ▲"
	MarkBelow = " ▼"
)

// SeriesHidden names the heatmap's series of hidden cells.
const SeriesHidden = "Hidden"

// HiddenLabel is what a hidden heatmap cell reads; the table beside the
// chart says why each is hidden.
const HiddenLabel = "hidden"

// Heatmap returns the echarts option JSON of groups (rows) by measures
// (columns), shaded from light (low) to dark blue (high), every cell
// labelled with its value. Hidden cells (a hidden group's, or a number of
// a published group resting on too few answers) are a second series, grey
// and labelled "hidden", so that they are not mistaken for missing data;
// they carry no value.
func Heatmap(rows []HeatmapRow) (string, error) {
	labels := make([]string, len(rows))
	var data, hidden []opts.HeatMapData
	// echarts draws the first category at the bottom: reverse, so the
	// chart reads top to bottom like its table.
	for i, r := range rows {
		y := len(rows) - 1 - i
		labels[y] = r.Label
		m := r.Measures
		vals := []float64{100 * m.Share.Estimate}
		shown := []bool{!m.Hidden && !m.A1Hidden.Hidden()}
		for _, im := range m.Indices {
			vals = append(vals, im.Mean.Estimate)
			shown = append(shown, !m.Hidden && !im.Hidden.Hidden())
		}
		for x, v := range vals {
			if !shown[x] {
				hidden = append(hidden, opts.HeatMapData{Value: [3]any{x, y, 0}})
				continue
			}
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
	if len(hidden) > 0 {
		hm.AddSeries(SeriesHidden, hidden,
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: "#3d4349", Formatter: HiddenLabel}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorHidden, BorderColor: "#ffffff", BorderWidth: 1}))
	}
	return optionJSON(hm, func(o map[string]any) {
		label := axisLabel(o, "xAxis")
		label["interval"], label["lineHeight"] = 0, 15
		if series, ok := o["series"].([]any); ok && len(series) > 0 {
			if l, ok := series[0].(map[string]any)["label"].(map[string]any); ok {
				l["padding"] = []any{2, 4}
			}
			if len(series) > 1 {
				// The hidden cells' value is a placeholder: keep it out of
				// the colour scale and the tooltip.
				series[1].(map[string]any)["tooltip"] = map[string]any{"formatter": "Hidden: the table below says why"}
			}
		}
		if vm, ok := o["visualMap"].([]any); ok && len(vm) > 0 {
			vm[0].(map[string]any)["seriesIndex"] = 0
		}
	})
}

// HeatmapHeight is the pixel height a heatmap of rows groups needs: about
// 34 pixels a row, plus the axis and the colour scale.
func HeatmapHeight(rows int) int { return 130 + 34*rows }

// divergingRamp is ColorBrewer's PuOr: orange below the reference, white
// at it, purple above; it stays readable with any colour vision.
var divergingRamp = []string{"#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"}

// HeatmapSpread is how far from the reference (points) the diverging
// heatmap's colours reach their ends.
const HeatmapSpread = 25

// HeatmapAgainst is Heatmap coloured by each cell's difference from ref,
// the group the heatmap breaks down (its own completely-aligned share and
// indices): orange below it, purple above, white alike, so that a reader
// sees at once which groups stand out. Every cell still reads its own
// value; hidden cells stay grey and say so.
func HeatmapAgainst(rows []HeatmapRow, ref analytics.Measures) (string, error) {
	refVals := heatValues(ref)
	marked := false
	for _, r := range rows {
		marked = marked || r.Marks != [analytics.HeatmapMeasures]int{}
	}
	s, err := Heatmap(rows)
	if err != nil {
		return "", err
	}
	var o map[string]any
	if err := jsonUnmarshal(s, &o); err != nil {
		return "", wrap(err)
	}
	series, _ := o["series"].([]any)
	if len(series) == 0 {
		return s, nil
	}
	first := series[0].(map[string]any)
	data, _ := first["data"].([]any)
	for _, d := range data {
		item, _ := d.(map[string]any)
		v, _ := item["value"].([]any)
		if len(v) != 3 {
			continue
		}
		x, _ := v[0].(float64)
		y, _ := v[1].(float64)
		val, isNum := v[2].(float64)
		r := refVals[int(x)]
		diff := any(0)
		if isNum && r == r { // a value and a reference; else neutral
			diff = round1(val - r)
		}
		item["value"] = []any{v[0], v[1], diff, v[2]}
		if marked {
			// Rows are drawn bottom to top (Heatmap reverses them).
			mark := ""
			switch rows[len(rows)-1-int(y)].Marks[int(x)] {
			case 1:
				mark = MarkAbove
			case -1:
				mark = MarkBelow
			}
			item["value"] = append(item["value"].([]any), mark)
		}
	}
	label, _ := first["label"].(map[string]any)
	if label != nil {
		label["formatter"] = "{@[3]}"
		if marked {
			label["formatter"] = "{@[3]}{@[4]}"
		}
	}
	first["tooltip"] = map[string]any{"formatter": "{@[3]} ({@[2]} against the group as a whole)"}
	if vm, ok := o["visualMap"].([]any); ok && len(vm) > 0 {
		m := vm[0].(map[string]any)
		m["min"], m["max"], m["dimension"] = -HeatmapSpread, HeatmapSpread, 2
		m["text"] = []any{"above", "below"}
		m["inRange"] = map[string]any{"color": divergingRamp}
	}
	b, err := jsonMarshal(o)
	return string(b), wrap(err)
}

// heatValues are a group's heatmap values (NaN where hidden).
func heatValues(m analytics.Measures) []float64 {
	nan := func() float64 { var z float64; return z / z }
	out := []float64{nan(), nan(), nan(), nan(), nan()}
	if m.Hidden {
		return out
	}
	if !m.A1Hidden.Hidden() {
		out[0] = round1(100 * m.Share.Estimate)
	}
	for i, im := range m.Indices {
		if !im.Hidden.Hidden() {
			out[i+1] = round1(im.Mean.Estimate)
		}
	}
	return out
}

package charts

import (
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"accord/analytics"
)

// DriversID is the chart ID of the drivers: each statement's association
// with the alignment answer.
const DriversID = "drivers"

// Series of the drivers chart.
const (
	SeriesDriverR        = "Association (r)"
	SeriesDriverInterval = "95% interval"
	SeriesDriverUnclear  = "r, may be chance"
)

// DriversHeight is the pixel height a drivers chart of n statements needs.
func DriversHeight(n int) int { return 80 + 34*n }

// Drivers returns the echarts option JSON of each shown driver's
// correlation with the alignment answer (−1 to 1) as a forest plot: a
// translucent bar across its 95% interval and a dot at the estimate,
// dark where the association holds up after the false-discovery control,
// light where it may be chance. labels name the drivers, top to bottom;
// hidden ones draw nothing (their table row says why).
func Drivers(ds []analytics.Driver, labels []string) (string, error) {
	n := len(ds)
	names := make([]string, n)
	lows, widths := make([]opts.BarData, n), make([]opts.BarData, n)
	var clear, unclear []opts.ScatterData
	for i, d := range ds {
		j := n - 1 - i // echarts draws the first category at the bottom
		names[j] = labels[i]
		if d.Hidden.Hidden() || math.IsNaN(d.R.Estimate) {
			lows[j], widths[j] = opts.BarData{Value: missing}, opts.BarData{Value: missing}
			continue
		}
		lows[j] = opts.BarData{Value: round2(d.R.Low)}
		widths[j] = opts.BarData{Value: round2(d.R.High - d.R.Low)}
		point := opts.ScatterData{Value: []any{round2(d.R.Estimate), j}, Symbol: "circle", SymbolSize: 12}
		if d.Significant {
			clear = append(clear, point)
		} else {
			unclear = append(unclear, point)
		}
	}
	legend := []string{SeriesDriverR, SeriesDriverInterval}
	if len(unclear) > 0 {
		legend = append(legend, SeriesDriverUnclear)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: DriversID, Width: "100%", Height: itoa(DriversHeight(n)) + "px"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Data: legend}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: -1, Max: 1, Name: "r"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category"}),
	)
	bar.SetXAxis(names)
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "interval"})
	bar.AddSeries("lower bound", lows, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent"}))
	bar.AddSeries(SeriesDriverInterval, widths, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorAgree, Opacity: opts.Float(0.3)}))
	sc := charts.NewScatter()
	sc.AddSeries(SeriesDriverR, clear, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorAgree}))
	if len(unclear) > 0 {
		sc.AddSeries(SeriesDriverUnclear, unclear, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#ffffff", BorderColor: colorAgree, BorderWidth: 2}))
	}
	bar.Overlap(sc)
	return optionJSON(bar, horizontal, func(o map[string]any) {
		series, _ := o["series"].([]any)
		for i, s := range series {
			m, _ := s.(map[string]any)
			switch {
			case i < 2:
				// Negative bounds: stack across signs, and keep the
				// invisible base out of the tooltip.
				m["stackStrategy"], m["barWidth"] = "all", 14
				if i == 0 {
					m["silent"], m["tooltip"] = true, map[string]any{"show": false}
				} else {
					m["tooltip"] = map[string]any{"show": false}
				}
			default:
				m["z"] = 3
				m["encode"] = map[string]any{"x": 0, "y": 1, "tooltip": []int{0}}
			}
		}
	})
}

func round2(x float64) float64 { return math.Round(100*x) / 100 }

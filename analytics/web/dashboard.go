package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/stats"
	"accord/survey"
	sweb "accord/survey/web"
)

// dashboardView is what templates/dashboard.html receives.
type dashboardView struct {
	Org       *survey.Organisation
	Trend     []analytics.RoundShare // closed rounds, oldest first
	Latest    *analytics.RoundShare  // the most recent closed round; nil before the first closes
	Versus    analytics.Versus       // Latest against the benchmark, when it is reported
	Benchmark stats.Interval
	// BenchmarkRange is the benchmark's interval in whole percent ("7–13%"):
	// the study's figures are approximate, so more digits would mislead.
	BenchmarkRange string
	Source         string
	ChartID        string
	Chart          string // echarts option JSON, escaped by html/template into data-chart
	Plotted        bool   // at least one round has a share to draw
	Gaps           bool   // some round is suppressed, so the chart has a gap
	MinGroup       int
}

// dashboard shows an organisation's completely-aligned share, latest round
// first, then its trend against the benchmark.
func (h *handler) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := survey.OrgForAccount(ctx, h.app.DB, sweb.CurrentAccount(c), c.Param("slug"))
	if err != nil {
		return err
	}
	trend, err := analytics.CompletelyAlignedTrend(ctx, h.app.DB, org)
	if err != nil {
		return err
	}
	chart, err := charts.CompletelyAlignedTrend(trend)
	if err != nil {
		return err
	}
	bench := analytics.BenchmarkInterval()
	v := dashboardView{Org: org, Trend: trend, Benchmark: bench, Source: survey.BenchmarkSource,
		BenchmarkRange: fmt.Sprintf("%.0f–%.0f%%", 100*bench.Low, 100*bench.High),
		ChartID:        charts.TrendID, Chart: chart, MinGroup: analytics.MinGroupSize(org)}
	if n := len(trend); n > 0 {
		v.Latest = &trend[n-1]
		if !v.Latest.Suppressed {
			v.Versus = analytics.CompareWithBenchmark(*v.Latest)
		}
	}
	for _, r := range trend {
		v.Plotted = v.Plotted || !r.Suppressed
		v.Gaps = v.Gaps || r.Suppressed
	}
	return h.app.Render.Page(c, http.StatusOK, "dashboard", sweb.View{Title: org.Name, BodyClass: "dashboard", Data: v})
}

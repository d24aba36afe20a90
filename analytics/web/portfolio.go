package web

import (
	"accord/analytics/format"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/survey"
	"accord/survey/webkit"
)

// Portfolio shows every organisation of a consultant (an admin: all) side
// by side: GET /portfolio?sort=share&dir=desc&labels=anonymous. Sorting
// and labels are plain links and a GET form, so it works without
// JavaScript. Leaders have no portfolio: the page does not exist for them.
func (h *Pages) Portfolio(c echo.Context) error {
	opts := analytics.PortfolioOptions{Sort: analytics.ParsePortfolioSort(c.QueryParam("sort")),
		Desc: c.QueryParam("dir") == "desc", Anonymise: c.QueryParam("labels") == "anonymous"}
	p, err := analytics.LoadPortfolio(c.Request().Context(), h.app.DB, webkit.CurrentAccount(c), h.app.Now(), opts)
	if err != nil {
		return err
	}
	v := newPortfolioView(p, h.app.Now())
	_, noPDF := h.chromium()
	v.PDF = noPDF == nil
	return h.app.Render.Page(c, http.StatusOK, "portfolio", webkit.View{Title: "Portfolio", BodyClass: "portfolio", Data: v})
}

// portfolioView is what templates/portfolio.html receives.
type portfolioView struct {
	Anonymous bool
	Columns   []sortColumn
	Rows      []portfolioRowView
	Sorts     []option // the form's sort field
	Desc      bool
	Benchmark benchmarkView
	Cross     []crossRow
	CrossMin  int
	Exports   []exportLink
	PDF       bool // Chromium is installed, so PDFs can be printed
	// IndexLabels name the index columns, for the phone layout, where
	// each cell carries its column's name.
	IndexLabels []string
}

// sortColumn is a sortable column heading: a link that sorts by it, the
// other way round when it is the current one.
type sortColumn struct {
	Label, Href, AriaSort string
	Arrow                 string
}

type portfolioRowView struct {
	Label, Href                 string // Href empty when anonymised
	Round                       string
	Hidden, NoRound             bool
	Share, Interval, Count      string
	Verdict, VerdictClass, Test string
	Percentile                  string
	Indices                     []string
	Rate                        string
	Open                        string
	Spark                       sparkline
}

var portfolioHeadings = []struct {
	key   analytics.PortfolioSort
	label string
}{
	{analytics.SortName, "Organisation"}, {analytics.SortRound, "Latest closed round"},
	{analytics.SortShare, "Completely aligned"}, {analytics.SortAlignment, "Alignment"}, {analytics.SortTrust, "Trust"},
	{analytics.SortInformation, "Information"}, {analytics.SortProcess, "Process"}, {analytics.SortRate, "Response rate"},
}

func newPortfolioView(p *analytics.Portfolio, now time.Time) *portfolioView {
	bench := analytics.BenchmarkInterval()
	v := &portfolioView{Anonymous: p.Options.Anonymise, Desc: p.Options.Desc, CrossMin: analytics.CrossMinOrgs,
		Benchmark: benchmarkView{Share: format.Pct(bench.Estimate), Range: fmt.Sprintf("%.0f–%.0f%%", 100*bench.Low, 100*bench.High),
			Source: survey.BenchmarkSource},
		Exports: aggregateLinks("/portfolio/export")}
	for i, hd := range portfolioHeadings {
		v.Columns = append(v.Columns, newSortColumn(p.Options, hd.key, hd.label))
		if i >= 3 && i < 7 {
			v.IndexLabels = append(v.IndexLabels, hd.label)
		}
		v.Sorts = append(v.Sorts, option{Value: string(hd.key), Label: hd.label, Selected: hd.key == p.Options.Sort || (p.Options.Sort == "" && hd.key == analytics.SortName)})
	}
	top := sparkTop(p.Rows)
	for i := range p.Rows {
		v.Rows = append(v.Rows, newPortfolioRow(&p.Rows[i], p.Options.Anonymise, top, now))
	}
	v.Cross = crossRows(p.Benchmark)
	return v
}

// newSortColumn links a heading to sorting by it: ascending first, except
// for measures, where the best come first.
func newSortColumn(o analytics.PortfolioOptions, key analytics.PortfolioSort, label string) sortColumn {
	current := o.Sort == key || (o.Sort == "" && key == analytics.SortName)
	desc := key != analytics.SortName
	col := sortColumn{Label: label}
	if current {
		desc = !o.Desc
		col.AriaSort, col.Arrow = "ascending", "▲"
		if o.Desc {
			col.AriaSort, col.Arrow = "descending", "▼"
		}
	}
	q := url.Values{"sort": {string(key)}}
	if desc {
		q.Set("dir", "desc")
	}
	if o.Anonymise {
		q.Set("labels", "anonymous")
	}
	col.Href = "/portfolio?" + q.Encode()
	return col
}

func newPortfolioRow(r *analytics.PortfolioRow, anonymous bool, top float64, now time.Time) portfolioRowView {
	row := portfolioRowView{Label: r.Label, Percentile: "–", Rate: "–", Spark: newSparkline(r.Spark, top)}
	if !anonymous {
		row.Href = "/orgs/" + r.Org.Slug
	}
	if r.Open != nil {
		row.Open = "A round is " + format.InProgress(*r.Open, now) + "."
	}
	switch {
	case r.Latest == nil:
		row.NoRound = true
		return row
	case anonymous:
		row.Round = "closed " + r.Latest.ClosedAt.Format("2 January 2006")
	default:
		row.Round = r.Latest.Title
	}
	m := r.Measures
	if !r.Published || m.A1Hidden.Hidden() {
		row.Hidden = true
		row.Share = format.Why(m.A1Hidden, r.K)
		return row
	}
	row.Share, row.Interval, row.Count = format.Pct(m.Share.Estimate), format.PctRange(m.Share), fmt.Sprintf("%d of %d", m.A1[0], m.A1N)
	switch m.Versus.Direction {
	case 1:
		row.Verdict, row.VerdictClass = "Above the benchmark", "above"
	case -1:
		row.Verdict, row.VerdictClass = "Below the benchmark", "below"
	default:
		row.Verdict, row.VerdictClass = "Not distinguishable from the benchmark", "level"
	}
	row.Test = "exact binomial test, " + format.PValue(m.Versus.P)
	if !math.IsNaN(r.Percentile) {
		row.Percentile = fmt.Sprintf("%.0f", r.Percentile)
	}
	for _, im := range m.Indices {
		row.Indices = append(row.Indices, format.Index(im, r.K))
	}
	row.Rate = format.Rate(m)
	return row
}

// crossRow is one line of the cross-client benchmark table.
type crossRow struct {
	Scope, Measure                   string
	Withheld                         bool
	Pooled, Interval, Median, Spread string
	Orgs                             int
}

func crossRows(b analytics.CrossBenchmark) []crossRow {
	var out []crossRow
	for _, f := range b.Figures {
		row := crossRow{Scope: crossScope(f.Scope), Measure: crossMeasure(f.Measure), Withheld: f.Withheld, Orgs: f.Orgs}
		if f.Withheld {
			out = append(out, row)
			continue
		}
		show, span := format.Num, format.NumRange
		if f.Measure == analytics.MeasureCompletelyAligned || f.Measure == analytics.MeasureResponseRate {
			show, span = format.Pct, format.PctRange
		}
		row.Pooled, row.Median = show(f.Pooled.Estimate), show(f.Median)
		row.Spread = show(f.Q1) + "–" + show(f.Q3)
		row.Interval = "–"
		if f.Measure != analytics.MeasureResponseRate {
			row.Interval = span(f.Pooled)
		}
		out = append(out, row)
	}
	return out
}

func crossScope(scope string) string {
	if scope == "" {
		return "Whole organisations"
	}
	return "As " + scope + " sees it"
}

func crossMeasure(m string) string {
	switch m {
	case analytics.MeasureCompletelyAligned:
		return "Completely aligned"
	case analytics.MeasureResponseRate:
		return "Response rate"
	}
	for _, name := range analytics.IndexNames {
		if m == analytics.IndexMeasureName(name) {
			return charts.IndexLabel(name)
		}
	}
	return m
}

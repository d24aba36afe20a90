package web

import (
	"fmt"
	"math"
	"net/url"
	"strconv"

	"accord/analytics"
	"accord/analytics/charts"
	"accord/analytics/format"
	"accord/analytics/stats"
	"accord/survey"
)

// dashboardView is what templates/dashboard.html receives: every number is
// formatted here, and hidden groups arrive as "fewer than k responses".
type dashboardView struct {
	Org        *survey.Organisation
	K          int
	CommentK   int
	Form       filterForm
	NoRounds   bool
	Round      *analytics.RoundInfo
	Open       bool   // the round shown is still open: response rates only
	GroupLabel string // "Whole organisation" or the filter's values
	Filtered   bool
	Unknown    bool   // nobody in the round matches the filter
	Hidden     bool   // the group is hidden
	HiddenNote string // why, in a sentence
	Progress   string
	Headline   *headline
	Benchmark  benchmarkView
	Charts     []chartView
	Scripts    bool // some chart is drawn, so the page loads echarts
	Comments   []commentsView
	// AllComments links the page with every comment, when some are left out.
	AllComments string
	// CommentsNote says why there are no comments, when there are none.
	CommentsNote string
	Setup        *setupView // the checklist of a new organisation, for those who set it up
	// Insight is the headline, statements and drivers (nil when the group
	// is hidden or unknown, or before any round).
	Insight *insightView
}

// benchmarkView is the study's figure, its uncertainty and its source.
type benchmarkView struct {
	Share, Range, Source string
}

// headline is the cards at the top for a published group in a closed round.
type headline struct {
	// ShareHidden says why the completely-aligned share is hidden (too few
	// A1 answers, or complementary suppression); the share's fields are
	// then empty.
	ShareHidden            string
	Share, Interval, Count string
	Verdict, Test          string
	Fit, FitCaveat         string
	Indices                []indexCard
	Rate                   string
	Change                 *changeView
	ChangeNote             string
}

type indexCard struct {
	Name, Value, Interval, Alpha string
	Hidden                       string // why the index is hidden; its numbers are then empty
}

type changeView struct {
	From  string
	Items []changeItem
}

type changeItem struct {
	Name, Value, Interval, Verdict string
	Significant                    bool
	Hidden                         string // why the change is hidden
}

// chartView is one chart with its heading, description and the table that
// gives its numbers to screen readers and to readers without JavaScript.
type chartView struct {
	ID, Heading, Intro string
	Option             string // echarts option JSON; empty: no chart, the table is open
	Unit               string // appended to tooltip values
	Height             int    // pixels, when the chart needs more than the default
	AriaLabel          string
	Note               string
	Table              tableView
	// Sort is the sorting links above a sortable chart, and TableOpen
	// opens its table (after the reader sorted it).
	Sort      *sortNav
	TableOpen bool
}

type tableView struct {
	Caption string
	Head    []string
	// Sortable, when set, replaces Head with headers that sort the rows.
	Sortable []headCell
	Rows     []tableRow
}

type tableRow struct {
	Head   string
	Cells  []string
	Hidden bool // the group is hidden: one cell spans the row
	Span   int
}

func newView(d *analytics.Dashboard, q url.Values) *dashboardView {
	bench := analytics.BenchmarkInterval()
	v := &dashboardView{Org: d.Org, K: d.K, CommentK: d.CommentK, Form: newFilterForm(d), NoRounds: d.Round == nil,
		Round: d.Round, GroupLabel: d.Filter.Label(), Filtered: !d.Filter.IsOrg(),
		Benchmark: benchmarkView{Share: format.Pct(bench.Estimate),
			Range:  fmt.Sprintf("%.0f–%.0f%%", 100*bench.Low, 100*bench.High),
			Source: survey.BenchmarkSource}}
	if d.Round == nil {
		return v
	}
	v.Open = !d.Round.Closed()
	v.Unknown = !d.Current.Known
	v.Hidden = d.Current.Known && d.Current.Hidden
	if v.Hidden {
		v.HiddenNote = hiddenNote(d)
	}
	switch {
	case v.Unknown || v.Hidden:
	case v.Open:
		v.Progress = fmt.Sprintf("%d of %d invited people have answered so far (%s); %s.",
			d.Current.Responses, d.Current.Invited, format.Pct(d.Current.ResponseRate), daysLeft(d.Round.DaysLeft(d.Now)))
	default:
		v.Headline = newHeadline(d)
	}
	v.Charts = newCharts(d, q)
	for _, c := range v.Charts {
		v.Scripts = v.Scripts || c.Option != ""
	}
	for _, c := range d.Comments {
		v.Comments = append(v.Comments, commentsView{Prompt: c.Prompt, Texts: c.Texts, Total: len(c.Texts)})
	}
	v.CommentsNote = commentsNote(d)
	return v
}

// hiddenNote says truly why the filtered group is hidden.
func hiddenNote(d *analytics.Dashboard) string {
	if d.Current.Reason == analytics.Complementary {
		return fmt.Sprintf("This group’s results in %s are hidden so that a smaller group cannot be worked out from them (by subtracting them from a total, or comparing them with the round before).", d.Round.Title)
	}
	return fmt.Sprintf("This group has %s in %s, so its results are hidden to protect anonymity.", format.Why(d.Current.Reason, d.K), d.Round.Title)
}

func newHeadline(d *analytics.Dashboard) *headline {
	m := d.Current.Measures
	h := &headline{Rate: format.Rate(m)}
	newShare(h, m, d.K)
	for i, im := range m.Indices {
		name := analytics.IndexNames[i]
		card := indexCard{Name: charts.IndexLabel(name), Alpha: format.Alpha(im, d.K)}
		if im.Hidden.Hidden() {
			card.Hidden = format.Why(im.Hidden, d.K)
		} else {
			card.Value, card.Interval = format.Num(im.Mean.Estimate), format.NumRange(im.Mean)
		}
		h.Indices = append(h.Indices, card)
	}
	h.Change, h.ChangeNote = newChange(d)
	return h
}

// newShare fills the headline's completely-aligned card.
func newShare(h *headline, m analytics.Measures, k int) {
	if m.A1Hidden.Hidden() {
		h.ShareHidden = format.Why(m.A1Hidden, k)
		return
	}
	h.Share, h.Interval, h.Count = format.Pct(m.Share.Estimate), format.PctRange(m.Share), fmt.Sprintf("%d of %d people", m.A1[0], m.A1N)
	switch m.Versus.Direction {
	case 1:
		h.Verdict = "Above the benchmark"
	case -1:
		h.Verdict = "Below the benchmark"
	default:
		h.Verdict = "Not distinguishable from the benchmark"
	}
	h.Test = fmt.Sprintf("Exact binomial test of %s against %s: %s.", format.Pct(m.Share.Estimate),
		format.Pct(survey.BenchmarkCompletelyAligned), format.PValue(m.Versus.P))
	if m.FitOK {
		h.Fit = fmt.Sprintf("All four answers against the study's spread: chi-square %.2f with %d degrees of freedom, %s.",
			m.Fit.Stat, m.Fit.DF, format.PValue(m.Fit.P))
		switch {
		case m.SmallExpected && !math.IsNaN(m.FitExactP):
			h.FitCaveat = fmt.Sprintf("With %d answers some expected counts are below 5, where chi-square is only approximate; the exact multinomial test gives %s.", m.A1N, format.PValue(m.FitExactP))
		case m.SmallExpected:
			h.FitCaveat = fmt.Sprintf("With %d answers some expected counts are below 5, so this test is only approximate.", m.A1N)
		}
	}
}

func newChange(d *analytics.Dashboard) (*changeView, string) {
	if d.Change == nil {
		if d.Previous == nil {
			return nil, "This is the first closed round, so there is nothing to compare with yet."
		}
		return nil, fmt.Sprintf("%s has no published result for this group, so no change can be shown.", d.Previous.Round.Title)
	}
	c := d.Change
	cv := &changeView{From: c.From}
	verdict := func(sig bool) string {
		if sig {
			return "significant change"
		}
		return "no clear change"
	}
	item := func(name string, why analytics.Reason, iv stats.Interval, scale float64, unit string, sig bool) changeItem {
		if why.Hidden() {
			return changeItem{Name: name, Hidden: "hidden in this round or the one before: " + format.Why(why, d.K)}
		}
		return changeItem{Name: name, Value: format.Signed(scale*iv.Estimate, true) + unit, Interval: format.DiffRange(iv, scale),
			Significant: sig, Verdict: verdict(sig)}
	}
	cv.Items = append(cv.Items, item("Completely aligned", c.ShareHidden, c.Share, 100, " points", c.ShareSignificant()))
	for i, iv := range c.Indices {
		cv.Items = append(cv.Items, item(charts.IndexLabel(analytics.IndexNames[i]), c.IndexHidden[i], iv, 1, "", c.IndexSignificant(i)))
	}
	return cv, ""
}

// commentsView is one free-text question's comments as shown: Texts may
// be the first of Total.
type commentsView struct {
	Prompt string
	Texts  []string
	Total  int
}

// CommentsShown is how many comments per question the dashboard shows
// unless all are asked for: a large organisation's round has thousands,
// which made the page many times heavier than everything else on it.
const CommentsShown = 30

// limitComments keeps the first CommentsShown comments of each question
// (they are in random order) and links the page showing all of them,
// whose address is page with comments=all.
func (v *dashboardView) limitComments(all bool, page *url.URL) {
	trimmed := false
	for i := range v.Comments {
		if c := &v.Comments[i]; !all && len(c.Texts) > CommentsShown {
			c.Texts, trimmed = c.Texts[:CommentsShown], true
		}
	}
	if trimmed {
		q := page.Query()
		q.Set("comments", "all")
		v.AllComments = page.Path + "?" + q.Encode() + "#comments-heading"
	}
}

func commentsNote(d *analytics.Dashboard) string {
	switch {
	case d.Round == nil || !d.Round.Closed():
		return "Comments appear when the round closes."
	case !d.Current.Known || d.Current.CommentsHidden:
		return fmt.Sprintf("Comments appear only for groups of at least %d people, and not where they would let a smaller group's comments be worked out.", d.CommentK)
	case len(d.Comments) == 0:
		return "Nobody in this group left a comment."
	}
	return ""
}

// filterForm is the GET form above the dashboard.
type filterForm struct {
	Rounds  []option
	Selects []selectField
	Active  bool
	// Weighted keeps the weighted results on when the filters change.
	Weighted bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type selectField struct {
	Name, Label string
	Options     []option
}

func newFilterForm(d *analytics.Dashboard) filterForm {
	f := filterForm{Active: !d.Filter.IsOrg()}
	for i := len(d.Rounds) - 1; i >= 0; i-- {
		r := d.Rounds[i]
		label := format.RoundLabel(r, d.Now)
		f.Rounds = append(f.Rounds, option{Value: strconv.FormatInt(r.ID, 10), Label: label, Selected: d.Round != nil && r.ID == d.Round.ID})
	}
	for _, dim := range analytics.Dims {
		sf := selectField{Name: dim.Name(), Label: dim.Label(), Options: []option{{Value: "", Label: "All"}}}
		values := d.Options[dim]
		chosen := d.Filter.Get(dim)
		if d.Filter.Has(dim) && !contains(values, chosen) {
			values = append(values, chosen)
		}
		for _, val := range values {
			sf.Options = append(sf.Options, option{Value: formValue(val), Label: dim.ValueLabel(val), Selected: d.Filter.Has(dim) && val == chosen})
		}
		f.Selects = append(f.Selects, sf)
	}
	return f
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// noneValue stands in a form for the empty attribute value (people with no
// region or tenure band recorded): the form's empty value means "All".
const noneValue = "(none)"

func formValue(v string) string {
	if v == "" {
		return noneValue
	}
	return v
}

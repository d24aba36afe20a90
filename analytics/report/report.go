// Package report builds the benchmark report of one organisation: a single
// self-contained HTML file (data, charts, echarts and the script that draws
// them inlined) that opens offline, from a USB stick, and prints on clean
// pages; and its PDF, printed by headless Chromium. Every number comes from
// the dashboard's model, so confidentiality is already applied.
//
// It imports analytics and its subpackages, survey, templates and static.
package report

import (
	"accord/analytics/format"
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
)

// Report is everything the report shows, formatted for reading.
type Report struct {
	Org       string
	Round     string // the round reported on
	ClosedOn  string
	Generated string
	K         int
	CommentK  int
	// Empty explains why there is nothing to report (no closed round);
	// Hidden that the whole organisation had too few responses.
	Empty  string
	Hidden bool

	// PreparedBy names the consultants who prepared the report, for its
	// cover; "" leaves the line out.
	PreparedBy string
	// Contents lists the report's parts in order; Page is filled in only
	// when the PDF is printed (a downloaded HTML file links instead).
	Contents []ContentsEntry

	Summary []string
	// Verdict is the insight's headline in one sentence (against the
	// study, and the trend); Focus the statements to work on first.
	Verdict  string
	Focus    []string
	Headline *headline
	// Actions are the organisation's action plans with the effect each
	// had on its measure, for the executive summary; nil when none.
	Actions      *actionsPart
	Benchmark    benchmark
	Sections     []Section // comparison, statements, drivers, trend, indices, distribution, gap, groups, response
	Comments     []analytics.Comments
	CommentsNote string
	Methods      methods
	Brand        brand

	// Anchor prefixes the ids of the report's parts, unique when several
	// reports make one document (a portfolio).
	Anchor string
	// roundTitles maps the organisation's round titles to the day each
	// opened, for an anonymised portfolio.
	roundTitles map[string]string
}

// headline is the round's key figures.
type headline struct {
	Share, Interval, Count, Verdict, Test, Fit, Rate string
}

// benchmark is the study's figure with its uncertainty and source.
type benchmark struct {
	Share, Range, Source string
}

// Section is one part of the report: a heading, a sentence saying what it
// shows, its charts and the tables that give their numbers in print.
type Section struct {
	ID, Heading, Intro string
	Charts             []Chart
	Tables             []Table
	Notes              []string
}

// Chart is one echarts chart: its option as JSON, drawn by the inlined
// charts.js from a data-chart attribute that html/template escapes.
type Chart struct {
	ID, Option, Unit, AriaLabel string
	Height                      int
}

// Table is a table of numbers.
type Table struct {
	Caption string
	Head    []string
	Rows    []Row
}

// shortTable is the most rows a table has that is never split over pages.
const shortTable = 8

// Short reports whether the table is kept whole on one page.
func (t Table) Short() bool { return len(t.Rows) <= shortTable }

// Bodies groups the rows so that a page break never leaves a row alone:
// a short table is one group; a long one keeps its first two rows
// together (with the header above them) and its last two.
func (t Table) Bodies() [][]Row {
	if t.Short() {
		return [][]Row{t.Rows}
	}
	n := len(t.Rows)
	return [][]Row{t.Rows[:2], t.Rows[2 : n-2], t.Rows[n-2:]}
}

// Row is a table row; a hidden group's row has one cell spanning the rest.
type Row struct {
	Head   string
	Cells  []string
	Hidden bool
	Span   int
}

// Build reads the organisation's dashboard for the round (0: the latest
// closed round) as of now and turns it into a report. The cross-client
// comparison appears only for an organisation that takes part in the
// cross-client benchmark, over at least five others.
func Build(ctx context.Context, db *gorm.DB, org *survey.Organisation, roundID int64, now time.Time) (*Report, error) {
	d, err := analytics.LoadDashboard(ctx, db, org, analytics.Query{RoundID: roundID}, now)
	if err != nil {
		return nil, err
	}
	bench := analytics.BenchmarkInterval()
	r := &Report{Org: org.Name, Generated: now.UTC().Format("2 January 2006"), K: d.K, CommentK: d.CommentK,
		Benchmark: benchmark{Share: format.Pct(bench.Estimate), Range: fmt.Sprintf("%.0f–%.0f%%", 100*bench.Low, 100*bench.High),
			Source: survey.BenchmarkSource}}
	r.roundTitles = map[string]string{}
	for _, ri := range d.Rounds {
		r.roundTitles[ri.Title] = shortRound(ri)
	}
	if r.Methods, err = loadMethods(ctx, db, d); err != nil {
		return nil, err
	}
	if r.Brand, err = loadBrand(ctx, db, org); err != nil {
		return nil, err
	}
	if r.PreparedBy, err = consultants(ctx, db, org.ID); err != nil {
		return nil, err
	}
	if d.Round == nil || !d.Round.Closed() {
		r.Empty = fmt.Sprintf("%s has no closed round yet. Results appear when a round closes with at least %d responses.", org.Name, d.K)
		r.Contents = r.listContents()
		return r, nil
	}
	r.Round, r.ClosedOn = d.Round.Title, d.Round.ClosedAt.Format("2 January 2006")
	if why := hiddenSummary(d); why != "" {
		r.Hidden = true
		r.Summary = []string{why}
	}
	var cross *analytics.CrossFigure
	if org.BenchmarkOptIn {
		b, err := analytics.LoadCrossBenchmark(ctx, db, func(int64) bool { return false }, org.ID)
		if err != nil {
			return nil, err
		}
		if f := b.Figure("", analytics.MeasureCompletelyAligned); !f.Withheld {
			cross = &f
		}
	}
	in, err := analytics.LoadInsight(ctx, db, d)
	if err != nil {
		return nil, err
	}
	if !r.Hidden {
		r.Headline = newHeadline(d)
		r.Summary = summarise(d, cross)
		h := format.HeadlineOf(in)
		r.Verdict, r.Focus = h.Sentence(), h.Focus
		if h.Warning != "" {
			r.Summary = append(r.Summary, h.Warning)
		}
		r.Sections = append(r.Sections, comparison(d, cross))
	}
	if s, ok := statementsSection(in); ok {
		r.Sections = append(r.Sections, s)
	}
	if s, ok := driversSection(in); ok {
		r.Sections = append(r.Sections, s)
	}
	r.Sections = append(r.Sections, sections(d)...)
	r.Comments, r.CommentsNote = d.Comments, commentsNote(d)
	if r.Actions, err = loadActions(ctx, db, org, d); err != nil {
		return nil, err
	}
	r.Contents = r.listContents()
	return r, nil
}

// hiddenSummary says truly why the round's headline results are hidden;
// "" when they are shown.
func hiddenSummary(d *analytics.Dashboard) string {
	m := d.Current
	switch {
	case !m.Known || (m.Hidden && m.Reason != analytics.Complementary):
		return fmt.Sprintf("Fewer than %d people answered in %s, so its results are not shown, to protect anonymity.", d.K, d.Round.Title)
	case m.Hidden:
		return fmt.Sprintf("The results of %s are hidden so that a smaller group cannot be worked out from them.", d.Round.Title)
	case m.A1Hidden.Hidden():
		return fmt.Sprintf("The completely aligned share of %s is hidden: %s to the benchmark question.", d.Round.Title, format.Why(m.A1Hidden, d.K))
	}
	return ""
}

func newHeadline(d *analytics.Dashboard) *headline {
	m := d.Current.Measures
	h := &headline{Share: format.Pct(m.Share.Estimate), Interval: format.PctRange(m.Share), Count: fmt.Sprintf("%d of %d people", m.A1[0], m.A1N),
		Verdict: verdict(m.Versus.Direction), Rate: format.Rate(m),
		Test: fmt.Sprintf("Exact binomial test of %s against %s: %s.", format.Pct(m.Share.Estimate), format.Pct(survey.BenchmarkCompletelyAligned), format.PValue(m.Versus.P))}
	if m.FitOK {
		h.Fit = fmt.Sprintf("All four answers against the study's spread: chi-square %.2f with %d degrees of freedom, %s.", m.Fit.Stat, m.Fit.DF, format.PValue(m.Fit.P))
		switch {
		case m.SmallExpected && !math.IsNaN(m.FitExactP):
			h.Fit += " Some expected counts are below 5, where chi-square is only approximate; the exact multinomial test gives " + format.PValue(m.FitExactP) + "."
		case m.SmallExpected:
			h.Fit += " Some expected counts are below 5, so this test is only approximate."
		}
	}
	return h
}

func verdict(direction int) string {
	switch direction {
	case 1:
		return "Above the benchmark"
	case -1:
		return "Below the benchmark"
	}
	return "Not distinguishable from the benchmark"
}

func commentsNote(d *analytics.Dashboard) string {
	switch {
	case d.Round == nil || !d.Round.Closed():
		return "Comments appear when a round closes."
	case !d.Current.Known || d.Current.CommentsHidden:
		return fmt.Sprintf("Comments appear only for groups of at least %d people, and not where they would let a smaller group's comments be worked out.", d.CommentK)
	case len(d.Comments) == 0:
		return "Nobody left a comment in this round."
	}
	return ""
}

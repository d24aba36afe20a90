package export

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/stats"
	"accord/survey"
	"accord/survey/roster"
)

// Measures of the insight rows: the dashboard's headline numbers for the
// round it shows by default, as analytics.LoadInsight computed them.
const (
	MeasureStatementMean     = "statement_mean"     // 0–100, bounded-mean interval; n: answers
	MeasureStatementDisagree = "statement_disagree" // share of answers 1–2, a fraction; n: answers
	MeasureStatementNeutral  = "statement_neutral"  // share of answers 3
	MeasureStatementAgree    = "statement_agree"    // share of answers 4–5
	MeasureStatementGap      = "statement_gap"      // sales mean minus product mean, points
	MeasureStatementChange   = "statement_change"   // change of the mean since the previous closed round, points; q
	MeasureDriver            = "driver_r"           // correlation with A1, Fisher-z interval; q
	MeasureFocusArea         = "focus_area"         // priority: r × (100 − mean) / 100
	MeasureResponseRateGap   = "response_rate_gap"  // sales response rate minus product's, a fraction
	// MeasureWeightedPrefix makes the results weighted to the roster by
	// function: weighted_completely_aligned (a fraction, Wilson at Kish's
	// effective n), weighted_alignment_index … (0–100, bounded mean); n:
	// answers.
	MeasureWeightedPrefix = "weighted_"
	// MeasureRosterWeight is a function's weight in the weighted rows: its
	// share of the people invited among the functions taking part; n:
	// invited. Only functions whose results are shown have one.
	MeasureRosterWeight = "roster_weight"
	trendSuffix         = "_trend" // completely_aligned_trend (points per year), trust_index_trend …
)

// insightWriter writes an organisation's insight rows through tw, reusing
// the aggregate rows' layout (aggregateRow) and adding the insight columns.
type insightWriter struct {
	tw  Writer
	org *survey.Organisation
	d   *analytics.Dashboard
	k   int
	row []Value
}

// insightRows writes the insight of org's dashboard as it opens (the
// latest round, the whole organisation), read with LoadDashboard and
// LoadInsight: the same numbers and the same suppression as the dashboard
// and the API's insight. A hidden number is empty and says why; a hidden
// organisation has no insight rows, as it has no aggregate rows.
func insightRows(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time, tw Writer) error {
	d, err := analytics.LoadDashboard(ctx, db, org, analytics.Query{}, now)
	if err != nil {
		return err
	}
	if d.Round == nil || !d.Current.Known || d.Current.Hidden {
		return nil
	}
	in, err := analytics.LoadInsight(ctx, db, d)
	if err != nil {
		return err
	}
	w := &insightWriter{tw: tw, org: org, d: d, k: in.K, row: make([]Value, len(AggregateColumns))}
	return w.write(in)
}

func (w *insightWriter) write(in *analytics.Insight) error {
	all := analytics.Group{}
	sales := all.With(analytics.DimFunction, roster.FunctionSales)
	product := all.With(analytics.DimFunction, roster.FunctionProduct)
	for i := range in.Statements {
		s := &in.Statements[i]
		for _, side := range []struct {
			g analytics.Group
			m *analytics.StatementMeasure
		}{{all, &s.All}, {sales, &s.Sales}, {product, &s.Product}} {
			if err := w.statement(s, side.g, side.m); err != nil {
				return err
			}
		}
		if err := w.emit(all, MeasureStatementGap, false, s.Gap, noN, s.GapHidden.Text(w.k), s, math.NaN()); err != nil {
			return err
		}
		if c := s.Change; c != nil {
			if err := w.emit(all, MeasureStatementChange, false, c.Diff, noN, c.Hidden.Text(w.k), s, c.Q); err != nil {
				return err
			}
		}
	}
	prompts := map[string]*analytics.StatementResult{}
	for i := range in.Statements {
		prompts[in.Statements[i].Key] = &in.Statements[i]
	}
	for _, d := range in.Drivers {
		s := prompts[d.Key]
		if s == nil {
			s = &analytics.StatementResult{Key: d.Key, Prompt: d.Prompt}
		}
		if err := w.emit(all, MeasureDriver, false, d.R, noN, d.Hidden.Text(w.k), s, d.Q); err != nil {
			return err
		}
	}
	for _, f := range in.FocusAreas {
		s := prompts[f.Key]
		if s == nil {
			s = &analytics.StatementResult{Key: f.Key, Prompt: f.Prompt}
		}
		p := stats.Interval{Estimate: f.Priority, Low: math.NaN(), High: math.NaN()}
		if err := w.emit(all, MeasureFocusArea, false, p, noN, "", s, math.NaN()); err != nil {
			return err
		}
	}
	if err := w.trend(analytics.MeasureCompletelyAligned, in.Trend); err != nil {
		return err
	}
	for i, name := range analytics.IndexNames {
		if err := w.trend(analytics.IndexMeasureName(name), in.IndexTrends[i]); err != nil {
			return err
		}
	}
	r := in.Response
	if err := w.emit(all, MeasureResponseRateGap, true, r.Diff, noN, r.Hidden.Text(w.k), nil, math.NaN()); err != nil {
		return err
	}
	return w.weighted(in)
}

// weighted writes the results weighted to the roster, and each taking
// part function's weight; when nothing can be weighted the rows are empty
// and say why.
func (w *insightWriter) weighted(in *analytics.Insight) error {
	wt := in.Weighted
	all := analytics.Group{}
	why := ""
	switch wt.Unweighted {
	case "":
	case analytics.WeightGroupHidden:
		why = "the group is hidden"
	default:
		why = "fewer than two functions have results shown, so there is nothing to weight"
	}
	if err := w.emit(all, MeasureWeightedPrefix+analytics.MeasureCompletelyAligned, true, wt.Share, wt.Share.N, why, nil, math.NaN()); err != nil {
		return err
	}
	for i, name := range analytics.IndexNames {
		wi, whyIndex := wt.Indices[i], why
		if whyIndex == "" && wi.Hidden.Hidden() {
			whyIndex = wi.Hidden.Text(w.k)
		}
		if err := w.emit(all, MeasureWeightedPrefix+analytics.IndexMeasureName(name), false, wi.Mean, wi.Mean.N, whyIndex, nil, math.NaN()); err != nil {
			return err
		}
	}
	for _, f := range wt.Functions {
		iv := stats.Interval{Estimate: f.Weight, Low: math.NaN(), High: math.NaN()}
		if err := w.emit(all.With(analytics.DimFunction, f.Function), MeasureRosterWeight, true, iv, f.Invited, "", nil, math.NaN()); err != nil {
			return err
		}
	}
	return nil
}

// statement writes one group's answers to a statement: its mean and the
// three shares of the diverging bar.
func (w *insightWriter) statement(s *analytics.StatementResult, g analytics.Group, m *analytics.StatementMeasure) error {
	why := m.Hidden.Text(w.k)
	if err := w.emit(g, MeasureStatementMean, false, m.Mean, m.N, why, s, math.NaN()); err != nil {
		return err
	}
	for _, share := range []struct {
		measure string
		x       float64
	}{{MeasureStatementDisagree, m.Disagree}, {MeasureStatementNeutral, m.Neutral}, {MeasureStatementAgree, m.Agree}} {
		x := share.x
		if m.Hidden.Hidden() {
			x = math.NaN()
		}
		iv := stats.Interval{Estimate: x, Low: math.NaN(), High: math.NaN()}
		if err := w.emit(g, share.measure, true, iv, m.N, why, s, math.NaN()); err != nil {
			return err
		}
	}
	return nil
}

// trend writes a measure's straight-line trend per year; too few closed
// rounds leave it empty and say so.
func (w *insightWriter) trend(measure string, t analytics.TrendTest) error {
	if !t.Enough {
		nan := stats.Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
		why := fmt.Sprintf("fewer than %d closed rounds with this number shown", analytics.MinTrendRounds)
		return w.emit(analytics.Group{}, measure+trendSuffix, false, nan, noN, why, nil, math.NaN())
	}
	return w.emit(analytics.Group{}, measure+trendSuffix, false, t.Slope.Interval, t.Rounds, "", nil, math.NaN())
}

// noN marks a measure with no base of its own (a difference, a correlation).
const noN = -1

// emit writes one insight row. why is "" when the number is shown; a
// hidden number is written empty whatever iv holds.
func (w *insightWriter) emit(g analytics.Group, measure string, fraction bool, iv stats.Interval, n int, why string,
	s *analytics.StatementResult, q float64) error {
	a := analytics.Aggregate{Org: w.org, Round: w.d.Round, Group: g, Measure: measure, Fraction: fraction,
		Estimate: iv.Estimate, Low: iv.Low, High: iv.High, N: max(n, 0)}
	if why != "" {
		a.Estimate, a.Low, a.High, a.N, q = math.NaN(), math.NaN(), math.NaN(), 0, math.NaN()
	}
	row := aggregateRow(w.row, &a, why)
	if n == noN {
		row[nColumn] = Value{}
	}
	key, prompt := Value{}, Value{}
	if s != nil {
		key, prompt = Str(s.Key), Str(s.Prompt)
	}
	return w.tw.Row(append(row, key, prompt, Num(q)))
}

// nColumn is the index of the "n" column.
var nColumn = func() int {
	for i, c := range AggregateColumns {
		if c.Key == "n" {
			return i
		}
	}
	panic("export: AggregateColumns has no n")
}()

package export

import (
	"context"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/audit"
)

// AggregateColumns are the columns of the aggregate exports: one row per
// organisation × round × group × measure.
var AggregateColumns = []Column{
	{Key: "organisation_slug", Title: "Organisation (slug)", Width: 16},
	{Key: "organisation", Title: "Organisation", Width: 24},
	{Key: "round_id", Title: "Round ID", Width: 9},
	{Key: "round", Title: "Round", Width: 22},
	{Key: "round_status", Title: "Round status", Width: 12},
	{Key: "opens_on", Title: "Opened on", Width: 11},
	{Key: "closed_on", Title: "Closed on", Width: 11},
	{Key: "questionnaire_version", Title: "Questionnaire version", Width: 12},
	{Key: "function", Title: "Function", Width: 12},
	{Key: "team", Title: "Team", Width: 16},
	{Key: "region", Title: "Region", Width: 12},
	{Key: "tenure", Title: "Tenure", Width: 10},
	{Key: "language", Title: "Language", Width: 9},
	{Key: "measure", Title: "Measure", Width: 20},
	{Key: "estimate", Title: "Estimate", Width: 10},
	{Key: "ci_low", Title: "95% interval, low", Width: 10},
	{Key: "ci_high", Title: "95% interval, high", Width: 10},
	{Key: "n", Title: "Base (n)", Width: 9},
	{Key: "hidden", Title: "Hidden because", Width: 30},
	// The insight rows' own columns, last so that the aggregate columns
	// keep their places.
	{Key: "statement", Title: "Statement (key)", Width: 10},
	{Key: "statement_text", Title: "Statement", Width: 40},
	{Key: "q", Title: "q (false-discovery adjusted p)", Width: 10},
}

// aggregateNotes explain the aggregate exports in every format that has room.
func aggregateNotes() []string {
	return []string{
		"One row per organisation, round, group and measure. A group fixes some of function, team, region, tenure and language (the one the answers were given in, by its English name and ISO 639-1 code, e.g. \"German (de)\"); empty columns are not fixed (all values), \"(none)\" means no value was recorded.",
		"Measures: responses (n = people invited); response_rate (responses / invited, n = invited); completely_aligned (share of answers 'completely aligned' to the benchmark question, 95% Wilson interval, n = answers); alignment_index, trust_index, information_index and process_index (0–100, mean of respondents' scores with a 95% t interval, n = respondents).",
		"Shares and rates are fractions between 0 and 1. An empty interval could not be estimated (fewer than two answers).",
		"Groups with fewer responses than the organisation's minimum group size are left out, and so are groups that would let a smaller group's answers be worked out by subtraction. Open rounds show responses and response rates only.",
		"Every number rests on at least the minimum group size of people who answered the questions behind it (questions are optional): a measure that does not, or that would let a smaller group be worked out, is empty and the hidden column says why.",
		"Insight rows follow each organisation's aggregates: the dashboard's headline for the round it opens on (the latest round) and the whole organisation, with the same numbers and the same thresholds as the dashboard and the API's insight. They are written even when hidden: empty, with the reason in the hidden column.",
		"Per statement (statement and statement_text columns): statement_mean (0–100 with its bounded-mean 95% interval, n = answers), statement_disagree, statement_neutral and statement_agree (shares of answers 1–2, 3 and 4–5, fractions, n = answers), each for the whole organisation and for function sales and product; statement_gap (sales mean minus product mean, points, MOVER interval); statement_change (change of the mean since the previous closed round, points, with q, the Benjamini–Hochberg adjusted p across the statements).",
		"driver_r: Pearson's correlation of the statement with the alignment answer (A1) over the people who answered both, with its Fisher-z 95% interval and q; an association, not proof of cause. focus_area: a statement both important (significant positive driver) and low (mean at or below the median statement's), estimate = r × (100 − mean) / 100.",
		"completely_aligned_trend (percentage points per year) and alignment_index_trend, trust_index_trend, information_index_trend and process_index_trend (points per year): straight-line trend over the last year of closed rounds (at least 4), n = rounds. response_rate_gap: sales response rate minus product's (a fraction, Newcombe 95% interval); an interval that excludes 0 means the results may lean toward the side that answered more.",
		"Weighted to the roster by function (for when one function answered more): weighted_completely_aligned (a fraction, Wilson 95% interval at Kish's effective sample size) and weighted_alignment_index, weighted_trust_index, weighted_information_index and weighted_process_index (0–100, bounded-mean interval at the effective sample size), n = answers; roster_weight per function (its share of the people invited among the functions taking part, n = invited). Only functions with results shown (at least the minimum group size of responses) take part: a weight never reveals a hidden group.",
		fmt.Sprintf("Benchmark: %.1f%% of product teams completely aligned with sales (%s).", 100*survey.BenchmarkCompletelyAligned, survey.BenchmarkSource),
	}
}

// Aggregates writes the published aggregates of orgs (every round and
// group) to w in format f, streamed from the rollups, after recording the
// export in the audit log once per organisation. XLSX has one data sheet,
// ready for a pivot table, continued on another past Excel's row limit.
// Callers decide who may export which organisations.
func Aggregates(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, now time.Time, f Format, w io.Writer) error {
	if err := auditExport(ctx, db, orgs, "aggregates", f); err != nil {
		return err
	}
	meta := Meta{Title: "Accord aggregates: " + orgsTitle(orgs), Generated: now, Notes: aggregateNotes(), Sheet: "Aggregates"}
	tw, err := NewWriter(f, w, meta, AggregateColumns)
	if err != nil {
		return err
	}
	row := make([]Value, len(AggregateColumns))
	err = analytics.EachAggregate(ctx, db, orgs, now, func(a *analytics.Aggregate) error {
		why := ""
		if a.Hidden.Hidden() {
			why = a.Hidden.Text(analytics.MinGroupSize(a.Org))
		}
		return tw.Row(aggregateRow(row, a, why))
	})
	if err != nil {
		return err
	}
	for i := range orgs {
		if err := insightRows(ctx, db, &orgs[i], now, tw); err != nil {
			return err
		}
	}
	return tw.Close()
}

// aggregateRow fills row with a's values, in AggregateColumns order up to
// "hidden", which says why (empty when the numbers are shown).
func aggregateRow(row []Value, a *analytics.Aggregate, why string) []Value {
	r := a.Round
	closed := Value{}
	if r.Closed() {
		closed = Date(r.ClosedAt)
	}
	row = append(row[:0], Str(a.Org.Slug), Str(a.Org.Name), Int(int(r.ID)), Str(r.Title), Str(r.Status),
		Date(r.OpensAt), closed, Int(r.InstrumentVersion))
	for _, d := range analytics.Dims {
		v := Value{}
		if a.Group.Has(d) {
			v = Str(exportLabel(d, a.Group.Get(d)))
		}
		row = append(row, v)
	}
	est, low, high := Num(a.Estimate), Num(a.Low), Num(a.High)
	switch {
	case a.Fraction:
		est, low, high = Pct(a.Estimate), Pct(a.Low), Pct(a.High)
	case a.Measure == analytics.MeasureResponses:
		est = Int(int(a.Estimate))
	}
	hidden := Value{}
	if why != "" {
		hidden = Str(why)
	}
	return append(row, Str(a.Measure), est, low, high, Int(a.N), hidden)
}

// exportLabel is how an attribute value reads in an export: as stored,
// so that a function reads "sales" as the roster file has it, but a
// language by its name and code ("German (de)"), as on the dashboard.
func exportLabel(d analytics.Dim, v string) string {
	if d == analytics.DimLanguage {
		return d.ValueLabel(v)
	}
	return analytics.ValueLabel(v)
}

// orgsTitle names the exported organisations in a title.
func orgsTitle(orgs []survey.Organisation) string {
	if len(orgs) == 1 {
		return orgs[0].Name
	}
	return fmt.Sprintf("%d organisations", len(orgs))
}

// auditExport records that orgs were exported, once per organisation so
// that each one's consultants see it in their audit log.
func auditExport(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, what string, f Format) error {
	for i := range orgs {
		id := orgs[i].ID
		e := audit.Entry{Action: audit.AuditExport, OrgID: &id, Target: fmt.Sprintf("%s (%s)", what, f)}
		if err := audit.Record(ctx, db, e); err != nil {
			return err
		}
	}
	return nil
}

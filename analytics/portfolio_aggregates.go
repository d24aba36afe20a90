package analytics

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"accord/analytics/stats"
	"accord/survey"
)

// Measures as exports name them, one row each per round and group.
const (
	MeasureResponses         = "responses"          // Estimate: responses; N: invitations
	MeasureResponseRate      = "response_rate"      // Estimate: responses / invitations, a fraction; N: invitations
	MeasureCompletelyAligned = "completely_aligned" // Estimate: share of A1 at level 1, a fraction, Wilson interval; N: A1 answers
)

// IndexMeasureName names an index's measure in exports: "trust_index".
func IndexMeasureName(name string) string { return name + "_index" }

// Aggregate is one measure of one published group in one round: a row of
// the aggregate exports. Undefined numbers (an interval from one answer, a
// rate without invitations) are NaN.
type Aggregate struct {
	Org     *survey.Organisation
	Round   *RoundInfo
	Group   Group
	Measure string
	// Fraction marks shares and rates (0–1), as opposed to counts and
	// indices (0–100).
	Fraction            bool
	Estimate, Low, High float64
	N                   int
	// Hidden says why the measure is withheld (its numbers are then NaN
	// and N 0); Shown when it is not. Hidden groups have no rows at all.
	Hidden Reason
}

// aggregatesSQL streams the published cells of many organisations, in the
// order exports write them: organisation by name, rounds oldest first,
// then groups from the whole organisation to the finest. Hidden cells hold
// no numbers, so they are left out.
const aggregatesSQL = `
SELECT c.org_id, c.round_id, c.fixed, c.function, c.team, c.region, c.tenure_band, c.language, c.invited, c.responses,
       c.a1_hidden, c.trust_hidden, c.information_hidden, c.process_hidden, c.a1_level1, c.a1_level2, c.a1_level3, c.a1_level4,
       c.trust_n, c.trust_sum, c.trust_sum_sq, c.information_n, c.information_sum, c.information_sum_sq,
       c.process_n, c.process_sum, c.process_sum_sq
FROM rollup_cells c
JOIN organisations o ON o.id = c.org_id
JOIN rounds r ON r.id = c.round_id
WHERE c.org_id IN ? AND NOT c.hidden
ORDER BY o.name, o.id, r.opens_at, r.id, c.fixed, c.function, c.team, c.region, c.tenure_band, c.language`

// EachAggregate brings the rollups of orgs up to date at now, then calls
// each with every measure of every published group in every round, one at
// a time, as the database returns them: nothing is held in memory beyond
// the current row. Open rounds give response counts and rates only, as on
// the dashboard. The Aggregate passed to each is reused: copy what you keep.
func EachAggregate(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, now time.Time, each func(*Aggregate) error) error {
	rounds, err := refreshOrgs(ctx, db, orgs, now, true)
	if err != nil || len(orgs) == 0 {
		return err
	}
	byID := map[int64]*survey.Organisation{}
	roundByID := map[int64]*RoundInfo{}
	ids := make([]int64, len(orgs))
	for i := range orgs {
		ids[i] = orgs[i].ID
		byID[orgs[i].ID] = &orgs[i]
		for j := range rounds[orgs[i].ID] {
			r := &rounds[orgs[i].ID][j]
			roundByID[r.ID] = r
		}
	}
	var a Aggregate
	err = scanRows(db.WithContext(ctx), aggregatesSQL, []any{ids}, func(scan func(...any) error) error {
		var c RollupCell
		err := scan(&c.OrgID, &c.RoundID, &c.Fixed, &c.Function, &c.Team, &c.Region, &c.TenureBand, &c.Language, &c.Invited, &c.Responses,
			&c.A1Hidden, &c.TrustHidden, &c.InformationHidden, &c.ProcessHidden, &c.A1Level1, &c.A1Level2, &c.A1Level3, &c.A1Level4,
			&c.TrustN, &c.TrustSum, &c.TrustSumSq, &c.InformationN, &c.InformationSum, &c.InformationSumSq,
			&c.ProcessN, &c.ProcessSum, &c.ProcessSumSq)
		if err != nil {
			return err
		}
		r := roundByID[c.RoundID]
		if r == nil {
			return nil // a scheduled round cannot have cells; a round created since the rounds were read
		}
		a = Aggregate{Org: byID[c.OrgID], Round: r, Group: groupOf(&c)}
		return eachMeasure(&a, &c, r.Closed(), MinGroupSize(a.Org), each)
	})
	if err != nil {
		return fmt.Errorf("export aggregates: %w", err)
	}
	return nil
}

// eachMeasure calls each with the measures of one published cell of an
// organisation whose minimum group size is k.
func eachMeasure(a *Aggregate, c *RollupCell, closed bool, k int, each func(*Aggregate) error) error {
	m := countsOf(c)
	emit := func(measure string, fraction bool, iv stats.Interval, why Reason) error {
		a.Measure, a.Fraction, a.Estimate, a.Low, a.High, a.N, a.Hidden = measure, fraction, iv.Estimate, finite(iv.Low), finite(iv.High), iv.N, why
		return each(a)
	}
	nan := math.NaN()
	if err := emit(MeasureResponses, false, stats.Interval{Estimate: float64(m.Responses), Low: nan, High: nan, N: m.Invited}, Shown); err != nil {
		return err
	}
	if err := emit(MeasureResponseRate, true, stats.Interval{Estimate: m.ResponseRate, Low: nan, High: nan, N: m.Invited}, Shown); err != nil {
		return err
	}
	if !closed {
		return nil // scores of open rounds stay unpublished until they close
	}
	// The share and the indices without measuresOf's tests against the
	// benchmark: an export of a whole portfolio has hundreds of thousands
	// of cells, and exact binomial tests would be most of its cost.
	why := cellReasons(c, k)
	share := nanInterval()
	if !why[0].Hidden() {
		share = stats.Wilson(c.A1Level1, c.A1Level1+c.A1Level2+c.A1Level3+c.A1Level4, ConfidenceLevel)
	}
	if err := emit(MeasureCompletelyAligned, true, share, why[0]); err != nil {
		return err
	}
	for i, s := range cellSummaries(c) {
		iv := nanInterval()
		if !why[i].Hidden() {
			iv = clip(stats.MeanInterval(s, ConfidenceLevel), 0, 100)
		}
		if err := emit(IndexMeasureName(IndexNames[i]), false, iv, why[i]); err != nil {
			return err
		}
	}
	return nil
}

// cellSummaries returns the respondents' scores of each index of a cell,
// in IndexNames order.
func cellSummaries(c *RollupCell) [4]stats.Summary {
	var align stats.Summary
	for i, n := range [A1Levels]int{c.A1Level1, c.A1Level2, c.A1Level3, c.A1Level4} {
		x := AlignmentScore(i + 1)
		align = align.Merge(stats.Summary{N: n, Sum: float64(n) * x, SumSq: float64(n) * x * x})
	}
	return [4]stats.Summary{align,
		{N: c.TrustN, Sum: c.TrustSum, SumSq: c.TrustSumSq},
		{N: c.InformationN, Sum: c.InformationSum, SumSq: c.InformationSumSq},
		{N: c.ProcessN, Sum: c.ProcessSum, SumSq: c.ProcessSumSq}}
}

// finite turns the infinite bounds of an interval that cannot be estimated
// into NaN: exports show both as empty.
func finite(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

package analytics

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gorm.io/gorm"

	"accord/analytics/stats"
	"accord/survey"
	"accord/survey/roster"
)

// CrossMinOrgs is the fewest organisations a cross-client figure rests on.
const CrossMinOrgs = 5

// CrossScopes are the groups the cross-client benchmark compares: the whole
// organisation ("") and the two sides of the perception gap.
var CrossScopes = []string{"", roster.FunctionSales, roster.FunctionProduct}

// CrossFigure is one figure of the cross-client benchmark: one measure of
// one scope, over the organisations that opted in.
type CrossFigure struct {
	Scope   string // "" for whole organisations, else a function
	Measure string // MeasureCompletelyAligned, MeasureResponseRate or an index measure
	// Withheld is true when fewer than CrossMinOrgs organisations could
	// contribute; the figure then holds nothing else.
	Withheld bool
	Orgs     int
	// Pooled is over all their respondents: the share with its Wilson
	// interval, an index with its t interval, or the response rate
	// (without interval: invitations are a census, not a sample).
	Pooled stats.Interval
	// Median and quartiles of the organisations' own values.
	Median, Q1, Q3 float64
}

// CrossBenchmark compares a portfolio with Accord's other clients.
type CrossBenchmark struct {
	Figures []CrossFigure
}

// Figure returns the figure of measure for scope, or a withheld one.
func (b CrossBenchmark) Figure(scope, measure string) CrossFigure {
	for _, f := range b.Figures {
		if f.Scope == scope && f.Measure == measure {
			return f
		}
	}
	return CrossFigure{Scope: scope, Measure: measure, Withheld: true}
}

// crossSQL reads, for every organisation that opted in, the published
// whole-organisation, sales and product cells of its latest closed round
// (the last by opening time, then id, as the dashboard picks it), provided
// they were computed with at least the organisation's current minimum group
// size by the current algorithm. Hidden cells hold no numbers and are never
// read. The latest rounds are found first, so that the cells are reached
// through rollup_cells(round_id, fixed, ...) for those rounds only.
const crossSQL = `
SELECT c.org_id, c.fixed, c.function, c.invited, c.responses, c.a1_level1, c.a1_level2, c.a1_level3, c.a1_level4,
       c.trust_n, c.trust_sum, c.trust_sum_sq, c.information_n, c.information_sum, c.information_sum_sq,
       c.process_n, c.process_sum, c.process_sum_sq
FROM rollup_cells c
JOIN rollup_rounds rr ON rr.round_id = c.round_id
JOIN organisations o ON o.id = c.org_id
WHERE c.round_id IN (
    SELECT MAX(r.id) FROM rounds r
    JOIN (SELECT r1.org_id, MAX(r1.opens_at) AS opens_at
          FROM rounds r1 JOIN organisations o1 ON o1.id = r1.org_id
          WHERE o1.benchmark_opt_in = ? AND o1.id <> ? AND r1.status = ?
          GROUP BY r1.org_id) latest ON latest.org_id = r.org_id AND latest.opens_at = r.opens_at
    WHERE r.status = ?
    GROUP BY r.org_id)
  AND c.fixed IN (0, ?) AND NOT c.hidden AND (c.fixed = 0 OR c.function IN ?)
  AND rr.status = ? AND rr.version = ? AND rr.min_group_size >= o.min_group_size`

// LoadCrossBenchmark computes the cross-client benchmark in one query. It
// uses only organisations that opted in, leaving out exclude (the
// organisation a report is about, which must not be compared with itself;
// 0 for none). seen tells which organisations the reader may see anyway:
// when between one and four of a figure's organisations are hidden from
// the reader, they are left out of it, because the reader could otherwise
// subtract the ones they see and learn about those few. A figure resting
// on fewer than CrossMinOrgs organisations is withheld.
func LoadCrossBenchmark(ctx context.Context, db *gorm.DB, seen func(orgID int64) bool, exclude int64) (CrossBenchmark, error) {
	cells := map[int64]map[string]*RollupCell{} // organisation → scope → cell
	args := []any{true, exclude, survey.RoundClosed, survey.RoundClosed, int16(DimFunction),
		[]string{roster.FunctionSales, roster.FunctionProduct}, survey.RoundClosed, rollupVersion}
	err := scanRows(db.WithContext(ctx), crossSQL, args, func(scan func(...any) error) error {
		var org int64
		var c RollupCell
		err := scan(&org, &c.Fixed, &c.Function, &c.Invited, &c.Responses, &c.A1Level1, &c.A1Level2, &c.A1Level3, &c.A1Level4,
			&c.TrustN, &c.TrustSum, &c.TrustSumSq, &c.InformationN, &c.InformationSum, &c.InformationSumSq,
			&c.ProcessN, &c.ProcessSum, &c.ProcessSumSq)
		if err != nil {
			return err
		}
		if cells[org] == nil {
			cells[org] = map[string]*RollupCell{}
		}
		cells[org][c.Function] = &c
		return nil
	})
	if err != nil {
		return CrossBenchmark{}, fmt.Errorf("load cross-client benchmark: %w", err)
	}
	var b CrossBenchmark
	for _, scope := range CrossScopes {
		measures := []string{MeasureCompletelyAligned}
		for _, name := range IndexNames {
			measures = append(measures, IndexMeasureName(name))
		}
		if scope == "" {
			measures = append(measures, MeasureResponseRate)
		}
		for _, m := range measures {
			b.Figures = append(b.Figures, crossFigure(cells, scope, m, seen))
		}
	}
	return b, nil
}

// crossFigure computes one figure from the organisations' cells.
func crossFigure(cells map[int64]map[string]*RollupCell, scope, measure string, seen func(int64) bool) CrossFigure {
	f := CrossFigure{Scope: scope, Measure: measure, Withheld: true}
	var mine, others []*RollupCell
	for org, byScope := range cells {
		c := byScope[scope]
		if c == nil || !contributes(c, measure) {
			continue
		}
		if seen(org) {
			mine = append(mine, c)
		} else {
			others = append(others, c)
		}
	}
	use := append(mine, others...)
	if len(others) > 0 && len(others) < CrossMinOrgs {
		use = mine
	}
	if len(use) < CrossMinOrgs {
		return f
	}
	f.Withheld, f.Orgs = false, len(use)
	var values []float64
	var pooled RollupCell
	for _, c := range use {
		values = append(values, crossValue(c, measure).Estimate)
		addCell(&pooled, c)
	}
	f.Pooled = crossValue(&pooled, measure)
	slices.Sort(values)
	f.Q1, f.Median, f.Q3 = quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75)
	return f
}

// contributes reports whether a cell has data for measure.
func contributes(c *RollupCell, measure string) bool {
	return crossValue(c, measure).N > 0
}

// crossValue is one measure of a cell with its interval.
func crossValue(c *RollupCell, measure string) stats.Interval {
	switch measure {
	case MeasureCompletelyAligned:
		return stats.Wilson(c.A1Level1, c.A1Level1+c.A1Level2+c.A1Level3+c.A1Level4, ConfidenceLevel)
	case MeasureResponseRate:
		if c.Invited == 0 {
			return stats.Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
		}
		r := float64(c.Responses) / float64(c.Invited)
		return stats.Interval{Estimate: r, Low: math.NaN(), High: math.NaN(), N: c.Invited}
	}
	for i, name := range IndexNames {
		if measure == IndexMeasureName(name) {
			return clip(stats.MeanInterval(cellSummaries(c)[i], ConfidenceLevel), 0, 100)
		}
	}
	return stats.Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
}

// addCell adds c's counts and sums to into.
func addCell(into, c *RollupCell) {
	into.Invited += c.Invited
	into.Responses += c.Responses
	into.A1Level1 += c.A1Level1
	into.A1Level2 += c.A1Level2
	into.A1Level3 += c.A1Level3
	into.A1Level4 += c.A1Level4
	into.TrustN, into.TrustSum, into.TrustSumSq = into.TrustN+c.TrustN, into.TrustSum+c.TrustSum, into.TrustSumSq+c.TrustSumSq
	into.InformationN += c.InformationN
	into.InformationSum += c.InformationSum
	into.InformationSumSq += c.InformationSumSq
	into.ProcessN, into.ProcessSum, into.ProcessSumSq = into.ProcessN+c.ProcessN, into.ProcessSum+c.ProcessSum, into.ProcessSumSq+c.ProcessSumSq
}

// quantile of sorted xs with linear interpolation between order statistics
// (Hyndman and Fan's type 7, the default of R and NumPy).
func quantile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := p * float64(len(xs)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-lo)*(xs[i+1]-xs[i])
}

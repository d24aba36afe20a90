package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
)

// SparkRounds is how many closed rounds a portfolio sparkline shows.
const SparkRounds = 12

// PortfolioOptions choose how a portfolio is sorted and labelled.
type PortfolioOptions struct {
	Sort PortfolioSort
	Desc bool
	// Anonymise labels organisations "Client A", "Client B"… in the order
	// they were created, so a label stays with its client from one view to
	// the next, for sharing the portfolio outside the consultancy.
	Anonymise bool
}

// SparkPoint is the whole organisation's completely-aligned share in one
// closed round; Share is NaN when the round published no result.
type SparkPoint struct {
	Round RoundInfo
	Share float64
}

// PortfolioRow is one organisation of a portfolio: its latest closed
// round's whole-organisation measures, already thresholded.
type PortfolioRow struct {
	Org   *survey.Organisation
	Label string // the organisation's name, or "Client A" when anonymised
	K     int    // its minimum group size
	// Latest is the latest closed round, nil before any closed. Published
	// is false when the whole organisation was hidden there (fewer than
	// K responses); Measures then holds nothing but the key.
	Latest    *RoundInfo
	Published bool
	Measures  Measures
	// Percentile is the share of the portfolio's other published
	// organisations whose completely-aligned share is lower (ties count
	// half), 0–100; NaN when unpublished or alone.
	Percentile float64
	Spark      []SparkPoint // the last SparkRounds closed rounds, oldest first
	Open       *RoundInfo   // a round open now, if any
}

// Portfolio is every organisation an account may see, side by side, with
// the cross-client benchmark.
type Portfolio struct {
	Rows      []PortfolioRow
	Options   PortfolioOptions
	Benchmark CrossBenchmark
}

// LoadPortfolio reads the portfolio of acc (admins: every organisation;
// consultants: theirs) from the rollups, in a few queries whatever the
// number of organisations: the organisations, their rounds, their
// whole-organisation cells (two) and the cross-client benchmark. Stale rollups
// are refreshed first, as the dashboard does. Leaders have no portfolio
// (ENOTFOUND).
func LoadPortfolio(ctx context.Context, db *gorm.DB, acc *account.Account, now time.Time, opts PortfolioOptions) (*Portfolio, error) {
	if err := account.Authorize(acc, account.ViewPortfolio); err != nil {
		return nil, err
	}
	orgs, err := survey.VisibleOrgs(ctx, db, acc)
	if err != nil {
		return nil, err
	}
	rounds, err := refreshOrgs(ctx, db, orgs, now, false)
	if err != nil {
		return nil, err
	}
	cells, err := orgCells(ctx, db, orgs, rounds)
	if err != nil {
		return nil, err
	}
	p := &Portfolio{Options: opts}
	seen := map[int64]bool{}
	for i := range orgs {
		seen[orgs[i].ID] = true
		p.Rows = append(p.Rows, portfolioRow(&orgs[i], rounds[orgs[i].ID], cells))
	}
	label(p.Rows, opts.Anonymise)
	percentiles(p.Rows)
	sortRows(p.Rows, opts.Sort, opts.Desc)
	if p.Benchmark, err = LoadCrossBenchmark(ctx, db, func(id int64) bool { return acc.Role == account.RoleAdmin || seen[id] }, 0); err != nil {
		return nil, err
	}
	return p, nil
}

// orgCells reads the whole-organisation cells of orgs, keyed by round,
// in two queries: the A1 counts of every round (for sparklines), then
// every column of each organisation's latest closed round. Reading every
// column of every round would scan ten times more than the page shows.
func orgCells(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, rounds map[int64][]RoundInfo) (map[int64]*RollupCell, error) {
	out := map[int64]*RollupCell{}
	if len(orgs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(orgs))
	var latest []int64
	for i := range orgs {
		ids[i] = orgs[i].ID
		if r := lastClosed(rounds[orgs[i].ID]); r != nil {
			latest = append(latest, r.ID)
		}
	}
	err := scanRows(db.WithContext(ctx), `SELECT round_id, hidden, a1_level1, a1_level2, a1_level3, a1_level4
FROM rollup_cells WHERE org_id IN ? AND fixed = 0`, []any{ids}, func(scan func(...any) error) error {
		var c RollupCell
		err := scan(&c.RoundID, &c.Hidden, &c.A1Level1, &c.A1Level2, &c.A1Level3, &c.A1Level4)
		out[c.RoundID] = &c
		return err
	})
	if err != nil || len(latest) == 0 {
		return out, wrapCells(err)
	}
	cells, err := scanCells(db.WithContext(ctx).Model(&RollupCell{}).Select(cellColumns).Where("round_id IN ? AND fixed = 0", latest))
	for i := range cells {
		out[cells[i].RoundID] = &cells[i]
	}
	return out, wrapCells(err)
}

func wrapCells(err error) error {
	if err != nil {
		return fmt.Errorf("load portfolio rollups: %w", err)
	}
	return nil
}

// lastClosed is the latest closed round, as the dashboard picks it.
func lastClosed(rounds []RoundInfo) *RoundInfo {
	for i := len(rounds) - 1; i >= 0; i-- {
		if rounds[i].Closed() {
			return &rounds[i]
		}
	}
	return nil
}

// portfolioRow builds one organisation's row from its rounds and the
// whole-organisation cells.
func portfolioRow(org *survey.Organisation, rounds []RoundInfo, cells map[int64]*RollupCell) PortfolioRow {
	row := PortfolioRow{Org: org, Label: org.Name, K: MinGroupSize(org), Percentile: math.NaN()}
	var closed []RoundInfo
	for i := range rounds {
		if rounds[i].Closed() {
			closed = append(closed, rounds[i])
		} else {
			r := rounds[i]
			row.Open = &r
		}
	}
	for _, r := range closed[max(0, len(closed)-SparkRounds):] {
		pt := SparkPoint{Round: r, Share: math.NaN()}
		if c := cells[r.ID]; c != nil && !c.Hidden {
			// The share alone: measuresOf's tests would cost a hundred
			// organisations' worth of binomial tests per page.
			if n := c.A1Level1 + c.A1Level2 + c.A1Level3 + c.A1Level4; n > 0 {
				pt.Share = float64(c.A1Level1) / float64(n)
			}
		}
		row.Spark = append(row.Spark, pt)
	}
	if len(closed) == 0 {
		return row
	}
	latest := closed[len(closed)-1]
	row.Latest = &latest
	row.Measures = Measures{Hidden: true, Reason: FewResponses, ResponseRate: math.NaN()}
	if c := cells[latest.ID]; c != nil {
		row.Measures, row.Published = measuresOf(c, row.K), !c.Hidden
	}
	return row
}

// label names the rows, or gives them anonymous labels in the order the
// organisations were created (their ids).
func label(rows []PortfolioRow, anonymise bool) {
	if !anonymise {
		return
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(rows[a].Org.ID, rows[b].Org.ID) })
	for n, i := range order {
		rows[i].Label = "Client " + letters(n)
	}
}

// letters numbers like spreadsheet columns: A…Z, AA, AB…
func letters(n int) string {
	s := ""
	for n++; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// percentiles ranks each published organisation's completely-aligned
// share against the portfolio's other published organisations.
func percentiles(rows []PortfolioRow) {
	for i := range rows {
		if !rows[i].Published || rows[i].Measures.A1N == 0 {
			continue
		}
		below, others := 0.0, 0
		x := rows[i].Measures.Share.Estimate
		for j := range rows {
			if j == i || !rows[j].Published || rows[j].Measures.A1N == 0 {
				continue
			}
			others++
			switch y := rows[j].Measures.Share.Estimate; {
			case y < x:
				below++
			case y == x:
				below += 0.5
			}
		}
		if others > 0 {
			rows[i].Percentile = 100 * below / float64(others)
		}
	}
}

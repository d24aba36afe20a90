package analytics

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// cellSource finds rollup cells: in the database, or computed in memory
// from raw answers (for comparisons and benchmarks). roundID 0 means every
// round of the organisation.
type cellSource interface {
	cells(roundID int64, q cellQuery) ([]RollupCell, error)
}

// cellQuery selects cells twice over, as SQL for the database and as a
// predicate for cells in memory; TestRollupsMatchRawAnswers checks that
// both select the same.
type cellQuery struct {
	where string
	args  []any
	match func(*RollupCell) bool
}

// columns of rollup_cells holding each attribute.
var columns = map[Dim]string{DimFunction: "function", DimTeam: "team", DimRegion: "region", DimTenure: "tenure_band", DimLanguage: "language"}

// acrossQuery selects group f and its parts along rateDim, in any round:
// the trend and the response-rate series.
func acrossQuery(f Group, rateDim Dim) cellQuery {
	masks := []int16{int16(f.Fixed)}
	if rateDim != 0 {
		masks = append(masks, int16(f.Fixed|rateDim))
	}
	q := cellQuery{where: "fixed IN ?", args: []any{masks}}
	for _, dim := range Dims {
		if dim != rateDim {
			q.where += " AND " + columns[dim] + " = ?"
			q.args = append(q.args, f.Get(dim))
		}
	}
	q.match = func(c *RollupCell) bool {
		if !slices.Contains(masks, c.Fixed) {
			return false
		}
		for _, dim := range Dims {
			if dim != rateDim && cellValue(c, dim) != f.Get(dim) {
				return false
			}
		}
		return true
	}
	return q
}

// singles are the masks that fix one attribute: the filters' values.
var singles = []int16{int16(DimFunction), int16(DimTeam), int16(DimRegion), int16(DimTenure), int16(DimLanguage)}

// roundQuery selects, in one round, the groups of single attributes (the
// filters' values) and f's parts along each attribute it leaves free.
func roundQuery(f Group) cellQuery {
	var masks []int16
	var conds []string
	var args []any
	for _, dim := range Dims {
		if f.Has(dim) {
			conds = append(conds, columns[dim]+" = ?")
			args = append(args, f.Get(dim))
		} else {
			masks = append(masks, int16(f.Fixed|dim))
		}
	}
	q := cellQuery{where: "fixed IN ?", args: []any{singles}}
	if len(masks) > 0 {
		q.where += " OR (" + strings.Join(append([]string{"fixed IN ?"}, conds...), " AND ") + ")"
		q.args = append(append(q.args, masks), args...)
	}
	q.match = func(c *RollupCell) bool {
		if slices.Contains(singles, c.Fixed) {
			return true
		}
		if !slices.Contains(masks, c.Fixed) {
			return false
		}
		for _, dim := range Dims {
			if f.Has(dim) && cellValue(c, dim) != f.Get(dim) {
				return false
			}
		}
		return true
	}
	return q
}

// groupOf is the group a cell describes.
func groupOf(c *RollupCell) Group {
	return Group{Fixed: Dim(c.Fixed), Attrs: Attrs{c.Function, c.Team, c.Region, c.TenureBand, c.Language}}
}

// cellValue is a cell's value of attribute d.
func cellValue(c *RollupCell, d Dim) string {
	return Attrs{c.Function, c.Team, c.Region, c.TenureBand, c.Language}.Get(d)
}

// dbCells reads rollup cells from the database.
type dbCells struct {
	ctx   context.Context
	db    *gorm.DB
	orgID int64
}

// cells uses the index rollup_cells(org_id, fixed, function, team,
// region, tenure_band, language) across rounds, and the unique index
// rollup_cells(round_id, fixed, ...) within one.
func (s dbCells) cells(roundID int64, q cellQuery) ([]RollupCell, error) {
	db := s.db.WithContext(s.ctx).Model(&RollupCell{}).Select(cellColumns)
	if roundID == 0 {
		db = db.Where("org_id = ? AND ("+q.where+")", append([]any{s.orgID}, q.args...)...)
	} else {
		db = db.Where("round_id = ? AND ("+q.where+")", append([]any{roundID}, q.args...)...)
	}
	return scanCells(db)
}

// cellColumns are the rollup columns the dashboard reads, in scan order.
const cellColumns = `round_id, fixed, function, team, region, tenure_band, language, invited, hidden, comments_hidden, responses,
hidden_reason, a1_hidden, trust_hidden, information_hidden, process_hidden, a1_level1, a1_level2, a1_level3, a1_level4,
trust_n, trust_sum, trust_sum_sq, trust_alpha, trust_alpha_n,
information_n, information_sum, information_sum_sq, information_alpha, information_alpha_n,
process_n, process_sum, process_sum_sq, process_alpha, process_alpha_n`

// scanCells reads cells with database/sql directly: a dashboard reads a few
// hundred rows of 29 columns, where GORM's reflection costs more than the query.
func scanCells(q *gorm.DB) ([]RollupCell, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RollupCell
	for rows.Next() {
		var c RollupCell
		err := rows.Scan(&c.RoundID, &c.Fixed, &c.Function, &c.Team, &c.Region, &c.TenureBand, &c.Language, &c.Invited, &c.Hidden,
			&c.CommentsHidden, &c.Responses, &c.HiddenReason, &c.A1Hidden, &c.TrustHidden, &c.InformationHidden, &c.ProcessHidden, &c.A1Level1, &c.A1Level2, &c.A1Level3, &c.A1Level4,
			&c.TrustN, &c.TrustSum, &c.TrustSumSq, &c.TrustAlpha, &c.TrustAlphaN,
			&c.InformationN, &c.InformationSum, &c.InformationSumSq, &c.InformationAlpha, &c.InformationAlphaN,
			&c.ProcessN, &c.ProcessSum, &c.ProcessSumSq, &c.ProcessAlpha, &c.ProcessAlphaN)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

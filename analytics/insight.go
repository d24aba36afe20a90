package analytics

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/roster"
)

// Insight turns a dashboard's numbers into what a leader acts on: where the
// group stands against the study, where it is heading, how each statement
// fares and which statements move alignment. Every number in it passed the
// same per-number threshold as the dashboard's (DESIGN §9.1): a statement's
// numbers rest on the people who answered it, a driver on those who
// answered it and A1; a hidden number carries its Reason and no value.
type Insight struct {
	K      int
	Round  *RoundInfo // nil before any round
	Filter Group
	// Open is true when the round shown is open: it has Response and the
	// trends of the closed rounds before it, nothing else.
	Open bool

	// Verdict is the group's completely-aligned share against the study's;
	// ProductVerdict the product function's within the group (the study
	// asked product teams), hidden when the filter fixes another function.
	Verdict, ProductVerdict BenchmarkVerdict
	// Trend is the completely-aligned share's straight-line trend over the
	// last year of closed rounds (at least MinTrendRounds), in percentage
	// points per year; IndexTrends the same for each index, IndexNames order.
	Trend       TrendTest
	IndexTrends [4]TrendTest
	// LargestGap is the index on which sales and product differ most (nil
	// when no gap is published).
	LargestGap *Gap
	// Statements are every agree–disagree statement of the round shown,
	// in questionnaire order.
	Statements []StatementResult
	// Weakest and Strongest are keys of the shown statements with the
	// lowest and highest mean ("" when none is shown).
	Weakest, Strongest string
	// Drivers are the statements' associations with A1, strongest first;
	// hidden ones last.
	Drivers []Driver
	// FocusAreas are up to MaxFocusAreas statements both important (a
	// positive association with A1 that survives the false-discovery
	// control) and low (a mean at or below the median statement's).
	FocusAreas []FocusArea
	// Response compares the response rates of sales and product.
	Response ResponseCheck
	// Weighted is the group's results weighted to the roster's composition
	// by function, for when Response finds that one side answered more.
	Weighted Weighting
}

// Statement returns the result of the statement with key, or nil.
func (in *Insight) Statement(key string) *StatementResult {
	for i := range in.Statements {
		if in.Statements[i].Key == key {
			return &in.Statements[i]
		}
	}
	return nil
}

// LoadInsight reads the insight of dashboard d (as LoadDashboard returned
// it) from the rollups, in two small queries: the statements of the round's
// questionnaire, and their rollup rows for the group and its sales and
// product parts in the round shown and the closed round before it.
func LoadInsight(ctx context.Context, db *gorm.DB, d *Dashboard) (*Insight, error) {
	in := &Insight{K: d.K, Round: d.Round, Filter: d.Filter}
	if d.Round == nil {
		return in, nil
	}
	sales, product := functionSides(d)
	in.Trend, in.IndexTrends = trendsOf(d)
	in.Response = responseCheck(d.Filter, &sales, &product)
	if in.Open = !d.Round.Closed(); in.Open {
		return in, nil // an open round shows response rates only
	}
	in.Verdict = verdictOf(d.Filter, &d.Current.Measures, d.Current.Known)
	in.Weighted = weightingOf(d)
	in.ProductVerdict = verdictOf(product.Group, &product, true)
	in.LargestGap = largestGap(d.Gaps)
	qs, err := loadStatements(ctx, db, d.Round.InstrumentID)
	if err != nil {
		return nil, err
	}
	rows, err := loadStatementRows(ctx, db, d)
	if err != nil {
		return nil, err
	}
	in.Statements = statementResults(d, qs, rows, &sales, &product)
	in.Weakest, in.Strongest = extremes(in.Statements)
	in.Drivers = drivers(in.Statements, rows, d)
	in.FocusAreas = focusAreas(in.Statements, in.Drivers)
	return in, nil
}

// functionSides returns the sales and product parts of the filtered group
// from its breakdown by function (hidden as having no responses when
// nobody of that function is in it). When the filter fixes the function,
// the side it fixes is the group itself.
func functionSides(d *Dashboard) (sales, product Measures) {
	f := d.Filter
	sales = Measures{Group: f.With(DimFunction, roster.FunctionSales), Hidden: true, Reason: FewResponses}
	product = Measures{Group: f.With(DimFunction, roster.FunctionProduct), Hidden: true, Reason: FewResponses}
	if f.Has(DimFunction) {
		switch f.Function {
		case roster.FunctionSales:
			sales = d.Current.Measures
		case roster.FunctionProduct:
			product = d.Current.Measures
		}
		return sales, product
	}
	for _, b := range d.Breakdowns {
		if b.Dim != DimFunction {
			continue
		}
		for _, m := range b.Groups {
			switch m.Group.Function {
			case roster.FunctionSales:
				sales = m
			case roster.FunctionProduct:
				product = m
			}
		}
	}
	return sales, product
}

// statementQuestion is an agree–disagree statement of a questionnaire.
type statementQuestion struct {
	Key, Prompt, Index string
}

func loadStatements(ctx context.Context, db *gorm.DB, instrumentID int64) ([]statementQuestion, error) {
	var qs []statementQuestion
	err := scanRows(db.WithContext(ctx), `SELECT key, prompt, index_name FROM questions WHERE instrument_id = ? AND kind = ? ORDER BY position, id`,
		[]any{instrumentID, survey.KindLikert}, func(scan func(...any) error) error {
			var q statementQuestion
			if err := scan(&q.Key, &q.Prompt, &q.Index); err != nil {
				return err
			}
			qs = append(qs, q)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("load statements: %w", err)
	}
	return qs, nil
}

// statementRows are the rollup rows an insight reads, by round, group and
// statement key.
type statementRowMap map[int64]map[Group]map[string]*RollupItem

func (m statementRowMap) get(round int64, g Group, key string) *RollupItem {
	return m[round][g][key]
}

// itemColumns are RollupItem's columns in the order loadStatementRows scans them.
const itemColumns = "id, org_id, round_id, fixed, function, team, region, tenure_band, language, question_key, hidden, " +
	"answers1, answers2, answers3, answers4, answers5, driver_hidden, pair_n, pair_sum_x, pair_sum_y, pair_sum_xx, pair_sum_yy, pair_sum_xy"

// loadStatementRows reads the rows of the filtered group and its parts by
// function, in the round shown and the closed round before, through the
// unique index rollup_items(round_id, fixed, ...).
func loadStatementRows(ctx context.Context, db *gorm.DB, d *Dashboard) (statementRowMap, error) {
	f := d.Filter
	rounds := []int64{d.Round.ID}
	if d.Previous != nil {
		rounds = append(rounds, d.Previous.Round.ID)
	}
	masks := []int16{int16(f.Fixed)}
	if !f.Has(DimFunction) {
		masks = append(masks, int16(f.Fixed|DimFunction))
	}
	where := "round_id IN ? AND fixed IN ?"
	args := []any{rounds, masks}
	for _, dim := range Dims {
		if f.Has(dim) {
			where += " AND " + columns[dim] + " = ?"
			args = append(args, f.Get(dim))
		}
	}
	// Scanned by hand: GORM's reflection cost more than the query.
	var rows []RollupItem
	err := scanRows(db.WithContext(ctx), "SELECT "+itemColumns+" FROM rollup_items WHERE "+where, args,
		func(scan func(...any) error) error {
			var r RollupItem
			err := scan(&r.ID, &r.OrgID, &r.RoundID, &r.Fixed, &r.Function, &r.Team, &r.Region, &r.TenureBand, &r.Language,
				&r.QuestionKey, &r.Hidden, &r.Answers1, &r.Answers2, &r.Answers3, &r.Answers4, &r.Answers5,
				&r.DriverHidden, &r.PairN, &r.PairSumX, &r.PairSumY, &r.PairSumXX, &r.PairSumYY, &r.PairSumXY)
			rows = append(rows, r)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load statement rollups: %w", err)
	}
	out := statementRowMap{}
	for i := range rows {
		r := &rows[i]
		g := Group{Fixed: Dim(r.Fixed), Attrs: Attrs{r.Function, r.Team, r.Region, r.TenureBand, r.Language}}
		if out[r.RoundID] == nil {
			out[r.RoundID] = map[Group]map[string]*RollupItem{}
		}
		if out[r.RoundID][g] == nil {
			out[r.RoundID][g] = map[string]*RollupItem{}
		}
		out[r.RoundID][g][r.QuestionKey] = r
	}
	return out, nil
}

// extremes returns the keys of the shown statements with the lowest and
// highest mean of the whole group.
func extremes(rs []StatementResult) (weakest, strongest string) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rs {
		if r.All.Hidden.Hidden() {
			continue
		}
		if m := r.All.Mean.Estimate; m < lo {
			lo, weakest = m, r.Key
		}
		if m := r.All.Mean.Estimate; m > hi {
			hi, strongest = m, r.Key
		}
	}
	if weakest == strongest {
		strongest = "" // one statement is not both
	}
	return weakest, strongest
}

// largestGap is the published index gap with the largest difference.
func largestGap(gaps []Gap) *Gap {
	var best *Gap
	for i := range gaps {
		g := &gaps[i]
		if g.Hidden.Hidden() || math.IsNaN(g.Diff.Estimate) {
			continue
		}
		if best == nil || math.Abs(g.Diff.Estimate) > math.Abs(best.Diff.Estimate) {
			best = g
		}
	}
	if best == nil {
		return nil
	}
	g := *best
	return &g
}

// sortDrivers orders drivers strongest first, hidden ones last.
func sortDrivers(ds []Driver) {
	slices.SortStableFunc(ds, func(a, b Driver) int {
		ah, bh := a.Hidden.Hidden() || math.IsNaN(a.R.Estimate), b.Hidden.Hidden() || math.IsNaN(b.R.Estimate)
		switch {
		case ah != bh:
			if ah {
				return 1
			}
			return -1
		case ah:
			return 0
		case a.R.Estimate > b.R.Estimate:
			return -1
		case a.R.Estimate < b.R.Estimate:
			return 1
		}
		return 0
	})
}

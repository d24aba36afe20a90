package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
)

// Query is what a dashboard view asks for.
type Query struct {
	RoundID int64 // 0: the latest closed round, or the open one before any has closed
	Filter  Group // the group to show; the zero Group is the whole organisation
}

// RoundInfo describes a round on the dashboard.
type RoundInfo struct {
	ID                int64
	Title             string
	Status            string
	OpensAt, ClosesAt time.Time
	ClosedAt          time.Time // zero while open
	InstrumentID      int64
	InstrumentVersion int
	// VersionChange marks the first round on a different questionnaire
	// version than the round before: trends break comparability there.
	VersionChange bool
}

// Closed reports whether the round has closed: only closed rounds show scores.
func (r RoundInfo) Closed() bool { return r.Status == survey.RoundClosed }

// TrendPoint is the filtered group in one round.
type TrendPoint struct {
	Round RoundInfo
	Known bool // someone in the group was invited or answered
	Measures
}

// Breakdown is the filtered group split along one attribute.
type Breakdown struct {
	Dim    Dim
	Groups []Measures
}

// RateSeries is the response rate of one group in every round.
type RateSeries struct {
	Group  Group
	Points []TrendPoint // parallel to Dashboard.Rounds
}

// Dashboard is everything /orgs/{slug} shows, with confidentiality already
// applied: hidden groups carry no numbers.
type Dashboard struct {
	Org      *survey.Organisation
	K        int // minimum group size
	CommentK int // comment threshold
	Rounds   []RoundInfo
	Round    *RoundInfo // the round shown; nil before any round started
	Filter   Group
	Options  map[Dim][]string // values of each attribute in the round shown

	Current  TrendPoint  // the filtered group in the round shown
	Previous *TrendPoint // in the closed round before, when there is one
	Change   *Change     // nil unless both rounds are published
	Trend    []TrendPoint
	// RateDim is the attribute response rates are broken down by: the
	// first one the filter leaves free.
	RateDim    Dim
	Rates      []RateSeries
	Breakdowns []Breakdown
	Gaps       []Gap // sales minus product; nil when either is hidden or filtered out
	Comments   []Comments
}

// LoadDashboard refreshes org's rollups if needed and reads the dashboard
// for q from them, in four small queries.
func LoadDashboard(ctx context.Context, db *gorm.DB, org *survey.Organisation, q Query, now time.Time) (*Dashboard, error) {
	states, err := refreshRounds(ctx, db, org, now)
	if err != nil {
		return nil, err
	}
	return buildDashboard(ctx, db, org, q, states, dbCells{ctx: ctx, db: db, orgID: org.ID})
}

// cellSource finds rollup cells: in the database, or computed in memory
// from raw answers (for comparisons and benchmarks).
type cellSource interface {
	acrossRounds(masks []int16, match func(c *survey.RollupCell) bool, where func(*gorm.DB) *gorm.DB) ([]survey.RollupCell, error)
	inRound(roundID int64, match func(c *survey.RollupCell) bool, where string, args []any) ([]survey.RollupCell, error)
}

func buildDashboard(ctx context.Context, db *gorm.DB, org *survey.Organisation, q Query, states []roundState, src cellSource) (*Dashboard, error) {
	d := &Dashboard{Org: org, K: MinGroupSize(org), CommentK: CommentThreshold(org), Filter: q.Filter,
		Options: map[Dim][]string{}, RateDim: freeDim(q.Filter)}
	d.Rounds = roundInfos(states)
	d.Round = pickRound(d.Rounds, q.RoundID)
	if d.Round == nil {
		return d, nil
	}
	if err := d.loadAcrossRounds(src); err != nil {
		return nil, err
	}
	if err := d.loadRound(src); err != nil {
		return nil, err
	}
	if d.Round.Closed() && d.Current.Known && !d.Current.CommentsHidden {
		var err error
		if d.Comments, err = loadComments(ctx, db, d.Round.ID, d.Filter); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// refreshRounds is Refresh returning the rounds it looked at.
func refreshRounds(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time) ([]roundState, error) {
	rounds, err := loadRounds(ctx, db, org.ID)
	if err != nil {
		return nil, err
	}
	if anyStale(rounds, MinGroupSize(org), CommentThreshold(org), now.UTC()) {
		if err := Refresh(ctx, db, org, now); err != nil {
			return nil, err
		}
	}
	return rounds, nil
}

func roundInfos(states []roundState) []RoundInfo {
	out := make([]RoundInfo, len(states))
	for i, s := range states {
		r := RoundInfo{ID: s.ID, Title: s.Title, Status: s.Status, OpensAt: s.OpensAt.UTC(), ClosesAt: s.ClosesAt.UTC(),
			InstrumentID: s.InstrumentID, InstrumentVersion: s.InstrumentVer}
		if s.ClosedAt != nil {
			r.ClosedAt = s.ClosedAt.UTC()
		}
		r.VersionChange = i > 0 && s.InstrumentID != states[i-1].InstrumentID
		out[i] = r
	}
	return out
}

// pickRound returns the asked round, else the latest closed, else the latest.
func pickRound(rounds []RoundInfo, id int64) *RoundInfo {
	var latest *RoundInfo
	for i := range rounds {
		if rounds[i].ID == id {
			return &rounds[i]
		}
		if rounds[i].Closed() || latest == nil || !latest.Closed() {
			latest = &rounds[i]
		}
	}
	return latest
}

// freeDim is the first attribute g leaves free; 0 when it fixes all.
func freeDim(g Group) Dim {
	for _, d := range Dims {
		if !g.Has(d) {
			return d
		}
	}
	return 0
}

// columns of rollup_cells holding each attribute.
var columns = map[Dim]string{DimFunction: "function", DimTeam: "team", DimRegion: "region", DimTenure: "tenure_band"}

// loadAcrossRounds reads the filtered group and its breakdown by RateDim
// in every round, in one query on rollup_cells(org_id, fixed, ...).
func (d *Dashboard) loadAcrossRounds(src cellSource) error {
	f := d.Filter
	masks := []int16{int16(f.Fixed)}
	if d.RateDim != 0 {
		masks = append(masks, int16(f.Fixed|d.RateDim))
	}
	match := func(c *survey.RollupCell) bool {
		if !slices.Contains(masks, c.Fixed) {
			return false
		}
		for _, dim := range Dims {
			if dim != d.RateDim && cellValue(c, dim) != f.Get(dim) {
				return false
			}
		}
		return true
	}
	where := func(q *gorm.DB) *gorm.DB {
		for _, dim := range Dims {
			if dim != d.RateDim {
				q = q.Where(columns[dim]+" = ?", f.Get(dim))
			}
		}
		return q
	}
	cells, err := src.acrossRounds(masks, match, where)
	if err != nil {
		return fmt.Errorf("load rollups across rounds: %w", err)
	}
	byRound := map[int64]map[Group]*survey.RollupCell{}
	var rateGroups []Group
	for i := range cells {
		c := &cells[i]
		g := Group{Fixed: Dim(c.Fixed), Attrs: Attrs{c.Function, c.Team, c.Region, c.TenureBand}}
		if byRound[c.RoundID] == nil {
			byRound[c.RoundID] = map[Group]*survey.RollupCell{}
		}
		byRound[c.RoundID][g] = c
		if g != f && !slices.Contains(rateGroups, g) {
			rateGroups = append(rateGroups, g)
		}
	}
	sortGroups(rateGroups, d.RateDim)
	point := func(r RoundInfo, g Group, measure func(*survey.RollupCell) Measures) TrendPoint {
		if c := byRound[r.ID][g]; c != nil {
			return TrendPoint{Round: r, Known: true, Measures: measure(c)}
		}
		return TrendPoint{Round: r, Measures: Measures{Group: g, Hidden: true}}
	}
	d.Rates = []RateSeries{{Group: f}}
	for _, g := range rateGroups {
		d.Rates = append(d.Rates, RateSeries{Group: g})
	}
	for _, r := range d.Rounds {
		// Response-rate series need counts only; the filtered group's
		// trend needs every measure.
		for i := range d.Rates {
			d.Rates[i].Points = append(d.Rates[i].Points, point(r, d.Rates[i].Group, countsOf))
		}
		if r.ID == d.Round.ID {
			d.Current = point(r, f, measuresOf)
			if n := len(d.Trend); n > 0 && r.Closed() {
				prev := d.Trend[n-1]
				d.Previous = &prev
			}
		}
		if r.Closed() {
			d.Trend = append(d.Trend, point(r, f, measuresOf))
		}
	}
	p := d.Previous
	if p != nil && p.Known && !p.Hidden && d.Current.Known && !d.Current.Hidden {
		d.Change = changeOf(p.Round.Title, &p.Measures, &d.Current.Measures)
	}
	return nil
}

// loadRound reads the round shown: every attribute's values (for the
// filters) and the filtered group's breakdowns, in one query.
func (d *Dashboard) loadRound(src cellSource) error {
	f := d.Filter
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
	singles := []int16{int16(DimFunction), int16(DimTeam), int16(DimRegion), int16(DimTenure)}
	where := "fixed IN ?"
	all := []any{singles}
	if len(masks) > 0 {
		where += " OR (fixed IN ?"
		all = append(all, masks)
		for _, c := range conds {
			where += " AND " + c
		}
		where += ")"
		all = append(all, args...)
	}
	match := func(c *survey.RollupCell) bool {
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
	cells, err := src.inRound(d.Round.ID, match, where, all)
	if err != nil {
		return fmt.Errorf("load rollups of round: %w", err)
	}
	byDim := map[Dim][]Measures{}
	for i := range cells {
		m := measuresOf(&cells[i])
		g := m.Group
		if single := g.Fixed; single&(single-1) == 0 {
			d.Options[single] = append(d.Options[single], g.Get(single))
		}
		for _, dim := range Dims {
			if !f.Has(dim) && g.Fixed == f.Fixed|dim && g.Without(dim) == f {
				byDim[dim] = append(byDim[dim], m)
			}
		}
	}
	for dim, vs := range d.Options {
		sortValues(vs, dim)
	}
	for _, dim := range Dims {
		groups := byDim[dim]
		if len(groups) == 0 || (len(groups) == 1 && groups[0].Group.Get(dim) == "") {
			continue // nobody has this attribute recorded
		}
		slices.SortFunc(groups, func(a, b Measures) int { return compareValues(a.Group.Get(dim), b.Group.Get(dim), dim) })
		d.Breakdowns = append(d.Breakdowns, Breakdown{Dim: dim, Groups: groups})
	}
	d.Gaps = gapsIn(byDim[DimFunction])
	return nil
}

// cellValue is a cell's value of attribute d.
func cellValue(c *survey.RollupCell, d Dim) string {
	return Attrs{c.Function, c.Team, c.Region, c.TenureBand}.Get(d)
}

// dbCells reads rollup cells from the database.
type dbCells struct {
	ctx   context.Context
	db    *gorm.DB
	orgID int64
}

// acrossRounds uses the index rollup_cells(org_id, fixed, function, team, region, tenure_band).
func (s dbCells) acrossRounds(masks []int16, _ func(*survey.RollupCell) bool, where func(*gorm.DB) *gorm.DB) ([]survey.RollupCell, error) {
	q := where(s.db.WithContext(s.ctx).Model(&survey.RollupCell{}).Select(cellColumns).Where("org_id = ? AND fixed IN ?", s.orgID, masks))
	return scanCells(q)
}

// inRound uses the unique index rollup_cells(round_id, fixed, ...).
func (s dbCells) inRound(roundID int64, _ func(*survey.RollupCell) bool, where string, args []any) ([]survey.RollupCell, error) {
	q := s.db.WithContext(s.ctx).Model(&survey.RollupCell{}).Select(cellColumns).
		Where("round_id = ? AND ("+where+")", append([]any{roundID}, args...)...)
	return scanCells(q)
}

// cellColumns are the rollup columns the dashboard reads, in scan order.
const cellColumns = `round_id, fixed, function, team, region, tenure_band, invited, hidden, comments_hidden, responses,
a1_level1, a1_level2, a1_level3, a1_level4,
trust_n, trust_sum, trust_sum_sq, trust_alpha, trust_alpha_n,
information_n, information_sum, information_sum_sq, information_alpha, information_alpha_n,
process_n, process_sum, process_sum_sq, process_alpha, process_alpha_n`

// scanCells reads cells with database/sql directly: a dashboard reads a few
// hundred rows of 29 columns, where GORM's reflection costs more than the query.
func scanCells(q *gorm.DB) ([]survey.RollupCell, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []survey.RollupCell
	for rows.Next() {
		var c survey.RollupCell
		err := rows.Scan(&c.RoundID, &c.Fixed, &c.Function, &c.Team, &c.Region, &c.TenureBand, &c.Invited, &c.Hidden,
			&c.CommentsHidden, &c.Responses, &c.A1Level1, &c.A1Level2, &c.A1Level3, &c.A1Level4,
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

// gapsIn returns the perception gaps when both sales and product are published.
func gapsIn(byFunction []Measures) []Gap {
	var sales, product *Measures
	for i := range byFunction {
		switch byFunction[i].Group.Function {
		case survey.FunctionSales:
			sales = &byFunction[i]
		case survey.FunctionProduct:
			product = &byFunction[i]
		}
	}
	if sales == nil || product == nil || sales.Hidden || product.Hidden {
		return nil
	}
	return gapsOf(sales, product)
}

// sortGroups orders groups by their value of dim.
func sortGroups(gs []Group, dim Dim) {
	slices.SortFunc(gs, func(a, b Group) int { return compareValues(a.Get(dim), b.Get(dim), dim) })
}

func sortValues(vs []string, dim Dim) {
	slices.SortFunc(vs, func(a, b string) int { return compareValues(a, b, dim) })
}

// compareValues orders functions as survey.Functions lists them and other
// values alphabetically, the empty value ("(none)") last.
func compareValues(a, b string, dim Dim) int {
	if dim == DimFunction {
		ia, ib := slices.Index(survey.Functions, a), slices.Index(survey.Functions, b)
		if ia != ib {
			return ia - ib
		}
	}
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

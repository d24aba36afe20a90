package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/roster"
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
	// Gaps are sales minus product, one per index; nil when the filter
	// fixes the function. A gap whose sides are not both published is
	// Hidden, with the reason of the side that is not.
	Gaps     []Gap
	Comments []Comments
	// Now is when the dashboard was read: an open round's days left count from it.
	Now time.Time
}

// LoadDashboard computes org's missing rollups if needed and reads the dashboard
// for q from them, in four small queries.
func LoadDashboard(ctx context.Context, db *gorm.DB, org *survey.Organisation, q Query, now time.Time) (*Dashboard, error) {
	return LoadDashboardCached(ctx, db, nil, org, q, now)
}

// LoadDashboardCached is LoadDashboard keeping what a closed round shows
// and never changes (its comments) in cache, when cache is not nil: a
// server's dashboard pages share one.
func LoadDashboardCached(ctx context.Context, db *gorm.DB, cache *Cache, org *survey.Organisation, q Query, now time.Time) (*Dashboard, error) {
	states, err := refreshRounds(ctx, db, org, now)
	if err != nil {
		return nil, err
	}
	d, err := buildDashboard(ctx, db, cache, org, q, states, dbCells{ctx: ctx, db: db, orgID: org.ID})
	if d != nil {
		d.Now = now.UTC()
	}
	return d, err
}

func buildDashboard(ctx context.Context, db *gorm.DB, cache *Cache, org *survey.Organisation, q Query, states []roundState, src cellSource) (*Dashboard, error) {
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
		if d.Comments, err = cache.comments(ctx, db, d.Round.ID, d.Filter); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// refreshRounds is EnsureRollups returning the rounds it looked at: a
// request computes missing or outdated rollups (once), never an open
// round's for their age (RefreshOpen does, in the background).
func refreshRounds(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time) ([]roundState, error) {
	rounds, err := loadRounds(ctx, db, org.ID)
	if err != nil {
		return nil, err
	}
	if anyStale(rounds, MinGroupSize(org), CommentThreshold(org), time.Time{}) {
		if err := EnsureRollups(ctx, db, org, now); err != nil {
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

// loadAcrossRounds reads the filtered group and its breakdown by RateDim
// in every round, in one query on rollup_cells(org_id, fixed, ...).
func (d *Dashboard) loadAcrossRounds(src cellSource) error {
	cells, err := src.cells(0, acrossQuery(d.Filter, d.RateDim))
	if err != nil {
		return fmt.Errorf("load rollups across rounds: %w", err)
	}
	byRound := map[int64]map[Group]*RollupCell{}
	var rateGroups []Group
	for i := range cells {
		c := &cells[i]
		g := groupOf(c)
		if byRound[c.RoundID] == nil {
			byRound[c.RoundID] = map[Group]*RollupCell{}
		}
		byRound[c.RoundID][g] = c
		if g != d.Filter && !slices.Contains(rateGroups, g) {
			rateGroups = append(rateGroups, g)
		}
	}
	sortGroups(rateGroups, d.RateDim)
	d.Rates = []RateSeries{{Group: d.Filter}}
	for _, g := range rateGroups {
		d.Rates = append(d.Rates, RateSeries{Group: g})
	}
	d.fillSeries(byRound)
	return nil
}

// fillSeries walks the rounds: response-rate series need counts only, the
// filtered group's trend every measure.
func (d *Dashboard) fillSeries(byRound map[int64]map[Group]*RollupCell) {
	point := func(r RoundInfo, g Group, measure func(*RollupCell) Measures) TrendPoint {
		if c := byRound[r.ID][g]; c != nil {
			return TrendPoint{Round: r, Known: true, Measures: measure(c)}
		}
		return TrendPoint{Round: r, Measures: Measures{Group: g, Hidden: true, Reason: FewResponses}}
	}
	measures := func(c *RollupCell) Measures { return measuresOf(c, d.K) }
	for _, r := range d.Rounds {
		for i := range d.Rates {
			d.Rates[i].Points = append(d.Rates[i].Points, point(r, d.Rates[i].Group, countsOf))
		}
		if r.ID == d.Round.ID {
			d.Current = point(r, d.Filter, measures)
			if n := len(d.Trend); n > 0 && r.Closed() {
				prev := d.Trend[n-1]
				d.Previous = &prev
			}
		}
		if r.Closed() {
			d.Trend = append(d.Trend, point(r, d.Filter, measures))
		}
	}
	exactFit(&d.Current.Measures)
	p := d.Previous
	if p != nil && p.Known && !p.Hidden && d.Current.Known && !d.Current.Hidden {
		d.Change = changeOf(p.Round.Title, &p.Measures, &d.Current.Measures)
	}
}

// loadRound reads the round shown: every attribute's values (for the
// filters) and the filtered group's breakdowns, in one query.
func (d *Dashboard) loadRound(src cellSource) error {
	f := d.Filter
	cells, err := src.cells(d.Round.ID, roundQuery(f))
	if err != nil {
		return fmt.Errorf("load rollups of round: %w", err)
	}
	byDim := map[Dim][]Measures{}
	for i := range cells {
		g := groupOf(&cells[i])
		if g.Fixed&(g.Fixed-1) == 0 {
			d.Options[g.Fixed] = append(d.Options[g.Fixed], g.Get(g.Fixed))
		}
		for _, dim := range Dims {
			if !f.Has(dim) && g.Fixed == f.Fixed|dim && g.Without(dim) == f {
				byDim[dim] = append(byDim[dim], measuresOf(&cells[i], d.K))
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
	if !f.Has(DimFunction) {
		d.Gaps = gapsIn(byDim[DimFunction], f)
	}
	return nil
}

// gapsIn returns the perception gaps of group f from its parts by
// function; a side nobody in f answered on is hidden as having fewer than
// k responses (it has none).
func gapsIn(byFunction []Measures, f Group) []Gap {
	sales := Measures{Group: f.With(DimFunction, roster.FunctionSales), Hidden: true, Reason: FewResponses}
	product := Measures{Group: f.With(DimFunction, roster.FunctionProduct), Hidden: true, Reason: FewResponses}
	for _, m := range byFunction {
		switch m.Group.Function {
		case roster.FunctionSales:
			sales = m
		case roster.FunctionProduct:
			product = m
		}
	}
	for _, side := range []*Measures{&sales, &product} {
		if side.Hidden {
			for i := range side.Indices {
				side.Indices[i] = hiddenIndex(IndexNames[i], side.Reason)
			}
		}
	}
	return gapsOf(&sales, &product)
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
		ia, ib := slices.Index(roster.Functions, a), slices.Index(roster.Functions, b)
		if ia != ib {
			return ia - ib
		}
	}
	if dim == DimTenure && a != "" && b != "" {
		if c, ok := compareTenure(a, b); ok {
			return c
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

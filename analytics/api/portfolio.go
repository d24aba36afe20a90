package api

import (
	"fmt"
	"slices"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey/apperr"
)

// Portfolio is every organisation of the token's account side by side
// (administrators: all; consultants: theirs; leaders have none), with the
// cross-client benchmark. It is one list, paginated like the others.
type Portfolio struct {
	Data           []PortfolioRow `json:"data"`
	Next           *string        `json:"next"`
	Sort           string         `json:"sort"`
	Dir            string         `json:"dir"`
	Anonymous      bool           `json:"anonymous"`
	Benchmark      Benchmark      `json:"benchmark"`
	CrossBenchmark CrossBenchmark `json:"cross_benchmark"`
}

// PortfolioRow is one organisation: the whole organisation in its latest
// closed round. Anonymised rows carry a "Client A" label and nothing that
// names the organisation: no slug, name, link or round title.
type PortfolioRow struct {
	Label        string       `json:"label"`
	Org          *OrgRef      `json:"org"`
	MinGroupSize int          `json:"min_group_size"`
	LatestRound  *LatestRound `json:"latest_round"` // null before any round closed
	Result       Cell         `json:"result"`       // null before any round closed
	Percentile   *float64     `json:"percentile"`
	Trend        []SparkPoint `json:"trend"`
	RoundOpen    bool         `json:"round_open"`
	key          string
}

// LatestRound is the round a portfolio row reports; ID and title are null
// when the portfolio is anonymised.
type LatestRound struct {
	ID       *int64  `json:"id"`
	Title    *string `json:"title"`
	ClosedAt string  `json:"closed_at"`
}

// SparkPoint is the completely-aligned share of one of the last closed
// rounds, null where the round published no result.
type SparkPoint struct {
	ClosedAt          string   `json:"closed_at"`
	CompletelyAligned *float64 `json:"completely_aligned"`
}

// CrossBenchmark compares the portfolio with Accord's other clients that
// opted in; a figure resting on fewer than MinOrgs organisations is withheld.
type CrossBenchmark struct {
	MinOrgs int           `json:"min_orgs"`
	Figures []CrossFigure `json:"figures"`
}

// CrossFigure is one measure of one scope ("whole", "sales" or "product")
// over the opted-in organisations: pooled over their respondents, and the
// median and quartiles of their own values. Withheld figures carry no number.
type CrossFigure struct {
	Scope    string    `json:"scope"`
	Measure  string    `json:"measure"`
	Withheld bool      `json:"withheld"`
	Orgs     *int      `json:"orgs,omitempty"`
	Pooled   *Interval `json:"pooled,omitempty"`
	Median   *float64  `json:"median,omitempty"`
	Q1       *float64  `json:"q1,omitempty"`
	Q3       *float64  `json:"q3,omitempty"`
}

var portfolioParams = []string{"sort", "dir", "labels", "limit", "cursor"}

// Portfolio serves GET /api/v1/portfolio.
func (h *Handlers) Portfolio(c echo.Context) error {
	if err := checkParams(c, portfolioParams...); err != nil {
		return err
	}
	opts, err := parsePortfolioOptions(c)
	if err != nil {
		return err
	}
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	pf, err := analytics.LoadPortfolio(ctx(c), h.app.DB, accountOf(c), h.app.Now(), opts)
	if err != nil {
		return err
	}
	rows := make([]PortfolioRow, len(pf.Rows))
	for i := range pf.Rows {
		rows[i] = portfolioRow(&pf.Rows[i], opts.Anonymise)
		// Rows are sorted by a value, not a key: the cursor is the
		// position, so a page may shift if a round closes meanwhile.
		rows[i].key = fmt.Sprintf("%08d", i)
	}
	list := paginate(h, c, p, rows, func(r PortfolioRow) string { return r.key })
	dir := "asc"
	if opts.Desc {
		dir = "desc"
	}
	sort := opts.Sort
	if sort == "" {
		sort = analytics.SortName
	}
	return ok(c, Portfolio{Data: list.Data, Next: list.Next, Sort: string(sort), Dir: dir, Anonymous: opts.Anonymise,
		Benchmark: benchmark(), CrossBenchmark: crossBenchmark(pf.Benchmark)})
}

// parsePortfolioOptions reads ?sort= (a column), ?dir=asc|desc and
// ?labels=names|anonymous, as the portfolio page's links do, but refuses
// values the page would quietly ignore.
func parsePortfolioOptions(c echo.Context) (analytics.PortfolioOptions, error) {
	var o analytics.PortfolioOptions
	if v := c.QueryParam("sort"); v != "" {
		if !slices.Contains(analytics.PortfolioSorts, analytics.PortfolioSort(v)) {
			return o, apperr.Errorf(apperr.EINVALID, "sort must be one of %s.", sortNames())
		}
		o.Sort = analytics.PortfolioSort(v)
	}
	switch c.QueryParam("dir") {
	case "", "asc":
	case "desc":
		o.Desc = true
	default:
		return o, apperr.Errorf(apperr.EINVALID, "dir must be asc or desc.")
	}
	switch c.QueryParam("labels") {
	case "", "names":
	case "anonymous":
		o.Anonymise = true
	default:
		return o, apperr.Errorf(apperr.EINVALID, "labels must be names or anonymous.")
	}
	return o, nil
}

func sortNames() string {
	var names []string
	for _, s := range analytics.PortfolioSorts {
		names = append(names, string(s))
	}
	return words(names)
}

func portfolioRow(r *analytics.PortfolioRow, anonymous bool) PortfolioRow {
	row := PortfolioRow{Label: r.Label, MinGroupSize: r.K, Percentile: num(r.Percentile), RoundOpen: r.Open != nil, Trend: []SparkPoint{}}
	if !anonymous {
		row.Org = &OrgRef{Slug: r.Org.Slug, Name: r.Org.Name}
	}
	for _, p := range r.Spark {
		row.Trend = append(row.Trend, SparkPoint{ClosedAt: timestamp(p.Round.ClosedAt), CompletelyAligned: num(p.Share)})
	}
	if r.Latest == nil {
		return row
	}
	row.LatestRound = &LatestRound{ClosedAt: timestamp(r.Latest.ClosedAt)}
	if !anonymous {
		id, title := r.Latest.ID, r.Latest.Title
		row.LatestRound.ID, row.LatestRound.Title = &id, &title
	}
	row.Result = cell(&r.Measures, true, true, r.K)
	return row
}

func crossBenchmark(b analytics.CrossBenchmark) CrossBenchmark {
	out := CrossBenchmark{MinOrgs: analytics.CrossMinOrgs, Figures: []CrossFigure{}}
	for _, f := range b.Figures {
		scope := f.Scope
		if scope == "" {
			scope = "whole"
		}
		cf := CrossFigure{Scope: scope, Measure: f.Measure, Withheld: f.Withheld}
		if !f.Withheld {
			n, pooled := f.Orgs, interval(f.Pooled)
			cf.Orgs, cf.Pooled, cf.Median, cf.Q1, cf.Q3 = &n, &pooled, num(f.Median), num(f.Q1), num(f.Q3)
		}
		out.Figures = append(out.Figures, cf)
	}
	return out
}

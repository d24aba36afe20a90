package api

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/roster"
)

// NoneValue selects, in a filter, the people without a value for the
// attribute (no region or tenure band on the roster), as on the dashboard.
const NoneValue = "(none)"

// maxFilterValue bounds a filter value: longer than any stored attribute.
const maxFilterValue = 200

// Measures is what /orgs/{slug}/measures answers: the dashboard's numbers
// for one round and group, with the same groups hidden.
type Measures struct {
	Org              OrgRef              `json:"org"`
	Round            *Round              `json:"round"` // null before any round has opened
	Filter           GroupKey            `json:"filter"`
	MinGroupSize     int                 `json:"min_group_size"`
	CommentThreshold int                 `json:"comment_threshold"`
	Benchmark        Benchmark           `json:"benchmark"`
	Group            Cell                `json:"group"` // null before any round has opened
	Change           *Change             `json:"change"`
	Breakdowns       []Breakdown         `json:"breakdowns"`
	PerceptionGap    []Gap               `json:"perception_gap"`
	Trend            []TrendPoint        `json:"trend"`
	Options          map[string][]string `json:"options"`
}

// OrgRef names an organisation.
type OrgRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Breakdown is the group split along one attribute.
type Breakdown struct {
	By     string `json:"by"`
	Groups []Cell `json:"groups"`
}

// TrendPoint is the group in one closed round.
type TrendPoint struct {
	RoundID int64  `json:"round_id"`
	Title   string `json:"title"`
	Group   Cell   `json:"group"`
}

// filterParams are the query parameters that choose the group.
var measureParams = []string{"round", "function", "team", "region", "tenure", "language"}

// Measures serves GET /api/v1/orgs/:slug/measures.
func (h *Handlers) Measures(c echo.Context) error {
	org, d, err := h.dashboardOf(c)
	if err != nil {
		return err
	}
	return ok(c, h.measuresJSON(org, d))
}

// parseMeasuresQuery reads ?round= and the attribute filters. Unlike the
// dashboard's form, which quietly ignores what it never offers, a script
// gets a 400 for a malformed value.
func parseMeasuresQuery(c echo.Context) (analytics.Query, error) {
	var q analytics.Query
	if v := c.QueryParam("round"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return q, apperr.Errorf(apperr.EINVALID, "round must be the id of a round, a positive whole number; %q is not.", v)
		}
		q.RoundID = id
	}
	for _, d := range analytics.Dims {
		v := strings.TrimSpace(c.QueryParam(d.Name()))
		switch {
		case v == "":
			continue
		case utf8.RuneCountInString(v) > maxFilterValue:
			return q, apperr.Errorf(apperr.EINVALID, "%s must be at most %d characters long.", d.Name(), maxFilterValue)
		case d == analytics.DimFunction && !roster.ValidFunction(v):
			return q, apperr.Errorf(apperr.EINVALID, "function must be one of %s.", strings.Join(roster.Functions, ", "))
		case v == NoneValue:
			v = ""
		}
		q.Filter = q.Filter.With(d, v)
	}
	return q, nil
}

// measuresJSON turns the dashboard into the API's answer. An open round
// shows participation only, as the dashboard does: its scores, changing
// with every answer, could be differenced into one person's answers.
func (h *Handlers) measuresJSON(org *survey.Organisation, d *analytics.Dashboard) Measures {
	m := Measures{Org: OrgRef{org.Slug, org.Name}, Filter: groupKey(d.Filter), MinGroupSize: d.K, CommentThreshold: d.CommentK,
		Benchmark: benchmark(), Breakdowns: []Breakdown{}, PerceptionGap: []Gap{}, Trend: []TrendPoint{}, Options: map[string][]string{}}
	for _, dim := range analytics.Dims {
		values := []string{}
		for _, v := range d.Options[dim] {
			if v == "" {
				v = NoneValue
			}
			values = append(values, v)
		}
		m.Options[dim.Name()] = values
	}
	for _, p := range d.Trend {
		m.Trend = append(m.Trend, TrendPoint{RoundID: p.Round.ID, Title: p.Round.Title, Group: cell(&p.Measures, p.Known, true, d.K)})
	}
	if d.Round == nil {
		return m
	}
	r := h.roundJSON(org, d.Round)
	r.Participation = cell(&d.Current.Measures, d.Current.Known, false, d.K)
	m.Round = &r
	closed := d.Round.Closed()
	m.Group = cell(&d.Current.Measures, d.Current.Known, closed, d.K)
	for _, b := range d.Breakdowns {
		bj := Breakdown{By: b.Dim.Name(), Groups: []Cell{}}
		for i := range b.Groups {
			bj.Groups = append(bj.Groups, cell(&b.Groups[i], true, closed, d.K))
		}
		m.Breakdowns = append(m.Breakdowns, bj)
	}
	if closed {
		m.Change = change(d.Change, d.K)
		m.PerceptionGap = gaps(d.Gaps, d.K)
	}
	return m
}

// dashboardOf loads the organisation's dashboard for the group and round the
// query's measure parameters choose; a round that has not opened is not found.
func (h *Handlers) dashboardOf(c echo.Context, extra ...string) (*survey.Organisation, *analytics.Dashboard, error) {
	if err := checkParams(c, append(extra, measureParams...)...); err != nil {
		return nil, nil, err
	}
	q, err := parseMeasuresQuery(c)
	if err != nil {
		return nil, nil, err
	}
	org, err := h.org(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := analytics.LoadDashboard(ctx(c), h.app.DB, org, q, h.app.Now())
	if err != nil {
		return nil, nil, err
	}
	if q.RoundID != 0 && (d.Round == nil || d.Round.ID != q.RoundID) {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "%s has no round %d that has opened.", org.Name, q.RoundID)
	}
	return org, d, nil
}

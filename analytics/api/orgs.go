package api

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey"
)

// Org is an organisation the token's account may see, with the
// thresholds its numbers are published under and links to its data.
type Org struct {
	Slug             string   `json:"slug"`
	Name             string   `json:"name"`
	MinGroupSize     int      `json:"min_group_size"`
	CommentThreshold int      `json:"comment_threshold"`
	CreatedAt        string   `json:"created_at"`
	Links            OrgLinks `json:"links"`
}

// OrgLinks are the addresses of an organisation's resources.
type OrgLinks struct {
	Self     string `json:"self"`
	Rounds   string `json:"rounds"`
	Measures string `json:"measures"`
	Export   string `json:"export"`
}

func (h *Handlers) orgJSON(o *survey.Organisation) Org {
	base := Prefix + "/orgs/" + o.Slug
	return Org{Slug: o.Slug, Name: o.Name, MinGroupSize: analytics.MinGroupSize(o), CommentThreshold: analytics.CommentThreshold(o),
		CreatedAt: timestamp(o.CreatedAt),
		Links:     OrgLinks{Self: h.link(base), Rounds: h.link(base + "/rounds"), Measures: h.link(base + "/measures"), Export: h.link(base + "/export")}}
}

// timestamp formats a time in UTC, RFC 3339.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ListOrgs lists the organisations of the token's account, by slug.
func (h *Handlers) ListOrgs(c echo.Context) error {
	if err := checkParams(c, "limit", "cursor"); err != nil {
		return err
	}
	p, err := parsePage(c)
	if err != nil {
		return err
	}
	orgs, err := survey.VisibleOrgs(ctx(c), h.app.DB, accountOf(c))
	if err != nil {
		return err
	}
	slices.SortFunc(orgs, func(a, b survey.Organisation) int { return strings.Compare(a.Slug, b.Slug) })
	items := make([]Org, len(orgs))
	for i := range orgs {
		items[i] = h.orgJSON(&orgs[i])
	}
	return ok(c, paginate(h, c, p, items, func(o Org) string { return o.Slug }))
}

// ShowOrg serves GET /api/v1/orgs/:slug.
func (h *Handlers) ShowOrg(c echo.Context) error {
	if err := checkParams(c); err != nil {
		return err
	}
	org, err := h.org(c)
	if err != nil {
		return err
	}
	return ok(c, h.orgJSON(org))
}

// Round is a round that has opened, with the whole organisation's
// participation (suppressed like any group under the threshold).
type Round struct {
	ID                int64   `json:"id"`
	Title             string  `json:"title"`
	Status            string  `json:"status"`
	OpensAt           string  `json:"opens_at"`
	ClosesAt          string  `json:"closes_at"`
	ClosedAt          *string `json:"closed_at"`
	InstrumentVersion int     `json:"instrument_version"`
	// VersionChange marks the first round on another questionnaire
	// version: trends are not comparable across it.
	VersionChange bool   `json:"version_change"`
	Participation Cell   `json:"participation"`
	Measures      string `json:"measures"` // link to the round's measures
	key           string
}

func (h *Handlers) roundJSON(org *survey.Organisation, r *analytics.RoundInfo) Round {
	out := Round{ID: r.ID, Title: r.Title, Status: r.Status, OpensAt: timestamp(r.OpensAt), ClosesAt: timestamp(r.ClosesAt),
		InstrumentVersion: r.InstrumentVersion, VersionChange: r.VersionChange,
		Measures: fmt.Sprintf("%s?round=%d", h.link(Prefix+"/orgs/"+org.Slug+"/measures"), r.ID)}
	if !r.ClosedAt.IsZero() {
		s := timestamp(r.ClosedAt)
		out.ClosedAt = &s
	}
	// Newest first: the key counts down as rounds get later.
	out.key = fmt.Sprintf("%019d.%019d", math.MaxInt64-r.OpensAt.UnixNano(), math.MaxInt64-r.ID)
	return out
}

// ListRounds lists an organisation's rounds that have opened, newest
// first, each with the whole organisation's response rate.
func (h *Handlers) ListRounds(c echo.Context) error {
	org, p, err := h.orgList(c)
	if err != nil {
		return err
	}
	d, err := analytics.LoadDashboard(ctx(c), h.app.DB, org, analytics.Query{}, h.app.Now())
	if err != nil {
		return err
	}
	items := make([]Round, 0, len(d.Rounds))
	for i := len(d.Rounds) - 1; i >= 0; i-- {
		r := h.roundJSON(org, &d.Rounds[i])
		// Rates[0] is the whole organisation, one point per round.
		pt := d.Rates[0].Points[i]
		r.Participation = cell(&pt.Measures, pt.Known, false, d.K)
		items = append(items, r)
	}
	return ok(c, paginate(h, c, p, items, func(r Round) string { return r.key }))
}

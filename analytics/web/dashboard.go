package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey/account"
	"accord/survey/webkit"
)

// maxFilterValue bounds a filter value read from the URL: longer than any
// attribute the roster stores, so a longer one matches nobody anyway.
const maxFilterValue = 200

// Dashboard shows an organisation's measures for one round and group,
// chosen by a GET form that works without JavaScript:
// ?round=ID&function=…&team=…&region=…&tenure=….
func (h *Pages) Dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	org, err := h.app.Org(c, account.ViewOrg) // membership and role, and the organisation navigation
	if err != nil {
		return err
	}
	d, err := analytics.LoadDashboardCached(ctx, h.app.DB, h.cache, org, parseQuery(c), h.app.Now())
	if err != nil {
		return err
	}
	q := c.Request().URL.Query()
	v := newView(d, q)
	v.limitComments(c.QueryParam("comments") == "all", c.Request().URL)
	if v.Headline != nil || v.Open {
		in, err := analytics.LoadInsight(ctx, h.app.DB, d)
		if err != nil {
			return err
		}
		v.Insight = newInsightView(in)
		v.Insight.weigh(in, d, c.Request().URL.Path, q)
		v.Form.Weighted = wantsWeighted(q)
		v.Scripts = v.Scripts || drawn(v.Insight.Statements) || drawn(v.Insight.Drivers)
	}
	if account.Can(webkit.CurrentAccount(c), account.ChangeSetup) {
		if v.Setup, err = h.loadSetup(ctx, org, d.K); err != nil {
			return err
		}
	}
	return h.app.Render.Page(c, http.StatusOK, "dashboard", webkit.View{Title: org.Name, BodyClass: "dashboard", Data: v})
}

// parseQuery reads the round and filters. Values the form never offers
// (an unknown team, a round of another organisation) are not errors: they
// select nobody, or the latest round, and the page says so.
func parseQuery(c echo.Context) analytics.Query {
	var q analytics.Query
	if id, err := strconv.ParseInt(c.QueryParam("round"), 10, 64); err == nil && id > 0 {
		q.RoundID = id
	}
	for _, d := range analytics.Dims {
		v := strings.TrimSpace(c.QueryParam(d.Name()))
		if v == "" || utf8.RuneCountInString(v) > maxFilterValue {
			continue
		}
		if v == noneValue {
			v = ""
		}
		q.Filter = q.Filter.With(d, v)
	}
	return q
}

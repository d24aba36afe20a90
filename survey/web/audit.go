package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/audit"
	"accord/survey/webkit"
)

// The audit log at /audit: admins read all of it, consultants the entries
// of their organisations (survey.ListAudit scopes the query), newest
// first, a page at a time, optionally for one organisation.

type auditData struct {
	Page  *audit.Page
	Orgs  []survey.Organisation
	Org   string // the chosen organisation's slug, or ""
	Prev  string
	Next  string
	Admin bool
}

func (a *App) AuditLog(c echo.Context) error {
	ctx, acc := c.Request().Context(), webkit.CurrentAccount(c)
	f := audit.Filter{}
	f.Page, _ = strconv.Atoi(c.QueryParam("page"))
	d := auditData{Org: c.QueryParam("org"), Admin: acc.Role == account.RoleAdmin}
	if d.Org != "" {
		org, err := survey.OrgForAccount(ctx, a.DB, acc, d.Org)
		if err != nil {
			return err
		}
		f.OrgID = org.ID
	}
	page, err := account.ListAudit(ctx, a.DB, acc, f)
	if err != nil {
		return err
	}
	if d.Orgs, err = survey.VisibleOrgs(ctx, a.DB, acc); err != nil {
		return err
	}
	d.Page = page
	if page.Page > 1 {
		d.Prev = auditURL(d.Org, page.Page-1)
	}
	if page.More {
		d.Next = auditURL(d.Org, page.Page+1)
	}
	return a.Render.Page(c, http.StatusOK, "audit", webkit.View{Title: "Audit log", Data: d})
}

func auditURL(org string, page int) string {
	v := url.Values{}
	if org != "" {
		v.Set("org", org)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/audit"
	}
	return "/audit?" + v.Encode()
}

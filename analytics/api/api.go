// Package api serves Accord's JSON API under /api/v1: organisations,
// rounds, measures, the portfolio and aggregate exports, for scripts and
// other tools. Requests authenticate with an account's API token
// (Authorization: Bearer …) and nothing else: a session cookie is ignored,
// so a page on another site cannot make a browser call the API with its
// user's rights, and the routes need no CSRF token. A token reaches what
// its account reaches, decided at each request (survey.VisibleOrgs and
// survey.OrgForAction), and every number comes from the analytics query
// layer, which has already hidden small groups.
//
// Errors have one shape everywhere, {"error":{"status":…,"message":…}},
// written by the web layer's error handler; lists are paginated with
// ?limit= and ?cursor= and say where the next page is. The OpenAPI
// document at /api/v1/openapi.json describes every route; a test checks
// the real responses against it.
package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	sweb "accord/survey/web"
)

// Prefix is where every route of the API lives.
const Prefix = "/api/v1"

// Register adds the API's routes to the app.
func Register(app *sweb.App) {
	h := &handler{app: app, limits: &accountLimits{}}
	e, auth := app.Echo, h.requireToken
	e.GET(Prefix+"/openapi.json", serveOpenAPI)
	e.GET(Prefix+"/orgs", h.listOrgs, auth)
	e.POST(Prefix+"/orgs", h.createOrg, auth)
	e.GET(Prefix+"/orgs/:slug", h.showOrg, auth)
	e.GET(Prefix+"/orgs/:slug/rounds", h.listRounds, auth)
	e.GET(Prefix+"/orgs/:slug/measures", h.measures, auth)
	e.GET(Prefix+"/orgs/:slug/insight", h.insight, auth)
	e.GET(Prefix+"/orgs/:slug/export", h.exportOrg, auth)
	e.GET(Prefix+"/orgs/:slug/actions", h.listActions, auth)
	e.GET(Prefix+"/portfolio", h.portfolio, auth)
}

// handler holds what the API's handlers share.
type handler struct {
	app    *sweb.App
	limits *accountLimits
}

const accountKey = "api-account"

// account returns the account of the request's token.
func account(c echo.Context) *survey.Account {
	acc, _ := c.Get(accountKey).(*survey.Account)
	return acc
}

// requireToken lets through requests with a usable API token, counted
// against their account's rate limit, and answers 401 (or 429) otherwise.
func (h *handler) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		ctx, now, addr := c.Request().Context(), h.app.Now(), c.RealIP()
		acc, err := survey.APITokenAccount(ctx, h.app.DB, bearer(c), now)
		if survey.ErrorCode(err) == survey.EUNAUTH {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="accord"`)
			if lerr := h.limitBadTokens(c, addr); lerr != nil {
				return lerr
			}
			return err
		} else if err != nil {
			return err
		}
		if wait := h.limits.wait(acc.ID, now); wait > 0 {
			return tooMany(c, wait, "Too many API requests: wait %s.")
		}
		c.Set(accountKey, acc)
		actor := survey.Actor{AccountID: acc.ID, Email: acc.Email, Address: addr, At: now}
		c.SetRequest(c.Request().WithContext(survey.WithActor(ctx, actor)))
		return next(c)
	}
}

// limitBadTokens counts a refused token against the client address and
// returns the 429 error once the address is over the limit.
func (h *handler) limitBadTokens(c echo.Context, addr string) error {
	v, err := badTokenLimit.Take(c.Request().Context(), h.app.DB, addr, h.app.Now())
	if err != nil || v.Allowed {
		return err
	}
	return tooMany(c, v.RetryAfter, "Too many requests with a wrong API token from your address. Wait %s.")
}

// bearer returns the token of an "Authorization: Bearer …" header, or "".
func bearer(c echo.Context) string {
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// org loads the organisation named by :slug if the token's account may
// see it: ENOTFOUND (404) for another tenant's, as for one that does not exist.
func (h *handler) org(c echo.Context) (*survey.Organisation, error) {
	return survey.OrgForAction(c.Request().Context(), h.app.DB, account(c), c.Param("slug"), survey.ViewOrg)
}

// orgList reads the pagination of a list of one organisation's items and
// loads the organisation named by :slug, as h.org does.
func (h *handler) orgList(c echo.Context) (*survey.Organisation, page, error) {
	if err := checkParams(c, "limit", "cursor"); err != nil {
		return nil, page{}, err
	}
	p, err := parsePage(c)
	if err != nil {
		return nil, p, err
	}
	org, err := h.org(c)
	return org, p, err
}

// ctx is the request's context.
func ctx(c echo.Context) context.Context { return c.Request().Context() }

// link returns the absolute URL of path on this server.
func (h *handler) link(path string) string { return h.app.BaseURL.JoinPath(path).String() }

// ok writes v as the JSON answer.
func ok(c echo.Context, v any) error { return c.JSON(http.StatusOK, v) }

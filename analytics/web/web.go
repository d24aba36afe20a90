// Package web serves the analytics pages: the organisation dashboard, the
// portfolio, reports and exports. Every handler loads the
// organisation through survey.OrgForAccount, so a leader of one tenant
// cannot see another's numbers.
package web

import (
	"sync"

	"accord/analytics/report"
	sweb "accord/survey/web"
)

// Register adds the analytics routes to the app; all of them need a login.
func Register(app *sweb.App) {
	h := &handler{app: app}
	app.Echo.GET("/orgs/:slug", h.dashboard, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/export", h.exportOrg, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/export/responses", h.exportResponses, app.RequireAccount)
	app.Echo.GET("/portfolio", h.portfolio, app.RequireAccount)
	app.Echo.GET("/portfolio/export", h.exportPortfolio, app.RequireAccount)
	app.Echo.GET("/portfolio/report", h.portfolioReport, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/reports", h.reports, app.RequireAccount)
	app.Echo.POST("/orgs/:slug/reports/settings", h.saveSharing, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/report", h.report, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/actions", h.actions, app.RequireAccount)
	app.Echo.GET("/orgs/:slug/actions/export", h.exportActions, app.RequireAccount)
	app.Echo.POST("/orgs/:slug/actions", h.createAction, app.RequireAccount)
	app.Echo.POST("/orgs/:slug/actions/:id", h.updateAction, app.RequireAccount)
	app.Echo.POST("/orgs/:slug/rounds/:id/message", h.sendRoundMessage, app.RequireAccount)
}

// handler holds what the analytics handlers share.
type handler struct {
	app *sweb.App

	printerOnce sync.Once
	printer     *report.Printer // nil until the first PDF, and without Chromium
}

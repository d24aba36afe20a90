// Package web serves the analytics pages: the organisation dashboard, the
// portfolio, reports and exports. Every handler loads the
// organisation through survey.OrgForAccount, so a leader of one tenant
// cannot see another's numbers.
//
// It imports analytics and its subpackages, survey and its leaf packages
// and the shared web plumbing; nothing imports it but cmd.
package web

import (
	"sync"

	"accord/analytics"
	"accord/analytics/report"
	"accord/survey/webkit"
)

// Pages serves the analytics pages inside the web kit's server; its routes,
// and who may call them, are in the route table (analytics/site).
type Pages struct {
	app   *webkit.App
	cache *analytics.Cache // closed rounds' comments

	printerOnce sync.Once
	printer     *report.Printer // nil until the first PDF, and without Chromium
}

// New prepares the analytics pages on the kit's server app.
func New(app *webkit.App) *Pages {
	return &Pages{app: app, cache: analytics.NewCache(analytics.DefaultCacheEntries)}
}

// Package site assembles Accord's whole web site: the web kit's server
// (survey/webkit) with the survey pages (survey/web), the analytics pages
// (analytics/web) and the JSON API (analytics/api) — every route, with
// who may call it, registered from one table (routes.go). It sits above
// the handler packages so that it sees all of them; cmd/accord serves it
// and tests start it through sitetest.
package site

import (
	"accord/analytics/api"
	analyticsweb "accord/analytics/web"
	"accord/survey/web"
	"accord/survey/webkit"
)

// New builds the server with every route.
func New(opts webkit.Options) (*webkit.App, error) {
	app, err := webkit.New(opts)
	if err != nil {
		return nil, err
	}
	pages, err := web.New(app)
	if err != nil {
		return nil, err
	}
	pages.Routes()
	analyticsweb.Register(app)
	api.Register(app)
	return app, nil
}

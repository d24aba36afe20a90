// Package sitetest starts the whole site — every route of the route
// table — for tests, with webtest's clock, client and fixtures.
package sitetest

import (
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// NewServer serves the whole site on db until the test ends; adjust
// changes the app before it serves (a scheduler, trusted proxies).
func NewServer(tb testing.TB, db *gorm.DB, adjust ...func(*webkit.App)) *webtest.Server {
	tb.Helper()
	srv, _ := Start(tb, db, adjust...)
	return srv
}

// Start is NewServer that also returns the site, for tests that read its
// route table.
func Start(tb testing.TB, db *gorm.DB, adjust ...func(*webkit.App)) (*webtest.Server, *site.Site) {
	tb.Helper()
	opts, clock := webtest.NewOptions(db)
	s, err := site.New(opts)
	if err != nil {
		tb.Fatalf("site.New: %v", err)
	}
	return webtest.Serve(tb, s.App, clock, adjust...), s
}

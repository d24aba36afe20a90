// Package site assembles Accord's whole web site: the web kit's server
// (survey/webkit) with the survey pages (survey/web), the analytics pages
// (analytics/web) and the JSON API (analytics/api). Every route, with who
// may call it, is one row of the table in routes.go, and nothing else
// registers routes; the authorisation test (analytics/web/authz_test.go)
// reads the same table. The package sits above the handler packages so
// that it sees all of them; cmd/accord serves it and tests start it
// through sitetest.
package site

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/analytics/api"
	analyticsweb "accord/analytics/web"
	"accord/survey/web"
	"accord/survey/webkit"
)

// Site is the whole web site: the kit's server with every route of the
// table registered.
type Site struct {
	*webkit.App
	// Routes is the route table as registered, handlers included.
	Routes []Route

	pages *web.App
	api   *api.Handlers
}

// New builds the server and registers every route of the table.
func New(opts webkit.Options) (*Site, error) {
	kit, err := webkit.New(opts)
	if err != nil {
		return nil, err
	}
	pages, err := web.New(kit)
	if err != nil {
		return nil, err
	}
	s := &Site{App: kit, pages: pages, api: api.New(kit)}
	s.Routes = table(kit, pages, analyticsweb.New(kit), s.api)
	for _, r := range s.Routes {
		if err := s.register(r); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// register adds r to the router behind the middleware its rule asks for.
func (s *Site) register(r Route) error {
	if err := r.Rule.Check(); err != nil {
		return fmt.Errorf("route %s %s: %w", r.Method, r.Path, err)
	}
	if r.Handler == nil {
		return nil // switched off by the configuration
	}
	var guard []echo.MiddlewareFunc
	switch r.Rule.Who {
	case RespondentLink:
		guard = append(guard, s.pages.LimitUnknownLinks)
	case SignedIn:
		guard = append(guard, s.RequireAccount)
		if r.Rule.Role != "" {
			guard = append(guard, s.Require(r.Rule.Role))
		}
	case APIToken:
		guard = append(guard, s.api.RequireToken)
	}
	switch r.Method {
	case http.MethodGet:
		s.Echo.GET(r.Path, r.Handler, guard...)
	case http.MethodPost:
		s.Echo.POST(r.Path, r.Handler, guard...)
	default:
		return fmt.Errorf("route %s %s: only GET and POST are served", r.Method, r.Path)
	}
	return nil
}

// Check reports what is wrong with the rule, or nil: every route needs
// one, and Role and Checks only where they mean something.
func (r Rule) Check() error {
	switch {
	case r.Who < Public || r.Who > APIToken:
		return fmt.Errorf("no rule says who may call it")
	case r.Role != "" && r.Who != SignedIn:
		return fmt.Errorf("a role is checked only for signed-in accounts")
	case r.Checks != "" && r.Who != SignedIn && r.Who != APIToken:
		return fmt.Errorf("a handler checks an action only for an account")
	}
	return nil
}

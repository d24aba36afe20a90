package webkit

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey/database"
)

// Request deadlines: every database call on a request path runs under the
// request's context, so a database that is down or stalled costs a page at
// most this long before it answers 503.
const (
	DefaultRequestTimeout = 5 * time.Second
	// longRequestTimeout is for reports and exports, which stream large
	// files or print PDFs, and for the actions whose work grows with the
	// roster: opening a round (invitations for everyone), closing one
	// (its rollups), saving an import.
	longRequestTimeout = 2 * time.Minute
	// readingRequestTimeout is for the pages that read results (dashboard,
	// portfolio, measures, action plans): the first read of a closed round
	// after an upgrade or a settings change computes its rollups, which on
	// a busy machine can take longer than a plain page should.
	readingRequestTimeout = 20 * time.Second
	// retryAfter is what a 503 tells clients to wait, in seconds.
	retryAfter = "10"
)

// deadline bounds each request's context.
func (a *App) deadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		d := a.RequestTimeout
		if d <= 0 {
			d = DefaultRequestTimeout
		}
		switch route := c.Path(); {
		case longRequest(route):
			d = max(d, longRequestTimeout)
		case readingRequest(route):
			d = max(d, readingRequestTimeout)
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), d)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// longRequest reports whether the route streams a report or an export, or
// does work that grows with the roster.
func longRequest(route string) bool {
	return strings.Contains(route, "/export") || strings.Contains(route, "/report") || strings.HasSuffix(route, ".csv") ||
		strings.HasSuffix(route, "/rounds/:id/open") || strings.HasSuffix(route, "/rounds/:id/close") ||
		strings.HasSuffix(route, "/import/confirm")
}

// readingRequest reports whether the route reads results that it may first
// have to compute from a round's answers.
func readingRequest(route string) bool {
	return route == "/orgs/:slug" || route == "/portfolio" || route == "/api/v1/portfolio" ||
		strings.HasSuffix(route, "/measures") || strings.HasSuffix(route, "/actions") ||
		strings.HasSuffix(route, "/rounds/new") || strings.HasSuffix(route, "/delete")
}

// unavailable answers a request that failed because the database is out of
// reach: 503 with Retry-After, a message that asks to try again, and one
// log line per distinct problem and interval (the process logger limits
// repeats).
func (a *App) unavailable(c echo.Context, err error) (int, string) {
	c.Response().Header().Set("Retry-After", retryAfter)
	a.Log.Warn("database unavailable", "problem", database.Problem(err), "path", loggedPath(c), "err", err)
	return http.StatusServiceUnavailable, "Accord cannot reach its database at the moment. Please try again in a few seconds."
}

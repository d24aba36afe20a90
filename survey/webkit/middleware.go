package webkit

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// recoverPanics turns a panic into an internal error with a logged stack.
func (a *App) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				a.Log.Error("panic", "path", loggedPath(c), "panic", fmt.Sprint(r), "stack", string(buf))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// loggedPath is the request path as logs show it: a respondent's link is
// a secret, so its token is cut.
func loggedPath(c echo.Context) string {
	if path := c.Request().URL.Path; !strings.HasPrefix(path, "/s/") {
		return path
	}
	return "/s/…"
}

// logRequests writes one line per request. Respondent tokens are cut from
// the logged path: they are secrets.
func (a *App) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		// Respondent requests are not logged: a line per submission, with
		// its time and address, would order and place each respondent far
		// more finely than the database (which keeps only the day). Their
		// server errors are, without the address (errorHandler logs those
		// with the token cut from the path).
		if respondentRoute(c) {
			return nil
		}
		a.Log.Info("request",
			"method", c.Request().Method,
			"path", loggedPath(c),
			"status", c.Response().Status,
			"bytes", c.Response().Size,
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"ip", c.RealIP())
		return nil
	}
}

// securityHeaders sets headers every response carries. The policy allows
// no inline script: charts are initialised by a static script from data
// attributes.
func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		if strings.HasPrefix(c.Request().URL.Path, "/s/") {
			h.Set("Referrer-Policy", "no-referrer")
		} else {
			h.Set("Referrer-Policy", "same-origin")
		}
		if a.Secure() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

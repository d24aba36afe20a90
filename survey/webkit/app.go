// Package webkit is the HTTP plumbing every Accord page and the JSON API
// share: the configured Echo server (App) with its middleware — request
// log, metrics, panics, security headers, deadlines, body limits, CSRF and
// sessions —, the page renderer and its navigation, the error handler that
// maps survey error codes to pages or JSON, flash messages, and the
// operator's routes (health, readiness, metrics, static files).
//
// It holds no page of its own: the survey pages (survey/web), the analytics
// pages (analytics/web) and the API (analytics/api) import it, and it
// imports none of them; every route is registered from one table
// (analytics/site). It may import package survey, the packages under
// survey that hold accounts, errors, the audit log and rate limits, and the
// leaf packages (database, mail, templates, static).
package webkit

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"accord/static"
	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/notify"
	"accord/survey/sso"
	"accord/templates"
)

// Options are the dependencies of the web layer.
type Options struct {
	DB       *gorm.DB
	Log      *slog.Logger
	BaseURL  *url.URL             // public root URL, used for links and the Secure cookie flag
	Secret   []byte               // server secret: keys respondents' edit keys
	Now      func() time.Time     // the clock; tests control it
	Registry *prometheus.Registry // where metrics are registered; nil disables them
	// MetricsToken is the bearer token /metrics asks for (ACCORD_METRICS_TOKEN);
	// empty: no /metrics here (404), though ACCORD_METRICS_ADDR may serve them.
	MetricsToken string
	// Scheduler opens and closes rounds and resends links from the rounds
	// page; without it those actions fail (pages still show).
	Scheduler *survey.Scheduler
	// Mail is the outbox account invitations and password resets go
	// through; nil falls back to the scheduler's.
	Mail mail.Enqueuer
	// Emails writes account emails and results messages; nil: New parses
	// the templates itself.
	Emails *notify.Emails
	// TrustedProxies are the networks whose X-Forwarded-For is believed
	// (ACCORD_TRUSTED_PROXIES); none: the connection's address is the client's.
	TrustedProxies []*net.IPNet
	// SSO is the staff single sign-on client (ACCORD_OIDC_*); nil: the
	// login page offers passwords only.
	SSO *sso.Client
	// PasswordLoginOff refuses password logins (ACCORD_PASSWORD_LOGIN=off);
	// cmd/accord allows it only with SSO configured.
	PasswordLoginOff bool
	// ChatPolicy is which Slack and Teams webhook URLs are accepted: https
	// only; tests allow http to a loopback address (never cmd/accord).
	ChatPolicy survey.ChatPolicy
	// RequestTimeout bounds each request, its database calls included;
	// 0: DefaultRequestTimeout (reports and exports get longer).
	RequestTimeout time.Duration
}

// App is the configured Echo server: its middleware, error handler and
// renderer. The handler packages add their routes to Echo.
type App struct {
	Options
	Echo    *echo.Echo
	Render  *Renderer
	metrics *httpMetrics
}

// New builds the server with its middleware and error handler, and no route.
func New(opts Options) (*App, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BaseURL == nil {
		opts.BaseURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	r, err := NewRenderer(templates.FS)
	if err != nil {
		return nil, err
	}
	if opts.Emails == nil {
		if opts.Emails, err = notify.New(); err != nil {
			return nil, err
		}
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	a := &App{Options: opts, Echo: e, Render: r}
	r.PasswordsOff = func() bool { return a.PasswordLoginOff }
	e.HTTPErrorHandler = a.errorHandler
	e.IPExtractor = ClientIP(opts.TrustedProxies) // no proxy is trusted unless configured
	if opts.Registry != nil {
		a.metrics = newHTTPMetrics(opts.Registry, opts.DB)
	}
	// Order matters: the log line and the metrics see the final status,
	// including the 500 a recovered panic becomes.
	e.Use(a.logRequests)
	if a.metrics != nil {
		e.Use(a.metrics.middleware)
	}
	// The body limit comes before CSRF, which reads the form: no request
	// body, however large, is parsed beyond it (CSV uploads are the largest).
	e.Use(a.recoverPanics, a.securityHeaders, bodyDeadline, a.deadline, middleware.BodyLimit(MaxBodyBytes), a.csrf(), a.loadSession)
	return a, nil
}

// Static serves the embedded assets under /static/.
func (a *App) Static() echo.HandlerFunc {
	assets, _ := fs.Sub(static.FS, ".")
	return echo.WrapHandler(http.StripPrefix("/static/", cacheForever(http.FileServer(http.FS(filesOnly{assets})))))
}

// Favicon sends browsers asking for /favicon.ico to the SVG icon.
func (a *App) Favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg")
}

// Metrics serves the metrics to a scraper with the bearer token
// ACCORD_METRICS_TOKEN; nil when there is no token or no registry, and
// then /metrics is not served here (404).
func (a *App) Metrics() echo.HandlerFunc {
	if a.Registry == nil || a.MetricsToken == "" {
		return nil
	}
	return a.metrics.handler(a.MetricsToken)
}

// cacheForever marks versioned assets immutable: their URLs change with content.
func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		h.ServeHTTP(w, r)
	})
}

// Secure reports whether the public URL is https, so cookies are marked Secure.
func (a *App) Secure() bool { return a.BaseURL.Scheme == "https" }

// Healthz answers that the process is alive.
func (a *App) Healthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

// Readyz answers 503 quickly when the database does not answer or cannot
// be written (disk full, read-only), and logs what is wrong in plain words;
// it needs no restart to recover because each probe asks afresh.
func (a *App) Readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := database.CheckWritable(ctx, a.DB); err != nil {
		a.Log.Error("not ready", "problem", database.Problem(err), "err", err)
		return c.String(http.StatusServiceUnavailable, "not ready: the database cannot be written\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// csrf protects every unsafe method with a per-browser token in a form
// field (or header for scripts); the cookie is HttpOnly and SameSite.
func (a *App) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     "accord_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   a.Secure(),
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     csrfContextKey,
		ErrorHandler: func(error, echo.Context) error {
			return apperr.Errorf(apperr.EFORBIDDEN, "This form has expired or was sent from another site. Go back, reload the page and try again.")
		},
		Skipper: func(c echo.Context) bool {
			// The JSON API takes bearer tokens only, never the session
			// cookie, so a forged cross-site request carries no credential.
			p := c.Request().URL.Path
			return p == "/healthz" || p == "/readyz" || p == "/metrics" || strings.HasPrefix(p, "/api/")
		},
	})
}

const csrfContextKey = "csrf"

// MaxBodyBytes caps every request body.
const MaxBodyBytes = "8M"

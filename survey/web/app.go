// Package web is Accord's HTTP layer for collecting data — the respondent
// survey, login and the organisation list — and the shared plumbing every
// page uses: rendering, errors, sessions, CSRF, request logs and metrics.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"accord/static"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database"
	"accord/survey/mail"
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
	// TrustedProxies are the networks whose X-Forwarded-For is believed
	// (ACCORD_TRUSTED_PROXIES); none: the connection's address is the client's.
	TrustedProxies []*net.IPNet
	// RequestTimeout bounds each request, its database calls included;
	// 0: DefaultRequestTimeout (reports and exports get longer).
	RequestTimeout time.Duration
}

// App is the configured Echo server with the survey routes registered.
// Other packages add their routes with the same middleware and renderer.
type App struct {
	Options
	Echo    *echo.Echo
	Render  *Renderer
	metrics *httpMetrics

	accountEmails *account.AccountEmails
	respondents   *survey.Respondents
	blankForms    sync.Map // instrument ID → template.HTML of its unanswered questions
	linkGuessers  *blockList
}

// New builds the server: middleware, error handler, static assets and the
// survey routes.
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
	emails, err := account.ParseAccountEmails()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	a := &App{Options: opts, Echo: e, Render: r, accountEmails: emails,
		respondents: &survey.Respondents{DB: opts.DB, Secret: opts.Secret}, linkGuessers: newBlockList()}
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
	a.routes()
	return a, nil
}

// routes lists every survey-side route in one place.
func (a *App) routes() {
	e := a.Echo
	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	if a.Registry != nil && a.MetricsToken != "" {
		e.GET("/metrics", a.metrics.handler(a.MetricsToken))
	}
	assets, _ := fs.Sub(static.FS, ".")
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", cacheForever(http.FileServer(http.FS(filesOnly{assets}))))))
	e.GET("/favicon.ico", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/static/favicon.svg") })
	e.GET("/", a.home)
	e.GET("/login", a.loginForm)
	e.POST("/login", a.login)
	e.POST("/logout", a.logout)
	e.POST("/logout/everywhere", a.logoutEverywhere, a.RequireAccount)
	e.GET("/password/forgot", a.forgotForm)
	e.POST("/password/forgot", a.forgot)
	e.GET("/password/set", a.setPasswordForm)
	e.POST("/password/set", a.setPassword)
	e.GET("/account/password", a.changePasswordForm, a.RequireAccount)
	e.POST("/account/password", a.changePassword, a.RequireAccount)
	e.GET("/account/tokens", a.listTokens, a.RequireAccount)
	e.POST("/account/tokens", a.createToken, a.RequireAccount)
	e.POST("/account/tokens/revoke", a.revokeToken, a.RequireAccount)
	e.GET("/accounts", a.listAccounts, a.RequireAccount, a.Require(account.ManageAccounts))
	e.GET("/accounts/new", a.newAccount, a.RequireAccount, a.Require(account.ManageAccounts))
	e.POST("/accounts", a.inviteAccount, a.RequireAccount, a.Require(account.ManageAccounts))
	e.GET("/accounts/:id/edit", a.editAccount, a.RequireAccount, a.Require(account.ManageAccounts))
	e.POST("/accounts/:id", a.updateAccount, a.RequireAccount, a.Require(account.ManageAccounts))
	e.POST("/accounts/:id/remove", a.removeAccount, a.RequireAccount, a.Require(account.ManageAccounts))
	e.POST("/accounts/:id/invite", a.resendInvitation, a.RequireAccount, a.Require(account.ManageAccounts))
	e.GET("/audit", a.auditLog, a.RequireAccount, a.Require(account.ReadAudit))
	e.GET("/orgs", a.listOrgs, a.RequireAccount)
	e.GET("/orgs/new", a.newOrg, a.RequireAccount, a.Require(account.ManageOrgs))
	e.POST("/orgs", a.createOrg, a.RequireAccount, a.Require(account.ManageOrgs))
	e.GET("/orgs/archived", a.listArchivedOrgs, a.RequireAccount, a.Require(account.ManageOrgs))
	e.GET("/orgs/:slug/settings", a.orgSettings, a.RequireAccount)
	e.POST("/orgs/:slug/settings", a.updateOrg, a.RequireAccount)
	e.POST("/orgs/:slug/archive", a.setArchived(true), a.RequireAccount)
	e.POST("/orgs/:slug/restore", a.setArchived(false), a.RequireAccount)
	e.POST("/orgs/:slug/delete", a.deleteOrg, a.RequireAccount)
	e.GET("/orgs/:slug/logo", a.orgLogo, a.RequireAccount)
	e.GET("/orgs/:slug/schedules", a.listSchedules, a.RequireAccount)
	e.GET("/orgs/:slug/schedules/new", a.newSchedule, a.RequireAccount)
	e.POST("/orgs/:slug/schedules", a.createSchedule, a.RequireAccount)
	e.GET("/orgs/:slug/schedules/:id/edit", a.editSchedule, a.RequireAccount)
	e.POST("/orgs/:slug/schedules/:id", a.updateSchedule, a.RequireAccount)
	e.GET("/orgs/:slug/rounds", a.listRounds, a.RequireAccount)
	e.POST("/orgs/:slug/rounds/:id/open", a.openRoundNow, a.RequireAccount)
	e.GET("/orgs/:slug/rounds/new", a.newRound, a.RequireAccount)
	e.POST("/orgs/:slug/rounds/preview", a.previewRound, a.RequireAccount)
	e.POST("/orgs/:slug/rounds", a.startRound, a.RequireAccount)
	e.GET("/orgs/:slug/rounds/:id/close", a.confirmCloseRound, a.RequireAccount)
	e.POST("/orgs/:slug/rounds/:id/close", a.closeRoundNow, a.RequireAccount)
	e.POST("/orgs/:slug/rounds/:id/resend", a.resendLink, a.RequireAccount)
	e.GET("/orgs/:slug/people", a.listPeople, a.RequireAccount)
	e.GET("/orgs/:slug/people.csv", a.exportPeople, a.RequireAccount)
	e.GET("/orgs/:slug/people/new", a.newPerson, a.RequireAccount)
	e.POST("/orgs/:slug/people", a.createPerson, a.RequireAccount)
	e.GET("/orgs/:slug/people/:id/edit", a.editPerson, a.RequireAccount)
	e.POST("/orgs/:slug/people/:id", a.updatePerson, a.RequireAccount)
	e.POST("/orgs/:slug/people/:id/active", a.setPersonActive, a.RequireAccount)
	e.GET("/orgs/:slug/people/import", a.importForm, a.RequireAccount)
	e.POST("/orgs/:slug/people/import", a.previewImport, a.RequireAccount)
	e.POST("/orgs/:slug/people/import/confirm", a.confirmImport, a.RequireAccount)
	e.GET("/orgs/:slug/instruments", a.showInstruments, a.RequireAccount)
	e.POST("/orgs/:slug/instruments/questions", a.addQuestion, a.RequireAccount)
	e.GET("/orgs/:slug/instruments/questions/:key/edit", a.editQuestionForm, a.RequireAccount)
	e.POST("/orgs/:slug/instruments/questions/:key", a.updateQuestion, a.RequireAccount)
	e.POST("/orgs/:slug/instruments/questions/:key/remove", a.removeQuestion, a.RequireAccount)
	e.GET("/dev/mail", a.devMail, a.RequireAccount, a.Require(account.ReadDevMail))
	e.GET("/s/:token", a.surveyForm, a.limitUnknownLinks)
	e.POST("/s/:token", a.surveySubmit, a.limitUnknownLinks)
	e.GET("/s/:token/thanks", a.surveyThanks, a.limitUnknownLinks)
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

func (a *App) home(c echo.Context) error {
	if CurrentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/orgs")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (a *App) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

// readyz answers 503 quickly when the database does not answer or cannot
// be written (disk full, read-only), and logs what is wrong in plain words;
// it needs no restart to recover because each probe asks afresh.
func (a *App) readyz(c echo.Context) error {
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

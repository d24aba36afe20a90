package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gorm.io/gorm"

	"accord/analytics/site"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/notify"
	"accord/survey/sso"
	"accord/survey/webkit"
)

// shutdownGrace is how long in-flight requests may take after SIGTERM.
const shutdownGrace = 25 * time.Second

// serve runs the web server and the background workers until ctx ends,
// in named steps: the database, the first start (secret, admin, demo),
// the mail worker and the scheduler, the site, then serving until a
// signal and a graceful shutdown.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.flagSet("serve")
	withDemo := fs.Bool("demo", false, "on an empty database, create a demo organisation and print respondent links")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	warnChromium(m.Stderr, m.Getenv)

	secret, first, err := m.firstStart(ctx, cfg, db, log, *withDemo)
	if err != nil {
		return err
	}
	emails, err := notify.New() // a broken email template fails the start
	if err != nil {
		return err
	}
	work, err := startWorkers(ctx, cfg, db, log, emails)
	if err != nil {
		return err
	}
	defer work.stop()
	if first.Demo != nil {
		if err := sendDemoInvitations(ctx, work.scheduler, first.Demo, time.Now()); err != nil {
			return err
		}
	}

	reg := newRegistry()
	app, err := site.New(webkit.Options{DB: db, Log: log, BaseURL: cfg.BaseURL, Secret: secret, Registry: reg, Scheduler: work.scheduler,
		Mail: work.outbox, Emails: emails, TrustedProxies: cfg.TrustedProxies, MetricsToken: cfg.MetricsToken,
		SSO: ssoClient(cfg, log), PasswordLoginOff: cfg.PasswordLoginOff})
	if err != nil {
		return err
	}
	srv, errc, stopMetrics, err := listen(cfg, app.Echo, reg, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	if first.Demo != nil {
		waitForInvitations(ctx, db, first.Demo.Open.ID)
	}
	first.print(m.Stdout)
	return shutdownOnCancel(ctx, srv, errc, log)
}

// firstStart makes what a first start needs and loads what it prints: the
// server secret, the first admin, the demo organisation when asked for on
// an empty database.
func (m *Main) firstStart(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger, withDemo bool) ([]byte, *firstRun, error) {
	secret, err := requireSecret(ctx, cfg, db, log)
	if err != nil {
		return nil, nil, err
	}
	admin, password, err := account.EnsureAdmin(ctx, db, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return nil, nil, fmt.Errorf("create first admin (ACCORD_ADMIN_EMAIL / ACCORD_ADMIN_PASSWORD): %w", err)
	}
	first, err := loadFirstRun(ctx, db, cfg, admin, password)
	if err != nil {
		return nil, nil, err
	}
	if first.Orgs, err = countOrgs(ctx, db); err != nil {
		return nil, nil, err
	}
	if first.WantedDemo = withDemo; withDemo {
		if first.Demo, err = m.demoIfEmpty(ctx, db, cfg, secret); err != nil {
			return nil, nil, err
		}
	}
	return secret, first, nil
}

// workers are the background workers: the mail outbox's worker, the
// scheduler and the open rounds' rollup loop.
type workers struct {
	outbox    *mail.Outbox
	scheduler *survey.Scheduler
	stops     []func() // in the order they run
}

// startWorkers starts the mail worker, then the scheduler that queues mail
// through it, then the open rounds' rollup loop; stop stops them the other way round (after the last
// request, when serve returns).
func startWorkers(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger, emails *notify.Emails) (w *workers, err error) {
	w = &workers{}
	defer func() {
		if err != nil {
			w.stop()
		}
	}()
	jobDB, closeJobDB, err := jobPool(ctx, cfg, db)
	if err != nil {
		return w, err
	}
	w.stops = append(w.stops, closeJobDB)
	outbox, stopMail, err := startMail(ctx, cfg, jobDB, log)
	if err != nil {
		return w, err
	}
	w.outbox = outbox
	w.stops = append([]func(){func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := stopMail(sctx); err != nil {
			log.Error("stop mail worker", "err", err)
		}
	}}, w.stops...)
	scheduler, stopScheduler, err := startScheduler(ctx, cfg, db, log, outbox, emails)
	if err != nil {
		return w, err
	}
	w.scheduler = scheduler
	w.stops = append([]func(){stopScheduler}, w.stops...)
	w.stops = append([]func(){startRollups(ctx, db, log)}, w.stops...)
	return w, nil
}

// stop stops the workers: the scheduler first, then the mail worker, then
// the job queue's pool.
func (w *workers) stop() {
	for _, stop := range w.stops {
		stop()
	}
	w.stops = nil
}

// newRegistry is the metrics registry, with the Go runtime's and the
// process's own metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// listen serves h on ACCORD_ADDR and, when set, the metrics alone on
// ACCORD_METRICS_ADDR; either server's failure is sent to errc.
func listen(cfg Config, h http.Handler, reg *prometheus.Registry, log *slog.Logger) (*http.Server, chan error, func(), error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listen on ACCORD_ADDR %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	stopMetrics := func() {}
	if cfg.MetricsAddr != "" {
		msrv, err := serveMetrics(cfg.MetricsAddr, reg, errc)
		if err != nil {
			srv.Close()
			return nil, nil, nil, err
		}
		stopMetrics = func() { msrv.Close() }
		log.Info("metrics serving", "addr", cfg.MetricsAddr)
	}
	log.Info("accord serving", "addr", ln.Addr().String(), "url", cfg.BaseURL.String(), "database", cfg.Database.Dialect, "version", version)
	return srv, errc, stopMetrics, nil
}

// shutdownOnCancel waits for ctx to end (a signal) or the server to fail,
// then lets in-flight requests finish within shutdownGrace.
func shutdownOnCancel(ctx context.Context, srv *http.Server, errc <-chan error, log *slog.Logger) error {
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: letting in-flight requests finish", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// serveMetrics serves /metrics alone on addr (ACCORD_METRICS_ADDR), for a
// scraper on a private network; its failure is sent to errc.
func serveMetrics(addr string, reg *prometheus.Registry, errc chan<- error) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on ACCORD_METRICS_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics server: %w", err)
		}
	}()
	return srv, nil
}

// ssoClient is the single sign-on client of cfg, or nil without one. It
// reaches the provider at the first login, not at start, so that a
// provider that is down delays single sign-on only.
func ssoClient(cfg Config, log *slog.Logger) *sso.Client {
	if cfg.OIDC.Issuer == "" {
		return nil
	}
	redirect := cfg.BaseURL.String() + sso.CallbackPath
	log.Info("single sign-on", "issuer", cfg.OIDC.Issuer, "redirect_uri", redirect, "password_login", !cfg.PasswordLoginOff)
	return sso.New(sso.Config{Issuer: cfg.OIDC.Issuer, ClientID: cfg.OIDC.ClientID, ClientSecret: cfg.OIDC.ClientSecret, RedirectURL: redirect})
}

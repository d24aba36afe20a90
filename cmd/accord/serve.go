package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"accord/analytics/site"
	"accord/survey"
	"accord/survey/database"
	"accord/survey/webkit"
)

// shutdownGrace is how long in-flight requests may take after SIGTERM.
const shutdownGrace = 25 * time.Second

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

	secret, err := requireSecret(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	admin, password, err := survey.EnsureAdmin(ctx, db, cfg.AdminEmail, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("create first admin (ACCORD_ADMIN_EMAIL / ACCORD_ADMIN_PASSWORD): %w", err)
	}
	first, err := loadFirstRun(ctx, db, cfg, admin, password)
	if err != nil {
		return err
	}
	if first.Orgs, err = countOrgs(ctx, db); err != nil {
		return err
	}
	if first.WantedDemo = *withDemo; *withDemo {
		if first.Demo, err = m.demoIfEmpty(ctx, db, cfg, secret); err != nil {
			return err
		}
	}

	jobDB, closeJobDB, err := jobPool(ctx, cfg, db)
	if err != nil {
		return err
	}
	defer closeJobDB()
	outbox, stopMail, err := startMail(ctx, cfg, jobDB, log)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := stopMail(sctx); err != nil {
			log.Error("stop mail worker", "err", err)
		}
	}()
	// Deferred after the mail worker's stop, so it stops first.
	scheduler, stopScheduler, err := startScheduler(ctx, cfg, db, log, outbox)
	if err != nil {
		return err
	}
	defer stopScheduler()
	if first.Demo != nil {
		if err := sendDemoInvitations(ctx, scheduler, first.Demo, time.Now()); err != nil {
			return err
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	app, err := site.New(webkit.Options{DB: db, Log: log, BaseURL: cfg.BaseURL, Secret: secret, Registry: reg, Scheduler: scheduler,
		Mail: outbox, TrustedProxies: cfg.TrustedProxies, MetricsToken: cfg.MetricsToken})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on ACCORD_ADDR %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: app.Echo, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		msrv, err := serveMetrics(cfg.MetricsAddr, reg, errc)
		if err != nil {
			return err
		}
		defer msrv.Close()
		log.Info("metrics serving", "addr", cfg.MetricsAddr)
	}
	log.Info("accord serving", "addr", ln.Addr().String(), "url", cfg.BaseURL.String(), "database", cfg.Database.Dialect, "version", version)
	if first.Demo != nil {
		waitForInvitations(ctx, db, first.Demo.Open.ID)
	}
	first.print(m.Stdout)

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

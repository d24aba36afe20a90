// Command accord-portfoliobench measures the portfolio and the portfolio
// export on a database filled by `accord demo`: it brings every
// organisation's rollups up to date, lets every organisation take part in
// the cross-client benchmark (so that it is computed, as in production),
// then requests /portfolio as a consultant of every organisation through
// the real router, middleware and handler over HTTP and reports latency
// percentiles and queries per view, and finally downloads the whole
// portfolio as XLSX over HTTP and reports its time and size.
//
//	ACCORD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/accord_demo?sslmode=disable \
//	    go run ./cmd/accord-portfoliobench --requests 300
//
// The XLSX export's peak memory is best measured in a process of its own:
//
//	/usr/bin/time -v accord report --all --format xlsx -o portfolio.xlsx
//
// It adds one consultant (portfoliobench@accord.invalid) with access to
// every organisation, and with --opt-in (the default) sets every
// organisation's benchmark_opt_in; it changes nothing else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"accord/analytics"
	"accord/analytics/site"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/secrets"
	"accord/survey/webkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accord-portfoliobench:", err)
		os.Exit(1)
	}
}

type options struct {
	requests, warmup int
	optIn, export    bool
	profile, format  string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("accord-portfoliobench", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.requests, "requests", 300, "portfolio requests per view")
	fs.IntVar(&o.warmup, "warmup", 20, "requests before measuring (connection pool, caches)")
	fs.BoolVar(&o.optIn, "opt-in", true, "let every organisation take part in the cross-client benchmark")
	fs.BoolVar(&o.export, "export", true, "also download the whole portfolio as XLSX over HTTP")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the export download to this file")
	fs.StringVar(&o.format, "format", "xlsx", "the export's format: csv, xlsx or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target, err := database.ParseURL(os.Getenv("ACCORD_DATABASE_URL"))
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, target, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer database.Close(db)
	if _, err := database.Migrate(ctx, db); err != nil {
		return err
	}
	// Open rounds' rollups go stale after a minute and computing them
	// tells who answered, which needs the server secret the data was
	// made with.
	if text := os.Getenv("ACCORD_SECRET_KEY"); text != "" {
		key, err := secrets.ParseSecret(text)
		if err != nil {
			return err
		}
		if err := secrets.UseSecret(db, key); err != nil {
			return err
		}
	}
	start := time.Now()
	if err := analytics.RollupAll(ctx, db, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "rollups brought up to date for every organisation in %s\n", time.Since(start).Round(time.Millisecond))
	if o.optIn {
		if err := db.WithContext(ctx).Model(&survey.Organisation{}).Where("1 = 1").Update("benchmark_opt_in", true).Error; err != nil {
			return err
		}
	}
	acc, orgs, err := consultant(ctx, db)
	if err != nil {
		return err
	}
	var cells int64
	db.WithContext(ctx).Model(&analytics.RollupCell{}).Count(&cells)
	fmt.Fprintf(out, "portfolio of %d organisations; %d rollup cells in the database\n", orgs, cells)
	if err := countQueries(ctx, db, acc, out); err != nil {
		return err
	}
	return measureHTTP(ctx, db, acc, o, out)
}

// consultant returns the bench's consultant, a member of every organisation.
func consultant(ctx context.Context, db *gorm.DB) (*account.Account, int, error) {
	const email = "portfoliobench@accord.invalid"
	var acc account.Account
	err := db.WithContext(ctx).Where("email = ?", email).Take(&acc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		a, err := account.CreateAccount(ctx, db, email, account.RoleConsultant, account.GeneratePassword())
		if err != nil {
			return nil, 0, err
		}
		acc = *a
	} else if err != nil {
		return nil, 0, err
	}
	err = db.WithContext(ctx).Exec(`INSERT INTO memberships (account_id, org_id)
SELECT ?, o.id FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = ? AND m.org_id = o.id)`, acc.ID, acc.ID).Error
	if err != nil {
		return nil, 0, err
	}
	orgs, err := survey.VisibleOrgs(ctx, db, &acc)
	return &acc, len(orgs), err
}

// counter counts SQL statements.
type counter struct {
	logger.Interface
	n atomic.Int64
}

func (c *counter) Trace(context.Context, time.Time, func() (string, int64), error) { c.n.Add(1) }

// countQueries loads the portfolio once in-process, counting its queries.
func countQueries(ctx context.Context, db *gorm.DB, acc *account.Account, out io.Writer) error {
	c := &counter{Interface: logger.Discard}
	t0 := time.Now()
	p, err := analytics.LoadPortfolio(ctx, db.Session(&gorm.Session{Logger: c}), acc, time.Now(), analytics.PortfolioOptions{})
	if err != nil {
		return err
	}
	published := 0
	for _, f := range p.Benchmark.Figures {
		if !f.Withheld {
			published++
		}
	}
	fmt.Fprintf(out, "LoadPortfolio: %d rows, %d of %d cross-client figures, %d SQL statements, %s\n",
		len(p.Rows), published, len(p.Benchmark.Figures), c.n.Load(), time.Since(t0).Round(10*time.Microsecond))
	return nil
}

// measureHTTP serves the real app on a local port and times GET requests
// of each portfolio view by the consultant, then one XLSX download.
func measureHTTP(ctx context.Context, db *gorm.DB, acc *account.Account, o options, out io.Writer) error {
	app, err := site.New(webkit.Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: &url.URL{Scheme: "http", Host: "127.0.0.1"}, Secret: []byte("portfoliobench")})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(app.Echo)
	defer srv.Close()
	token, err := account.CreateSession(ctx, db, acc.ID, time.Now())
	if err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "accord_session", Value: token, Path: "/"}})
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/portfolio", "/portfolio?sort=share&dir=desc", "/portfolio?sort=trust&labels=anonymous"} {
		for range o.warmup {
			if _, err := get(client, srv.URL+path); err != nil {
				return err
			}
		}
		times := make([]time.Duration, o.requests)
		size := 0
		for i := range times {
			t0 := time.Now()
			n, err := get(client, srv.URL+path)
			if err != nil {
				return err
			}
			times[i], size = time.Since(t0), int(n)
		}
		fmt.Fprintf(out, "GET %s: %s (%d requests, %d KB page)\n", path, percentiles(times), o.requests, size/1024)
	}
	if !o.export {
		return nil
	}
	runtime.GC()
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	n, err := get(client, srv.URL+"/portfolio/export?format="+o.format)
	if err != nil {
		return err
	}
	took, cpu := time.Since(t0), cpuTime()-cpu0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "GET /portfolio/export?format=%s: %s, %.1f MB file; CPU %s; Go heap now %.0f MB, obtained from the OS %.0f MB; peak RSS %s\n",
		o.format, took.Round(time.Millisecond), float64(n)/1e6, cpu.Round(10*time.Millisecond), float64(ms.HeapAlloc)/1e6, float64(ms.Sys)/1e6, peakRSS())
	return nil
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident memory (VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func get(c *http.Client, u string) (int64, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return n, nil
}

func percentiles(ts []time.Duration) string {
	s := slices.Clone(ts)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("p50 %s, p95 %s, p99 %s, max %s", at(0.50).Round(10*time.Microsecond),
		at(0.95).Round(10*time.Microsecond), at(0.99).Round(10*time.Microsecond), s[len(s)-1].Round(10*time.Microsecond))
}

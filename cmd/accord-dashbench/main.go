// Command accord-dashbench measures the dashboard on a database filled by
// `accord demo`: it brings every organisation's rollups up to date (timing
// that), then requests one organisation's dashboard through the real
// router, middleware and handler over HTTP and reports latency percentiles,
// and finally computes the same dashboard from rollups and from raw answers
// in the same process and reports the ratio.
//
//	ACCORD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/accord_demo?sslmode=disable \
//	    go run ./cmd/accord-dashbench --requests 300 --raw 10
//
// It adds one leader account (dashbench@accord.invalid) with access to the
// measured organisation; it changes nothing else.
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
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/site"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/roster"
	"accord/survey/secrets"
	"accord/survey/webkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accord-dashbench:", err)
		os.Exit(1)
	}
}

type options struct {
	slug      string
	requests  int
	raw       int
	warmup    int
	recompute bool
	profile   string
	save      string
	exports   bool
	grow      int
	keepGrown bool
	formats   string
	timeout   time.Duration
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("accord-dashbench", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.slug, "org", "", "slug of the organisation to measure (default: the one with the most answers)")
	fs.IntVar(&o.requests, "requests", 300, "dashboard requests per view")
	fs.IntVar(&o.raw, "raw", 10, "repetitions of the rollups-vs-raw comparison")
	fs.IntVar(&o.warmup, "warmup", 20, "requests before measuring (connection pool, caches)")
	fs.BoolVar(&o.recompute, "recompute", true, "also time computing the measured organisation's rollups from scratch")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the measured dashboard requests to this file")
	fs.BoolVar(&o.exports, "exports", false, "also download the organisation's anonymised responses in every format as an admin")
	fs.IntVar(&o.grow, "grow", 0, "with --exports: first copy the organisation's responses (bulk INSERT … SELECT) until it has at least this many; the copies are deleted at the end unless --keep-grown")
	fs.StringVar(&o.formats, "formats", "csv,xlsx,json", "with --exports: the formats to download, in order")
	fs.DurationVar(&o.timeout, "timeout", time.Hour, "the server's request deadline (accord's own is 5 s, 2 min for exports)")
	fs.BoolVar(&o.keepGrown, "keep-grown", false, "keep the copies --grow made")
	fs.StringVar(&o.save, "save", "", "write the first view's page to this file (to see what it weighs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target, err := database.ParseURL(os.Getenv("ACCORD_DATABASE_URL"))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := database.Open(ctx, target, log)
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

	org, err := pickOrg(ctx, db, o.slug)
	if err != nil {
		return err
	}
	stats, err := orgStats(ctx, db, org.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "organisation %s: %s\n", org.Slug, stats)
	if o.grow > 0 {
		undo, err := grow(ctx, db, org, o.grow, out)
		if err != nil {
			return err
		}
		if !o.keepGrown {
			defer func() {
				if err := undo(); err != nil {
					fmt.Fprintln(os.Stderr, "accord-dashbench: deleting the copies:", err)
				}
			}()
		}
	}
	if o.recompute {
		if err := timeRecompute(ctx, db, org, out); err != nil {
			return err
		}
	}
	views, err := dashboardViews(ctx, db, org)
	if err != nil {
		return err
	}
	if err := measureHTTP(ctx, db, org, views, o, out); err != nil {
		return err
	}
	if o.raw == 0 {
		return nil
	}
	return compareRaw(ctx, db, org, views, o.raw, out)
}

// pickOrg returns the organisation named slug, or the one with the most answers.
func pickOrg(ctx context.Context, db *gorm.DB, slug string) (*survey.Organisation, error) {
	var org survey.Organisation
	q := db.WithContext(ctx)
	if slug != "" {
		if err := q.Where("slug = ?", slug).Take(&org).Error; err != nil {
			return nil, fmt.Errorf("organisation %q: %w", slug, err)
		}
		return &org, nil
	}
	err := q.Raw(`SELECT o.* FROM organisations o JOIN responses s ON s.org_id = o.id
GROUP BY o.id ORDER BY COUNT(*) DESC, o.id LIMIT 1`).Scan(&org).Error
	if err != nil || org.ID == 0 {
		return nil, errors.Join(errors.New("no organisation with responses: run accord demo first"), err)
	}
	return &org, nil
}

func orgStats(ctx context.Context, db *gorm.DB, orgID int64) (string, error) {
	var s struct{ Rounds, Responses, Answers, Cells int64 }
	err := db.WithContext(ctx).Raw(`SELECT
 (SELECT COUNT(*) FROM rounds WHERE org_id = ?) AS rounds,
 (SELECT COUNT(*) FROM responses WHERE org_id = ?) AS responses,
 (SELECT COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.org_id = ?) AS answers,
 (SELECT COUNT(*) FROM rollup_cells WHERE org_id = ?) AS cells`, orgID, orgID, orgID, orgID).Scan(&s).Error
	return fmt.Sprintf("%d rounds, %d responses, %d answers, %d rollup cells", s.Rounds, s.Responses, s.Answers, s.Cells), err
}

// timeRecompute forgets the organisation's rollup records, so that Refresh
// computes every round again, and reports how long that takes.
func timeRecompute(ctx context.Context, db *gorm.DB, org *survey.Organisation, out io.Writer) error {
	if err := db.WithContext(ctx).Where("org_id = ?", org.ID).Delete(&analytics.RollupRound{}).Error; err != nil {
		return err
	}
	start := time.Now()
	if err := analytics.Refresh(ctx, db, org, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "rollups of every round of %s computed from scratch in %s\n", org.Slug, time.Since(start).Round(time.Millisecond))
	return nil
}

// view is one dashboard URL to measure and the query it stands for.
type view struct {
	name  string
	path  string
	query analytics.Query
}

// dashboardViews returns the default view and two filtered ones, with
// values taken from the organisation's latest round.
func dashboardViews(ctx context.Context, db *gorm.DB, org *survey.Organisation) ([]view, error) {
	d, err := analytics.LoadDashboard(ctx, db, org, analytics.Query{}, time.Now())
	if err != nil {
		return nil, err
	}
	base := "/orgs/" + org.Slug
	views := []view{{name: "default (latest round, whole organisation)", path: base}}
	sales := analytics.Group{}.With(analytics.DimFunction, roster.FunctionSales)
	views = append(views, view{name: "function=sales", path: base + "?function=sales", query: analytics.Query{Filter: sales}})
	ds, err := analytics.LoadDashboard(ctx, db, org, analytics.Query{Filter: sales}, time.Now())
	if err != nil {
		return nil, err
	}
	for _, b := range ds.Breakdowns {
		if b.Dim != analytics.DimTeam || len(b.Groups) == 0 || len(d.Rounds) < 2 {
			continue
		}
		team := b.Groups[0].Group.Team
		r := d.Rounds[len(d.Rounds)/2]
		v := url.Values{"function": {"sales"}, "team": {team}, "round": {fmt.Sprint(r.ID)}}
		views = append(views, view{name: "function=sales&team=" + team + ", an older round", path: base + "?" + v.Encode(),
			query: analytics.Query{RoundID: r.ID, Filter: sales.With(analytics.DimTeam, team)}})
	}
	return views, nil
}

// measureHTTP serves the real app on a local port and times GET requests
// of each view by a logged-in leader.
func measureHTTP(ctx context.Context, db *gorm.DB, org *survey.Organisation, views []view, o options, out io.Writer) error {
	app, err := site.New(webkit.Options{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL: &url.URL{Scheme: "http", Host: "127.0.0.1"}, Secret: []byte("dashbench"),
		// Measure the export, not the server's deadline (2 min for exports).
		RequestTimeout: o.timeout})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(app.Echo)
	defer srv.Close()
	client, err := leaderClient(ctx, db, org, srv.URL)
	if err != nil {
		return err
	}
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
	if o.save != "" {
		resp, err := client.Get(srv.URL + views[0].path)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.save, body, 0o644); err != nil {
			return err
		}
	}
	if o.exports {
		if err := measureExports(ctx, db, org, srv.URL, strings.Split(o.formats, ","), out); err != nil {
			return err
		}
	}
	for _, v := range views {
		for range o.warmup {
			if _, err := get(client, srv.URL+v.path); err != nil {
				return err
			}
		}
		times := make([]time.Duration, o.requests)
		size := 0
		for i := range times {
			t0 := time.Now()
			n, err := get(client, srv.URL+v.path)
			if err != nil {
				return err
			}
			times[i], size = time.Since(t0), n
		}
		fmt.Fprintf(out, "GET %s: %s (%d requests, %d KB page)\n", v.name, percentiles(times), o.requests, size/1024)
	}
	return nil
}

// leaderClient creates a leader of org with a session and returns an HTTP
// client carrying its cookie.
func leaderClient(ctx context.Context, db *gorm.DB, org *survey.Organisation, base string) (*http.Client, error) {
	const email = "dashbench@accord.invalid"
	var acc account.Account
	err := db.WithContext(ctx).Where("email = ?", email).Take(&acc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		a, err := account.CreateAccount(ctx, db, email, account.RoleLeader, account.GeneratePassword(), org.ID)
		if err != nil {
			return nil, err
		}
		acc = *a
	} else if err != nil {
		return nil, err
	}
	err = db.WithContext(ctx).Exec("INSERT INTO memberships (account_id, org_id) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM memberships WHERE account_id = ? AND org_id = ?)",
		acc.ID, org.ID, acc.ID, org.ID).Error
	if err != nil {
		return nil, err
	}
	token, err := account.CreateSession(ctx, db, acc.ID, time.Now())
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(base)
	jar.SetCookies(u, []*http.Cookie{{Name: "accord_session", Value: token, Path: "/"}})
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, nil
}

func get(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return len(b), nil
}

// compareRaw computes each view's dashboard from rollups and from raw
// answers, alternately, and reports medians and their ratio.
func compareRaw(ctx context.Context, db *gorm.DB, org *survey.Organisation, views []view, n int, out io.Writer) error {
	for _, v := range views {
		var fromRollups, fromRaw []time.Duration
		for range n {
			t0 := time.Now()
			if _, err := analytics.LoadDashboard(ctx, db, org, v.query, time.Now()); err != nil {
				return err
			}
			t1 := time.Now()
			if _, err := analytics.LoadDashboardRaw(ctx, db, org, v.query); err != nil {
				return err
			}
			fromRollups, fromRaw = append(fromRollups, t1.Sub(t0)), append(fromRaw, time.Since(t1))
		}
		a, b := median(fromRollups), median(fromRaw)
		fmt.Fprintf(out, "measures for %s: from rollups %s, from raw answers %s (median of %d): raw/rollups = %.0f×\n",
			v.name, a.Round(10*time.Microsecond), b.Round(time.Millisecond), n, float64(b)/float64(a))
	}
	return nil
}

func percentiles(ts []time.Duration) string {
	s := slices.Clone(ts)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("p50 %s, p95 %s, p99 %s, max %s", at(0.50).Round(10*time.Microsecond),
		at(0.95).Round(10*time.Microsecond), at(0.99).Round(10*time.Microsecond), s[len(s)-1].Round(10*time.Microsecond))
}

func median(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}

// measureExports downloads the anonymised responses of org in every
// format as an admin and reports the time to the first and the last byte.
func measureExports(ctx context.Context, db *gorm.DB, org *survey.Organisation, base string, formats []string, out io.Writer) error {
	const email = "dashbench-admin@accord.invalid"
	var acc account.Account
	err := db.WithContext(ctx).Where("email = ?", email).Take(&acc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		a, err := account.CreateAccount(ctx, db, email, account.RoleAdmin, account.GeneratePassword())
		if err != nil {
			return err
		}
		acc = *a
	} else if err != nil {
		return err
	}
	token, err := account.CreateSession(ctx, db, acc.ID, time.Now())
	if err != nil {
		return err
	}
	var responses int64
	if err := db.WithContext(ctx).Raw("SELECT COUNT(*) FROM responses WHERE org_id = ?", org.ID).Scan(&responses).Error; err != nil {
		return err
	}
	for _, format := range formats {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/orgs/"+org.Slug+"/export/responses?format="+format, nil)
		req.AddCookie(&http.Cookie{Name: "accord_session", Value: token})
		runtime.GC()
		debug.FreeOSMemory()
		resetPeakRSS()
		heap := sampleHeap()
		cpu0 := cpuTime()
		t0 := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		var first time.Duration
		buf := make([]byte, 32<<10)
		size := 0
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 && size == 0 {
				first = time.Since(t0)
			}
			size += n
			if err == io.EOF {
				break
			} else if err != nil {
				resp.Body.Close()
				return err
			}
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("export %s: status %d", format, resp.StatusCode)
		}
		last := time.Since(t0)
		fmt.Fprintf(out, "export responses %s (%d responses): first byte %s, last byte %s, %.1f MB; peak RSS %s, peak Go heap %.0f MB, CPU %s\n", format, responses,
			first.Round(time.Millisecond), last.Round(time.Millisecond), float64(size)/1e6, peakRSS(), float64(heap())/1e6,
			(cpuTime() - cpu0).Round(10*time.Millisecond))
	}
	return nil
}

// peakRSS is the process's peak resident memory (VmHWM) since the last
// resetPeakRSS, the server's included: it runs in this process.
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

// resetPeakRSS sets the process's peak resident memory to its current
// one (Linux 4.0 and later), so that each export's peak is its own.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// sampleHeap samples the Go heap's live and not yet swept objects every
// millisecond until the returned function is called, which returns the
// largest.
func sampleHeap() func() uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			max = maxOf(max, s[0].Value.Uint64())
			select {
			case <-done:
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-peak
	}
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// grow copies the organisation's responses and their answers, k times
// over, with new ids and edit keys, until it has at least n responses (a
// million on SQLite in 19.5 min at load 40, far less than accord demo
// would take). The copies fall in the same rounds and groups, so the
// rollups (their visibility decisions) stay valid for the export. undo
// deletes the copies.
func grow(ctx context.Context, db *gorm.DB, org *survey.Organisation, n int, out io.Writer) (undo func() error, err error) {
	q := db.WithContext(ctx)
	var have, maxID int64
	if err := q.Raw("SELECT COUNT(*) FROM responses WHERE org_id = ?", org.ID).Scan(&have).Error; err != nil {
		return nil, err
	}
	if err := q.Raw("SELECT COALESCE(MAX(id), 0) FROM responses").Scan(&maxID).Error; err != nil {
		return nil, err
	}
	undo = func() error {
		t0 := time.Now()
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("DELETE FROM answers WHERE response_id > ?", maxID).Error; err != nil {
				return err
			}
			return tx.Exec("DELETE FROM responses WHERE id > ?", maxID).Error
		})
		fmt.Fprintf(out, "copies deleted in %s\n", time.Since(t0).Round(time.Millisecond))
		return err
	}
	if have == 0 || have >= int64(n) {
		return undo, nil
	}
	copies := (int64(n)+have-1)/have - 1
	newKey := "randomblob(32)"
	if db.Dialector.Name() == database.Postgres {
		newKey = "decode(md5(random()::text) || md5(random()::text), 'hex')"
	}
	t0 := time.Now()
	for c := int64(1); c <= copies; c++ {
		off := c * maxID
		err := db.Transaction(func(tx *gorm.DB) error {
			err := tx.Exec(`INSERT INTO responses (id, org_id, round_id, edit_key, function, team, region, tenure_band, language, submitted_on)
SELECT id + ?, org_id, round_id, `+newKey+`, function, team, region, tenure_band, language, submitted_on
FROM responses WHERE org_id = ? AND id <= ?`, off, org.ID, maxID).Error
			if err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO answers (response_id, question_id, value, text)
SELECT a.response_id + ?, a.question_id, a.value, a.text
FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.org_id = ? AND r.id <= ?`, off, org.ID, maxID).Error
		})
		if err != nil {
			return undo, fmt.Errorf("copy %d of the responses: %w", c, err)
		}
	}
	if db.Dialector.Name() == database.Postgres {
		if err := q.Exec("SELECT setval(pg_get_serial_sequence('responses', 'id'), (SELECT MAX(id) FROM responses))").Error; err != nil {
			return undo, err
		}
	}
	fmt.Fprintf(out, "organisation %s grown from %d to %d responses (%d copies) in %s\n", org.Slug, have, have*(copies+1), copies,
		time.Since(t0).Round(time.Millisecond))
	return undo, nil
}

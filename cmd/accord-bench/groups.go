package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// group is a set of rows measured together (they share a data set).
type group struct {
	name string
	run  func(context.Context, *bench) ([]row, error)
}

var groups = []group{
	{"startup", startup},
	{"demo", demoRows},
	{"dashboard", dashboardRows},
	{"exports", exportRows},
	{"portfolio", portfolioRows},
	{"fanout", fanoutRows},
	{"respondents", respondentRows},
	{"firstbuild", firstBuildRows},
}

// startup starts the built accord on a fresh SQLite file once (it
// migrates), then three times on the existing file, and reports the median
// time to the first 200 from /readyz and the resident memory 3 s after
// the last start.
func startup(ctx context.Context, b *bench) ([]row, error) {
	dir := filepath.Join(b.work, "startup")
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	env := b.env("sqlite:"+filepath.Join(dir, "accord.db"), "startup")
	var times []time.Duration
	var rss float64
	for i := range 4 {
		s, took, err := b.startServer(ctx, env)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			times = append(times, took)
		}
		if i == 3 {
			time.Sleep(3 * time.Second)
			rss, err = s.rss()
		}
		s.stop()
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(times)
	med := times[len(times)/2]
	return []row{
		{Measure: "start to /readyz 200 (SQLite, existing database; median of 3)", Value: ms(med), Target: "< 150 ms", Met: met(med < 150*time.Millisecond)},
		{Measure: "idle memory 3 s after start (SQLite, VmRSS)", Value: fmt.Sprintf("%.0f MB", rss), Target: "< 40 MB", Met: met(rss < 40)},
	}, nil
}

// demoRows time accord demo on a fresh SQLite file and a fresh PostgreSQL
// database; the PostgreSQL set stays for the dashboard and portfolio rows.
func demoRows(ctx context.Context, b *bench) ([]row, error) {
	s := b.s
	size := fmt.Sprintf("%d × %d × %d", s.demoOrgs, s.demoPeople, s.demoRounds)
	file := filepath.Join(b.work, "demo.db")
	for _, f := range []string{file, file + "-wal", file + "-shm"} {
		os.Remove(f)
	}
	b.logf("accord demo on SQLite (%s)", size)
	start := time.Now()
	_, err := b.run(ctx, b.env("sqlite:"+file, "demo-sqlite"), b.bin["accord"], "demo", "--orgs", fmt.Sprint(s.demoOrgs),
		"--people", fmt.Sprint(s.demoPeople), "--rounds", fmt.Sprint(s.demoRounds), "--seed", "1")
	if err != nil {
		return nil, err
	}
	sqlite := time.Since(start)
	for _, f := range []string{file, file + "-wal", file + "-shm"} {
		os.Remove(f)
	}
	_, pg, err := b.dataset(ctx, "demo", s.demoOrgs, s.demoPeople, s.demoRounds, true)
	if err != nil {
		return nil, err
	}
	return []row{
		{Measure: "accord demo " + size + ", SQLite (rollups included)", Value: secs(sqlite), Target: "< 30 s", Met: met(sqlite < 30*time.Second)},
		{Measure: "accord demo " + size + ", PostgreSQL (rollups included)", Value: secs(pg), Target: "< 60 s", Met: met(pg < 60*time.Second)},
	}, nil
}

func secs(d time.Duration) string {
	if d >= time.Minute {
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// bigOrg is the big organisation's data set: one organisation of
// bigPeople people with bigRounds closed rounds (and one open).
func (b *bench) bigOrg(ctx context.Context) (string, string, error) {
	u, _, err := b.dataset(ctx, "bigorg", 1, b.s.bigPeople, b.s.bigRounds, false)
	return u, b.dbName(fmt.Sprintf("bigorg_%dx%dx%d", 1, b.s.bigPeople, b.s.bigRounds)), err
}

func (b *bench) demoSet(ctx context.Context) (string, string, error) {
	s := b.s
	u, _, err := b.dataset(ctx, "demo", s.demoOrgs, s.demoPeople, s.demoRounds, false)
	return u, b.dbName(fmt.Sprintf("demo_%dx%dx%d", s.demoOrgs, s.demoPeople, s.demoRounds)), err
}

var (
	dashP95Re = regexp.MustCompile(`GET default[^:]*: p50 [^,]+, p95 ([0-9.]+)(µs|ms|s)`)
	rawRe     = regexp.MustCompile(`measures for default[^:]*: from rollups ([^,]+), from raw answers ([^ ]+) \(median of \d+\): raw/rollups = ([0-9.]+)×`)
	pageRe    = regexp.MustCompile(`GET default.*\(\d+ requests, (\d+) KB page\)`)
)

// dashboardRows measure the big organisation's dashboard and the demo
// set's (issue 12), each with its raw-vs-rollups ratio.
func dashboardRows(ctx context.Context, b *bench) ([]row, error) {
	var rows []row
	for _, set := range []struct {
		label  string
		target time.Duration
		load   func(context.Context) (string, string, error)
	}{
		{fmt.Sprintf("dashboard p95, big organisation (%d people, %d rounds)", b.s.bigPeople, b.s.bigRounds), 30 * time.Millisecond, b.bigOrg},
		{fmt.Sprintf("dashboard p95, demo set %d × %d × %d (issue 12)", b.s.demoOrgs, b.s.demoPeople, b.s.demoRounds), 50 * time.Millisecond, b.demoSet},
	} {
		u, name, err := set.load(ctx)
		if err != nil {
			return rows, err
		}
		b.logf("accord-dashbench on %s", name)
		out, err := b.run(ctx, b.env(u, name), b.bin["accord-dashbench"], "--requests", fmt.Sprint(b.s.dashRequests),
			"--raw", fmt.Sprint(b.s.rawRepeats), "--recompute=false")
		if err != nil {
			return rows, err
		}
		r, err := parseDashbench(out, set.label, set.target)
		if err != nil {
			return rows, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// parseDashbench reads accord-dashbench's default view: p95, page size and
// the raw-vs-rollups comparison.
func parseDashbench(out, label string, target time.Duration) (row, error) {
	m := dashP95Re.FindStringSubmatch(out)
	if m == nil {
		return row{}, fmt.Errorf("no p95 in accord-dashbench's output:\n%s", tail(out, 800))
	}
	p95 := duration(m[1], m[2])
	r := row{Measure: label, Value: ms(p95), Target: fmt.Sprintf("< %s", ms(target)), Met: met(p95 < target)}
	if pm := pageRe.FindStringSubmatch(out); pm != nil {
		r.Value += ", " + pm[1] + " KB page"
	}
	if rm := rawRe.FindStringSubmatch(out); rm != nil {
		r.Reference = "same measures from rollups " + rm[1] + ", from raw answers " + rm[2]
		r.Ratio = "raw ÷ rollups " + rm[3] + "×"
	}
	return r, nil
}

func duration(v, unit string) time.Duration {
	f, _ := strconv.ParseFloat(v, 64)
	switch unit {
	case "µs":
		return time.Duration(f * float64(time.Microsecond))
	case "ms":
		return time.Duration(f * float64(time.Millisecond))
	}
	return time.Duration(f * float64(time.Second))
}

var exportRe = regexp.MustCompile(`export responses (\w+)(?: \((\d+) responses\))?: first byte ([0-9.]+)(µs|ms|s), last byte ([0-9.]+)(µs|ms|s), ([0-9.]+) MB(?:; peak RSS (\d+) kB, peak Go heap (\d+ MB), CPU ([^\n]+))?`)

// exportRows download the big organisation's anonymised responses in
// every format, then again after copying its responses up to a million
// (accord-dashbench --grow, the copies deleted afterwards), each with the
// peak memory of the serving process.
func exportRows(ctx context.Context, b *bench) ([]row, error) {
	u, name, err := b.bigOrg(ctx)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, grow := range []int{0, b.s.exportGrow} {
		out, err := b.run(ctx, b.env(u, name), b.bin["accord-dashbench"], "--requests", "1", "--warmup", "0", "--raw", "0",
			"--recompute=false", "--exports", "--grow", fmt.Sprint(grow))
		if err != nil {
			return rows, err
		}
		r, err := parseExports(out, b.s.bigPeople)
		if err != nil {
			return rows, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

func parseExports(out string, people int) ([]row, error) {
	var rows []row
	for _, m := range exportRe.FindAllStringSubmatch(out, -1) {
		first, last := duration(m[3], m[4]), duration(m[5], m[6])
		value := fmt.Sprintf("first byte %s, last byte %s (%s MB)", ms(first), ms(last), m[7])
		if m[8] != "" {
			kb, _ := strconv.Atoi(m[8])
			value += fmt.Sprintf(", peak RSS %d MB, peak Go heap %s, CPU %s", kb/1024, m[9], m[10])
		}
		size := fmt.Sprintf("%d people", people)
		if m[2] != "" {
			size = m[2] + " responses"
		}
		r := row{Measure: fmt.Sprintf("anonymised responses export, %s (%s)", strings.ToUpper(m[1]), size), Value: value}
		switch m[1] {
		case "csv":
			r.Target, r.Met = "last byte < 1 s at ~100k responses, streamed", met(first < 200*time.Millisecond)
			if n, _ := strconv.Atoi(m[2]); n <= 200_000 {
				r.Met = met(last < time.Second && first < 200*time.Millisecond)
			}
		case "xlsx":
			r.Target, r.Met = "first byte < 200 ms", met(first < 200*time.Millisecond)
		default:
			r.Target, r.Met = "streamed (first byte < 200 ms)", met(first < 200*time.Millisecond)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no export figures in accord-dashbench's output:\n%s", tail(out, 800))
	}
	return rows, nil
}

var (
	portfolioP95Re  = regexp.MustCompile(`GET /portfolio: p50 [^,]+, p95 ([0-9.]+)(µs|ms|s)`)
	portfolioXLSXRe = regexp.MustCompile(`GET /portfolio/export\?format=xlsx: ([0-9.]+)(ms|s|m[0-9.]+s), ([0-9.]+) MB`)
)

// portfolioRows measure /portfolio and its XLSX export on the demo set.
func portfolioRows(ctx context.Context, b *bench) ([]row, error) {
	u, name, err := b.demoSet(ctx)
	if err != nil {
		return nil, err
	}
	out, err := b.run(ctx, b.env(u, name), b.bin["accord-portfoliobench"], "--requests", fmt.Sprint(b.s.portfolioRequests))
	if err != nil {
		return nil, err
	}
	return parsePortfolio(out, b.s.demoOrgs)
}

func parsePortfolio(out string, orgs int) ([]row, error) {
	m := portfolioP95Re.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("no p95 in accord-portfoliobench's output:\n%s", tail(out, 800))
	}
	p95 := duration(m[1], m[2])
	rows := []row{{Measure: fmt.Sprintf("portfolio p95 (%d organisations)", orgs), Value: ms(p95), Target: "< 25 ms", Met: met(p95 < 25*time.Millisecond)}}
	if x := portfolioXLSXRe.FindStringSubmatch(out); x != nil {
		d, err := time.ParseDuration(x[1] + x[2])
		if err != nil {
			return rows, err
		}
		rows = append(rows, row{Measure: "portfolio XLSX export", Value: fmt.Sprintf("%s (%s MB)", secs(d), x[3]), Target: "< 10 s", Met: met(d < 10*time.Second)})
	}
	return rows, nil
}

var fanoutRe = regexp.MustCompile(`(?m)^(\w+)\s+outbox/bare throughput ratio: ([0-9.]+)`)

// fanoutRows run accord-mailbench on SQLite and PostgreSQL.
func fanoutRows(ctx context.Context, b *bench) ([]row, error) {
	u, err := b.freshDB(ctx, b.dbName("mail"))
	if err != nil {
		return nil, err
	}
	out, err := b.run(ctx, b.env("", "mail"), b.bin["accord-mailbench"], "--n", fmt.Sprint(b.s.mails), "--db", "sqlite,"+u, "--mailpit", b.o.mailpit)
	if err != nil {
		return nil, err
	}
	return parseFanout(out, b.s.mails)
}

func parseFanout(out string, n int) ([]row, error) {
	var rows []row
	for _, m := range fanoutRe.FindAllStringSubmatch(out, -1) {
		ratio, _ := strconv.ParseFloat(m[2], 64)
		rows = append(rows, row{Measure: fmt.Sprintf("invitation fan-out, %d into Mailpit, %s", n, m[1]), Value: "outbox",
			Reference: "bare go-mail loop", Ratio: m[2] + "×", Target: "≥ 0.8×, 0 duplicates", Met: met(ratio >= 0.8)})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no ratio in accord-mailbench's output:\n%s", tail(out, 800))
	}
	return rows, nil
}

var (
	loadHTTPRe  = regexp.MustCompile(`(?m)^http\s+(\d+)\s+\d+\s+(\d+)`)
	loadPgRe    = regexp.MustCompile(`(?m)^pgbench\s+(\d+)\s+\d+\s+(\d+)`)
	loadRatioRe = regexp.MustCompile(`(?m)^\s+(\d+) ratio http/pgbench = ([0-9.]+)`)
)

// respondentRows start accord serve on a fresh PostgreSQL database and run
// accord-load (GET form, POST, GET thank-you page) against it with pgbench
// in the same run, --runs times in a row.
func respondentRows(ctx context.Context, b *bench) ([]row, error) {
	name := b.dbName("load")
	u, err := b.freshDB(ctx, name)
	if err != nil {
		return nil, err
	}
	env := b.env(u, name)
	s, _, err := b.startServer(ctx, env)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	type level struct {
		ratios       []string
		worst        float64
		http, pgbase []string
	}
	levels := map[string]*level{}
	var order []string
	for i := range b.o.runs {
		b.logf("accord-load run %d of %d", i+1, b.o.runs)
		out, err := b.run(ctx, env, "go", "-C", "cmd/accord-load", "run", ".", "--url", "http://"+s.addr, "--clients", "8,32",
			"--duration", b.s.loadDuration, "--respondents", fmt.Sprint(b.s.respondents), "--pgbench")
		if err != nil {
			return nil, err
		}
		https, pgs, ratios := loadHTTPRe.FindAllStringSubmatch(out, -1), loadPgRe.FindAllStringSubmatch(out, -1), loadRatioRe.FindAllStringSubmatch(out, -1)
		if len(ratios) == 0 || len(https) != len(ratios) || len(pgs) != len(ratios) {
			return nil, fmt.Errorf("unexpected accord-load output:\n%s", tail(out, 800))
		}
		for j, m := range ratios {
			l := levels[m[1]]
			if l == nil {
				l = &level{worst: 1e9}
				levels[m[1]] = l
				order = append(order, m[1])
			}
			r, _ := strconv.ParseFloat(m[2], 64)
			l.ratios, l.worst = append(l.ratios, m[2]), min(l.worst, r)
			l.http, l.pgbase = append(l.http, https[j][2]), append(l.pgbase, pgs[j][2])
		}
	}
	var rows []row
	for _, c := range order {
		l := levels[c]
		rows = append(rows, row{Measure: fmt.Sprintf("respondents/s over HTTP (form, submit, thank-you page), %s clients, PostgreSQL", c),
			Value: strings.Join(l.http, ", "), Reference: "pgbench tx/s " + strings.Join(l.pgbase, ", "), Ratio: strings.Join(l.ratios, ", "),
			Target: fmt.Sprintf("≥ 0.6× in each of %d runs", b.o.runs), Met: met(l.worst >= 0.6)})
	}
	return rows, nil
}

var (
	elapsedRe = regexp.MustCompile(`Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)`)
	maxRSSRe  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
)

// firstBuildRows build accord with empty module and build caches under
// /usr/bin/time -v.
func firstBuildRows(ctx context.Context, b *bench) ([]row, error) {
	dir, err := os.MkdirTemp("", "accord-first-build-")
	if err != nil {
		return nil, err
	}
	defer func() {
		exec.Command("chmod", "-R", "u+w", dir).Run() // the module cache is read-only
		os.RemoveAll(dir)
	}()
	cmd := exec.CommandContext(ctx, "/usr/bin/time", "-v", "go", "build", "-o", filepath.Join(dir, "accord"), "./cmd/accord")
	cmd.Env = append(os.Environ(), "GOMODCACHE="+filepath.Join(dir, "mod"), "GOCACHE="+filepath.Join(dir, "cache"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("first build: %w\n%s", err, tail(string(out), 800))
	}
	e, r := elapsedRe.FindSubmatch(out), maxRSSRe.FindSubmatch(out)
	if e == nil || r == nil {
		return nil, fmt.Errorf("no figures from /usr/bin/time:\n%s", tail(string(out), 800))
	}
	kb, _ := strconv.Atoi(string(r[1]))
	d := clock(string(e[1]))
	return []row{{Measure: "first build of accord (empty module and build caches)", Value: fmt.Sprintf("%s, peak %d MB", secs(d), kb/1024),
		Target: "< 3 min, < 1 GB", Met: met(d < 3*time.Minute && kb < 1<<20)}}, nil
}

// clock parses /usr/bin/time's h:mm:ss or m:ss.ss.
func clock(s string) time.Duration {
	var d time.Duration
	for _, p := range strings.Split(s, ":") {
		f, _ := strconv.ParseFloat(p, 64)
		d = d*60 + time.Duration(f*float64(time.Second))
	}
	return d
}

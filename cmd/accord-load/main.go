// Command accord-load drives a running Accord server the way respondents do:
// each virtual respondent opens its own link (GET the form), submits answers
// (POST) and follows the redirect to the thank-you page (GET), as a browser
// does, at several concurrency levels for a fixed time. It prints
// responses per second, latency percentiles and errors and, with --pgbench,
// runs the equivalent minimal database transaction through pgbench in the
// same session so the two rates can be compared.
//
//	ACCORD_DATABASE_URL=postgres://… accord-load --url http://127.0.0.1:8080 --clients 8,32 --duration 20s --pgbench
//
// It prepares its own data in the server's database (ACCORD_DATABASE_URL): a
// fresh organisation with --respondents people and one open round, so every
// virtual respondent has a link of its own.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "accord-load:", err)
		os.Exit(1)
	}
}

type options struct {
	baseURL     string
	clients     []int
	duration    time.Duration
	respondents int
	warmup      time.Duration
	threads     int
	pgbench     bool
	databaseURL string
}

func parseFlags(args []string, getenv func(string) string) (options, error) {
	fs := flag.NewFlagSet("accord-load", flag.ContinueOnError)
	o := options{databaseURL: getenv("ACCORD_DATABASE_URL")}
	fs.StringVar(&o.baseURL, "url", "http://127.0.0.1:8080", "base URL of the running Accord server")
	clients := fs.String("clients", "8,32", "comma-separated concurrency levels")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long each level runs")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "how long each level runs unmeasured first (connections, caches)")
	fs.IntVar(&o.respondents, "respondents", 30000, "people invited to the load round (links are used once each, then reused as edits)")
	fs.IntVar(&o.threads, "threads", 1, "threads running the generator (GOMAXPROCS), like pgbench -j: one keeps it from taking CPU the server needs")
	fs.BoolVar(&o.pgbench, "pgbench", false, "also run the equivalent transaction with pgbench (PostgreSQL only)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, s := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1024 {
			return o, fmt.Errorf("--clients: %q is not a number of clients between 1 and 1024", s)
		}
		o.clients = append(o.clients, n)
	}
	if o.duration < time.Second || o.duration > 10*time.Minute {
		return o, fmt.Errorf("--duration must be between 1s and 10m")
	}
	if o.threads < 1 || o.threads > 64 {
		return o, fmt.Errorf("--threads must be between 1 and 64")
	}
	if o.warmup < 0 || o.warmup > time.Minute {
		return o, fmt.Errorf("--warmup must be between 0s and 1m")
	}
	if o.respondents < 1 || o.respondents > 1_000_000 {
		return o, fmt.Errorf("--respondents must be between 1 and 1000000")
	}
	return o, nil
}

func run(ctx context.Context, args []string, out io.Writer, getenv func(string) string) error {
	o, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(o.threads)
	fix, err := prepare(ctx, o.databaseURL, o.respondents)
	if err != nil {
		return err
	}
	defer fix.close()
	fmt.Fprintf(out, "prepared %d respondent links in round %d (%s)\n\n", len(fix.tokens), fix.roundID, fix.dialect)
	fmt.Fprintf(out, "%-10s %8s %10s %9s %9s %9s %9s %7s\n", "load", "clients", "responses", "resp/s", "p50", "p95", "p99", "errors")
	pool := newTokenPool(fix.tokens)
	for _, c := range o.clients {
		client := newClient(c)
		if o.warmup > 0 {
			drive(ctx, client, o.baseURL, pool, c, o.warmup)
		}
		res := drive(ctx, client, o.baseURL, pool, c, o.duration)
		client.CloseIdleConnections()
		res.print(out, "http", c)
		if o.pgbench {
			pg, err := runPgbench(ctx, fix, c, o.duration)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%-10s %8d %10d %9.0f %9s %9s %9s %7d\n", "pgbench", c, pg.transactions, pg.tps, "-", "-", "-", pg.failed)
			fmt.Fprintf(out, "%-10s %8d ratio http/pgbench = %.2f\n", "", c, res.rate()/pg.tps)
		}
	}
	if pool.reused() > 0 {
		fmt.Fprintf(out, "\nnote: %d submissions reused a link (answer changes), raise --respondents to avoid it\n", pool.reused())
	}
	return nil
}

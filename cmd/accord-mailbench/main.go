// Command accord-mailbench measures invitation fan-out: it enqueues --n
// messages in one transaction through Accord's durable outbox, lets the
// River worker deliver them over SMTP into Mailpit, and reports wall time,
// messages per second and duplicate deliveries (counted by Message-ID in
// Mailpit; there must be none). In the same run it sends the same messages
// with a bare go-mail loop over one connection to the same Mailpit, for the
// ratio between the two.
//
//	accord-mailbench --n 10000 --db sqlite,postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//
// It starts its own Mailpit (--mailpit, default $(go env GOPATH)/bin/mailpit,
// from `go install github.com/axllent/mailpit@v1.33.1`) with --max 0, unless
// --smtp and --api point at a running one: that one must keep every message,
// so start it as `mailpit --max 0` (by default Mailpit keeps only its newest
// 500 and the count of arrivals fails, which the tool then says). On PostgreSQL it works in
// a fresh schema that it drops afterwards; on SQLite in a temporary file.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"

	"accord/survey/mail"
	"accord/survey/mail/mailtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accord-mailbench:", err)
		os.Exit(1)
	}
}

type options struct {
	n            int
	dbs          []string
	mailpit      string
	smtpAddr     string
	apiAddr      string
	workers      int
	conns        int
	rate         float64
	pollInterval time.Duration
	cooldown     time.Duration
	cpuProfile   string
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("accord-mailbench", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.n, "n", 10000, "messages to fan out")
	dbs := fs.String("db", "sqlite", "comma-separated databases to measure: sqlite (a temporary file) and/or postgres://… URLs")
	fs.StringVar(&o.mailpit, "mailpit", "", "mailpit binary to start (default: $ACCORD_TEST_MAILPIT or $(go env GOPATH)/bin/mailpit)")
	fs.StringVar(&o.smtpAddr, "smtp", "", "host:port of a running Mailpit's SMTP server (with --api; nothing is started; that Mailpit must run with --max 0)")
	fs.StringVar(&o.apiAddr, "api", "", "host:port of that Mailpit's web API")
	fs.IntVar(&o.workers, "workers", mail.DefaultWorkers, "deliveries in flight at once (the outbox's Workers)")
	fs.IntVar(&o.conns, "conns", mail.DefaultSMTPConns, "SMTP connections kept open by the outbox")
	fs.Float64Var(&o.rate, "rate", 0, "sending rate limit in messages per second (0: none, to measure the machinery)")
	fs.DurationVar(&o.pollInterval, "poll", 0, "outbox poll interval (0: the production default)")
	fs.DurationVar(&o.cooldown, "cooldown", 0, "shortest time between two fetches of work (0: the production default)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the outbox runs to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.n < 1 || o.n > 1_000_000 {
		return o, fmt.Errorf("--n must be between 1 and 1000000")
	}
	if (o.smtpAddr == "") != (o.apiAddr == "") {
		return o, fmt.Errorf("--smtp and --api go together")
	}
	for _, d := range strings.Split(*dbs, ",") {
		if d = strings.TrimSpace(d); d != "" {
			o.dbs = append(o.dbs, d)
		}
	}
	return o, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	mp, stop, err := startMailpit(ctx, o)
	if err != nil {
		return err
	}
	defer stop()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintf(out, "fan-out of %d messages into Mailpit at %s (workers %d, SMTP connections %d, rate %s)\n\n",
		o.n, mp.SMTPAddr, o.workers, o.conns, rateText(o.rate))
	fmt.Fprintf(out, "%-10s %-16s %10s %10s %12s %11s\n", "database", "sender", "enqueue", "wall", "messages/s", "duplicates")
	for _, raw := range o.dbs {
		res, err := measure(ctx, o, raw, mp)
		if err != nil {
			return err
		}
		res.print(out)
	}
	return nil
}

func rateText(r float64) string {
	if r == 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%g/s", r)
}

// startMailpit starts a Mailpit of our own, or connects to the one given.
func startMailpit(ctx context.Context, o options) (*mailtest.Mailpit, func(), error) {
	if o.smtpAddr != "" {
		mp := mailtest.Connect(o.smtpAddr, o.apiAddr)
		return mp, func() {}, nil
	}
	bin := o.mailpit
	if bin == "" {
		var err error
		if bin, err = mailtest.Binary(); err != nil {
			return nil, nil, err
		}
	}
	dir, err := os.MkdirTemp("", "accord-mailbench-")
	if err != nil {
		return nil, nil, err
	}
	mp, err := mailtest.Run(ctx, bin, "", dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return mp, func() { mp.Stop(); os.RemoveAll(dir) }, nil
}

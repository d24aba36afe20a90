// Command accord-bench runs every measure of Accord's performance table
// (README, Performance) in one go and prints one table: each measure, its
// value, its reference measured in the same run where there is one
// (pgbench, a bare go-mail loop, the dashboard from raw answers), the
// ratio, the target and whether it is met, with the machine's load average
// before and after.
//
//	go run ./cmd/accord-bench --postgres postgres://postgres@127.0.0.1:5432/accord?sslmode=disable
//	go run ./cmd/accord-bench --quick --only dashboard,exports   # a smoke run on small data
//
// It builds the accord binary and the other benchmark commands
// (accord-dashbench, accord-portfoliobench, accord-mailbench; accord-load
// runs as `go -C cmd/accord-load run .`) and runs each as a process of its
// own, as a person would. It needs, depending on the rows selected:
//
//   - PostgreSQL (--postgres or ACCORD_BENCH_POSTGRES_URL, else
//     ACCORD_TEST_POSTGRES_URL) with a role that may create databases: it
//     creates <database>_bench_* next to the one named and drops them at the
//     end unless --keep (a kept data set is reused by the next run);
//   - pgbench on the PATH (the respondents row);
//   - the mailpit binary (--mailpit, ACCORD_TEST_MAILPIT or
//     $(go env GOPATH)/bin/mailpit; `go install github.com/axllent/mailpit@v1.33.1`)
//     for the fan-out row, which starts its own Mailpit with --max 0.
//
// It must run from the root of the accord module.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "accord-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out, log io.Writer, getenv func(string) string) error {
	o, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run it from the root of the accord module (where go.mod is)")
	}
	b, err := newBench(ctx, o, log)
	if err != nil {
		return err
	}
	defer b.cleanup()
	t := &table{LoadBefore: loadAverage(), Quick: o.quick}
	start := time.Now()
	for _, g := range groups {
		if !o.selected(g.name) {
			continue
		}
		b.logf("== %s", g.name)
		rows, err := g.run(ctx, b)
		if err != nil {
			// One failing measure does not lose the others: its row says why.
			b.logf("%s: %v", g.name, err)
			rows = append(rows, row{Measure: g.name, Value: "failed: " + firstLine(err.Error())})
		}
		t.Rows = append(t.Rows, rows...)
		if ctx.Err() != nil {
			break
		}
	}
	t.LoadAfter, t.Elapsed = loadAverage(), time.Since(start)
	t.print(out)
	return ctx.Err()
}

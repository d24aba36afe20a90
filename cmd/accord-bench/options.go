package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// options are the command's flags, with defaults from the environment.
type options struct {
	postgres   string
	mailpit    string
	only       []string
	quick      bool
	firstBuild bool
	keep       bool
	work       string
	runs       int
}

// groupNames are the rows --only selects, in the order they run.
var groupNames = []string{"startup", "demo", "dashboard", "exports", "portfolio", "fanout", "respondents", "firstbuild"}

func parseFlags(args []string, getenv func(string) string) (options, error) {
	fs := flag.NewFlagSet("accord-bench", flag.ContinueOnError)
	o := options{postgres: getenv("ACCORD_BENCH_POSTGRES_URL")}
	if o.postgres == "" {
		o.postgres = getenv("ACCORD_TEST_POSTGRES_URL")
	}
	o.mailpit = getenv("ACCORD_TEST_MAILPIT")
	if o.mailpit == "" {
		if gopath := getenv("GOPATH"); gopath != "" {
			o.mailpit = filepath.Join(gopath, "bin", "mailpit")
		} else if home := getenv("HOME"); home != "" {
			o.mailpit = filepath.Join(home, "go", "bin", "mailpit")
		}
	}
	fs.StringVar(&o.postgres, "postgres", o.postgres, "PostgreSQL URL whose server holds the benchmark databases (default $ACCORD_BENCH_POSTGRES_URL, else $ACCORD_TEST_POSTGRES_URL)")
	fs.StringVar(&o.mailpit, "mailpit", o.mailpit, "mailpit binary for the fan-out row (default $ACCORD_TEST_MAILPIT, else $GOPATH/bin/mailpit)")
	only := fs.String("only", "", "comma-separated rows to run (default all but firstbuild): "+strings.Join(groupNames, ","))
	fs.BoolVar(&o.quick, "quick", false, "small data sets and short runs: a smoke run in a few minutes, not the targets' sizes")
	fs.BoolVar(&o.firstBuild, "first-build", false, "also time a first build of accord with empty module and build caches (downloads every module)")
	fs.BoolVar(&o.keep, "keep", false, "keep the benchmark databases (a later run reuses them instead of generating them again)")
	fs.StringVar(&o.work, "work", "", "directory for binaries and SQLite files (default: a temporary one, removed at the end)")
	fs.IntVar(&o.runs, "runs", 3, "consecutive runs of the respondents benchmark (the target must hold in each)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !slices.Contains(groupNames, s) {
			return o, fmt.Errorf("--only: unknown row %q (rows: %s)", s, strings.Join(groupNames, ", "))
		}
		o.only = append(o.only, s)
	}
	if slices.Contains(o.only, "firstbuild") {
		o.firstBuild = true
	}
	if o.runs < 1 || o.runs > 10 {
		return o, errors.New("--runs must be between 1 and 10")
	}
	return o, nil
}

// selected reports whether the row group name runs.
func (o options) selected(name string) bool {
	if name == "firstbuild" {
		return o.firstBuild
	}
	return len(o.only) == 0 || slices.Contains(o.only, name)
}

// needsPostgres reports whether a selected row uses PostgreSQL.
func (o options) needsPostgres() bool {
	for _, g := range []string{"demo", "dashboard", "exports", "portfolio", "fanout", "respondents"} {
		if o.selected(g) {
			return true
		}
	}
	return false
}

// check says plainly what a selected row needs and is missing.
func (o options) check() error {
	var missing []string
	if o.needsPostgres() && o.postgres == "" {
		missing = append(missing, "a PostgreSQL URL: --postgres postgres://user@host:5432/db?sslmode=disable "+
			"(or ACCORD_BENCH_POSTGRES_URL); its role must be allowed to CREATE DATABASE")
	}
	if o.selected("respondents") {
		if _, err := exec.LookPath("pgbench"); err != nil {
			missing = append(missing, "pgbench on the PATH for the respondents row (Debian: apt-get install postgresql-client)")
		}
	}
	if o.selected("fanout") {
		if _, err := os.Stat(o.mailpit); o.mailpit == "" || err != nil {
			missing = append(missing, fmt.Sprintf("the mailpit binary for the fanout row (looked for %q): "+
				"go install github.com/axllent/mailpit@v1.33.1, or --mailpit PATH", o.mailpit))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing for the rows selected (or leave those rows out with --only):\n  - %s", strings.Join(missing, "\n  - "))
	}
	return nil
}

// sizes are the data sets and run lengths, full or --quick.
type sizes struct {
	demoOrgs, demoPeople, demoRounds int // the demo set (issue 12's 100 × 200 × 40)
	bigPeople, bigRounds             int // the big organisation
	exportGrow                       int // its responses copied up to this many for the exports' second run
	dashRequests, rawRepeats         int
	portfolioRequests                int
	mails                            int
	loadDuration                     string
	respondents                      int
}

func (o options) sizes() sizes {
	if o.quick {
		return sizes{demoOrgs: 10, demoPeople: 50, demoRounds: 5, bigPeople: 600, bigRounds: 5, exportGrow: 25000,
			dashRequests: 30, rawRepeats: 1, portfolioRequests: 30, mails: 500, loadDuration: "5s", respondents: 20000}
	}
	return sizes{demoOrgs: 100, demoPeople: 200, demoRounds: 40, bigPeople: 6000, bigRounds: 20, exportGrow: 1_000_000,
		dashRequests: 300, rawRepeats: 5, portfolioRequests: 300, mails: 10000, loadDuration: "30s", respondents: 150000}
}

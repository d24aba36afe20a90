// Command accord runs Accord: the web server, its migrations, demo data and
// account management. Configuration comes from ACCORD_* environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/secrets"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Main is the program with its environment made explicit, so tests can run
// subcommands in-process.
type Main struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Environ lists the environment, to warn about unknown ACCORD_*
	// variables; nil skips the check.
	Environ func() []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Args: os.Args[1:], Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ}
	if err := m.Run(ctx); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "accord:", err)
		}
		os.Exit(1)
	}
}

const usage = `Usage: accord <command> [flags]

Commands:
  serve [--demo]                 run the web server (the default command)
  migrate                        apply pending database migrations and exit
  demo [--orgs N] [--people N] [--rounds N] [--seed S]
                                 generate demo organisations, rosters and rounds
  user add --email E --role admin|consultant|leader [--org SLUG]
                                 create an account (password from stdin, or generated)
  org add --name NAME [--slug SLUG] [--timezone TZ] [--min-group N] [--language LANG]
                                 create an organisation and print its slug
  user password --email E        reset a password (from stdin, or generated and printed once)
  people import --org SLUG FILE.csv
                                 add and update people from a roster CSV (all or nothing)
  round open --org SLUG [--title T] [--closes-in DURATION]
                                 open a round for the active roster now; its invitations are
                                 queued for a running server to send (DURATION: 7d, 36h, …)
  round close --org SLUG         close the open round now and compute its results
  report (--org SLUG | --all) --format html|pdf|csv|xlsx|json -o FILE [--round ID]
                                 write a benchmark report (html, pdf) or aggregates (csv, xlsx, json)
  backup -o FILE                 write a consistent copy of the embedded SQLite database (while it runs)
  version                        print the version

Configuration comes from ACCORD_* environment variables; see README.md.
`

// Run dispatches to a subcommand.
func (m *Main) Run(ctx context.Context) error {
	cmd, args := "serve", m.Args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if m.Environ != nil {
		warnUnknownVariables(m.Stderr, m.Environ())
	}
	switch cmd {
	case "serve":
		return m.serve(ctx, args)
	case "migrate":
		return m.migrate(ctx, args)
	case "demo":
		return m.demo(ctx, args)
	case "user":
		return m.user(ctx, args)
	case "org":
		return m.org(ctx, args)
	case "people":
		return m.people(ctx, args)
	case "round":
		return m.round(ctx, args)
	case "report":
		return m.report(ctx, args)
	case "backup":
		return m.backup(ctx, args)
	case "version":
		fmt.Fprintln(m.Stdout, "accord", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// flagSet returns a FlagSet that reports errors to Stderr instead of exiting.
func (m *Main) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("accord "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// logger builds the process logger from the configuration. Repeats of one
// error are written once per repeatInterval with a count (an outage fails
// every request the same way).
func (m *Main) logger(cfg Config) *slog.Logger {
	var h slog.Handler = slog.NewTextHandler(m.Stderr, nil)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(m.Stderr, nil)
	}
	return slog.New(database.LimitRepeats(h, repeatInterval))
}

// repeatInterval is how often one distinct error is logged at most.
const repeatInterval = 10 * time.Second

// openDB loads the configuration, connects and migrates: every subcommand
// that touches data starts here.
func (m *Main) openDB(ctx context.Context) (Config, *slog.Logger, *gorm.DB, error) {
	cfg, err := LoadConfig(m.Getenv)
	if err != nil {
		return cfg, nil, nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := m.logger(cfg)
	db, err := database.Open(ctx, cfg.Database, log)
	if err != nil {
		return cfg, log, nil, err
	}
	n, err := database.Migrate(ctx, db)
	if err == nil {
		err = mail.Migrate(ctx, db, log) // the job queue's own tables
	}
	if err != nil {
		database.Close(db)
		return cfg, log, nil, err
	}
	if n > 0 {
		log.Info("database migrated", "applied", n, "version", database.LatestVersion(), "dialect", cfg.Database.Dialect)
	}
	// The secret goes with the handle whenever there is one: rounds closed
	// from the command line compute rollups, which need it to tell who
	// answered. PostgreSQL without ACCORD_SECRET_KEY still migrates and
	// manages accounts and rosters; what needs the key asks for it
	// (requireSecret).
	if cfg.SecretKey != nil || cfg.Database.Path != "" {
		if _, err := requireSecret(ctx, cfg, db, log); err != nil {
			database.Close(db)
			return cfg, log, nil, err
		}
	}
	return cfg, log, db, nil
}

// requireSecret returns the server secret attached to db, or finds it
// (ACCORD_SECRET_KEY, else the key file beside an embedded database) and
// attaches it; with neither it fails, saying what to set.
func requireSecret(ctx context.Context, cfg Config, db *gorm.DB, log *slog.Logger) ([]byte, error) {
	if secret, err := secrets.SecretOf(db); err == nil {
		return secret, nil
	}
	src := secrets.SecretSource{Configured: cfg.SecretKey}
	if cfg.Database.Path != "" {
		src.KeyFile = cfg.Database.Path + ".key"
	}
	secret, err := secrets.LoadSecret(ctx, db, src, log)
	if err != nil {
		return nil, err
	}
	return secret, secrets.UseSecret(db, secret)
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	if err := m.flagSet("migrate").Parse(args); err != nil {
		return err
	}
	_, _, db, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	defer database.Close(db)
	v, err := database.SchemaVersion(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "database schema at version %d\n", v)
	return nil
}

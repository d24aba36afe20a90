// Package demo fills a database with plausible, varied demo organisations:
// rosters in every function, monthly or quarterly rounds going back in time
// with answers that drift between rounds, and one open round each. The same
// seed gives the same data, except for tokens, which stay cryptographically
// random. It is also the data set benchmarks run on, so it inserts in large
// batches and keeps only one organisation's rows in memory at a time.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
)

// Options says how much demo data to generate.
type Options struct {
	Orgs, People, Rounds int // organisations; people per organisation; closed past rounds per organisation (plus one open round each)
	Seed                 int64
	Now                  time.Time    // the open round opens a few days before Now and closes about 10 days after
	Secret               []byte       // server secret, keying the edit keys of responses
	Log                  *slog.Logger // progress, one line per organisation; nil: silent
}

// Result describes what Generate stored.
type Result struct {
	Orgs []survey.Organisation
	// Links are raw tokens of not-yet-answered invitations in the first
	// organisation's open round (up to 5): the only tokens kept anywhere.
	Links                                           []string
	People, Rounds, Invitations, Responses, Answers int
}

// maxLinks is how many respondent tokens of the first organisation are returned.
const maxLinks = 5

// generator holds what every organisation needs.
type generator struct {
	db    *gorm.DB
	opts  Options
	log   *slog.Logger
	qs    questions
	names []string        // organisation names in seeded order
	taken map[string]bool // slugs already in the database or generated
	res   *Result
}

// Generate stores opts.Orgs demo organisations in db, each in its own
// transaction, and reports what it stored. Slugs never collide with
// organisations already present. When it fails, organisations committed
// before the failure remain.
func Generate(ctx context.Context, db *gorm.DB, opts Options) (*Result, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC()
	g := &generator{db: db.WithContext(ctx), opts: opts, log: opts.Log, res: &Result{}}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if g.qs, err = loadQuestions(g.db); err != nil {
		return nil, err
	}
	if g.taken, err = existingSlugs(g.db); err != nil {
		return nil, err
	}
	g.names = orgNames(rand.New(rand.NewPCG(uint64(opts.Seed), 0)), opts.Orgs)
	if db.Dialector.Name() == database.SQLite {
		restore, err := tuneSQLite(g.db)
		if err != nil {
			return nil, err
		}
		defer restore()
	}

	start := time.Now()
	for i := range opts.Orgs {
		if err := ctx.Err(); err != nil {
			return g.res, err
		}
		if err := g.organisation(i); err != nil {
			return g.res, fmt.Errorf("demo organisation %d of %d: %w", i+1, opts.Orgs, err)
		}
		g.log.Info("demo organisation generated", "n", i+1, "of", opts.Orgs, "slug", g.res.Orgs[i].Slug,
			"responses", g.res.Responses, "answers", g.res.Answers, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	if err := analyze(g.db); err != nil {
		return g.res, err
	}
	return g.res, nil
}

func (o Options) check() error {
	switch {
	case o.Orgs < 1:
		return errors.New("demo: at least one organisation is needed")
	case o.People < 1:
		return errors.New("demo: at least one person per organisation is needed")
	case o.Rounds < 0:
		return errors.New("demo: the number of past rounds cannot be negative")
	case len(o.Secret) == 0:
		return errors.New("demo: the server secret is needed to key response edit keys")
	}
	return nil
}

// organisation generates and stores organisation i in one transaction.
func (g *generator) organisation(i int) error {
	// Each organisation has its own stream, so organisation i is the same
	// whatever the number of organisations generated after it.
	rng := rand.New(rand.NewPCG(uint64(g.opts.Seed), 0x9e3779b97f4a7c15*uint64(i+1)))
	plan := newOrgPlan(rng, g.names[i], g.taken)
	if err := g.store(plan, i == 0); err != nil {
		return err
	}
	g.taken[plan.org.Slug] = true
	g.res.Orgs = append(g.res.Orgs, plan.org)
	return nil
}

// store runs fill in a transaction. On PostgreSQL the transaction is
// opened on a dedicated connection, whose pgx handle the COPY sink uses.
func (g *generator) store(plan *orgPlan, first bool) error {
	db := g.db.Session(&gorm.Session{SkipDefaultTransaction: true})
	if db.Dialector.Name() != database.Postgres {
		return db.Transaction(func(tx *gorm.DB) error { return g.fill(tx, sqliteSink{tx}, plan, first) })
	}
	return db.Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("dedicated connection is %T", c.Statement.ConnPool)
		}
		return c.Transaction(func(tx *gorm.DB) error { return g.fill(tx, copySink{tx: tx, conn: conn}, plan, first) })
	})
}

// fill stores one organisation: roster and rounds first (their ids are
// needed), then each round's invitations, responses and answers, oldest
// round first so that alignment drifts forward in time.
func (g *generator) fill(tx *gorm.DB, s sink, plan *orgPlan, first bool) error {
	if err := tx.Create(&plan.org).Error; err != nil {
		return fmt.Errorf("create organisation: %w", err)
	}
	people := plan.roster(g.opts.People)
	if err := tx.CreateInBatches(&people, batchRows(9)).Error; err != nil {
		return fmt.Errorf("create people: %w", err)
	}
	rounds := plan.schedule(g.qs.instrumentID, g.opts.Rounds, g.opts.Now)
	if err := tx.CreateInBatches(&rounds, batchRows(8)).Error; err != nil {
		return fmt.Errorf("create rounds: %w", err)
	}
	b := &batch{sink: s}
	for k := range rounds {
		open := k == len(rounds)-1
		var links *[]string
		if first && open {
			links = &g.res.Links
		}
		plan.round(g, &rounds[k], people, open, b, links)
		if len(b.answers) >= flushAnswers {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	g.res.People += len(people)
	g.res.Rounds += len(rounds)
	g.res.Invitations += b.invitations
	g.res.Responses += b.responses
	g.res.Answers += b.answerRows
	return nil
}

// tuneSQLite adjusts the connection for a bulk load and returns a function
// that restores it. The unique indexes on random token hashes and edit keys
// are written all over, so every organisation's commit rewrites most of
// their pages to the WAL: a page cache larger than the 2 MB default keeps
// them in memory (64 MiB holds them at benchmark scale and stays well inside
// the 256 MiB each connection of the WebAssembly SQLite may use), and rarer
// checkpoints copy each rewritten page to the database once instead of once
// per organisation (a third less written). The database holds a single
// connection, so the settings apply to every statement of the load.
func tuneSQLite(db *gorm.DB) (restore func(), err error) {
	pragmas := []struct{ name, value string }{{"cache_size", "-65536"}, {"wal_autocheckpoint", "50000"}}
	old := make([]int64, len(pragmas))
	for i, p := range pragmas {
		if err := db.Raw("PRAGMA " + p.name).Scan(&old[i]).Error; err != nil {
			return nil, fmt.Errorf("read %s: %w", p.name, err)
		}
		if err := db.Exec("PRAGMA " + p.name + " = " + p.value).Error; err != nil {
			return nil, fmt.Errorf("set %s: %w", p.name, err)
		}
	}
	return func() {
		for i, p := range pragmas {
			db.Exec(fmt.Sprintf("PRAGMA %s = %d", p.name, old[i]))
		}
	}, nil
}

// analyze refreshes the planner's statistics after a bulk load, so the
// first dashboards and benchmarks do not run on empty-table plans.
func analyze(db *gorm.DB) error {
	if db.Dialector.Name() == database.SQLite {
		// A sampled ANALYZE: exact statistics on millions of rows take
		// longer than the load and change no plan.
		if err := db.Exec("PRAGMA analysis_limit = 1000").Error; err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// Package demo fills a database with plausible, varied demo organisations:
// rosters in every function, monthly or quarterly rounds going back in time
// with answers that drift between rounds, and one open round each. The same
// seed gives the same data, except for tokens, which stay cryptographically
// random. It is also the data set benchmarks run on, so it inserts in large
// batches and keeps only one organisation's rows in memory at a time.
//
// It imports survey, its leaf packages and survey/database; never analytics.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
)

// Options says how much demo data to generate.
type Options struct {
	Orgs, People, Rounds int // organisations; people per organisation; closed past rounds per organisation (plus one open round each)
	Seed                 int64
	Now                  time.Time // the open round opened a few days before Now and closes about 10 days after
	// Showcase gives the first organisation the character `serve --demo`
	// shows a newcomer: monthly, a clear perception gap between sales and
	// product, a completely-aligned share moving around the study's 9.2%.
	Showcase bool
	Secret   []byte       // server secret, keying the edit keys of responses
	Log      *slog.Logger // progress, one line per organisation; nil: silent
}

// Result describes what Generate stored.
type Result struct {
	Orgs []survey.Organisation
	// Links are raw tokens of not-yet-answered invitations in the first
	// organisation's open round (up to 5, in roster order).
	Links []string
	// Invitees are the raw tokens of every not-yet-answered invitation in
	// the first organisation's open round, by person ID: whoever emails
	// those invitations puts these links in them, so that the printed
	// Links are the emailed ones. Nothing else keeps a token.
	Invitees                                        map[int64]string
	People, Rounds, Invitations, Responses, Answers int
}

// maxLinks is how many respondent tokens of the first organisation are returned.
const maxLinks = 5

// maxWorkers bounds how many organisations PostgreSQL stores at once.
const maxWorkers = 4

// generator holds what every organisation needs. It is read-only while
// organisations are stored, so workers share it.
type generator struct {
	db   *gorm.DB
	opts Options
	qs   questions
}

// Generate stores opts.Orgs demo organisations in db, each in its own
// transaction, and reports what it stored. Slugs never collide with
// organisations already present. When it fails, organisations committed
// before the failure remain and are reported.
func Generate(ctx context.Context, db *gorm.DB, opts Options) (*Result, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC()
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g := &generator{db: db.WithContext(ctx), opts: opts}
	var err error
	if g.qs, err = loadQuestions(g.db); err != nil {
		return nil, err
	}
	taken, err := existingSlugs(g.db)
	if err != nil {
		return nil, err
	}
	if db.Dialector.Name() == database.SQLite {
		restore, err := tuneSQLite(g.db)
		if err != nil {
			return nil, err
		}
		defer restore()
	}
	stored, err := g.storeAll(ctx, plans(opts, taken), log)
	res := &Result{}
	for i, s := range stored {
		if s == nil {
			continue
		}
		if i == 0 {
			res.Links, res.Invitees = s.links, s.invitees
		}
		res.Orgs = append(res.Orgs, s.org)
		res.People += s.people
		res.Rounds += s.rounds
		res.Invitations += s.invitations
		res.Responses += s.responses
		res.Answers += s.answers
	}
	if err != nil {
		return res, err
	}
	return res, Analyze(g.db)
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

// plans draws every organisation's character and slug up front, in order.
// Each organisation has its own random stream, so it comes out the same
// whichever worker stores it and however many organisations follow it.
func plans(opts Options, taken map[string]bool) []*orgPlan {
	names := orgNames(rand.New(rand.NewPCG(uint64(opts.Seed), 0)), opts.Orgs)
	ps := make([]*orgPlan, opts.Orgs)
	for i := range ps {
		rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15*uint64(i+1)))
		ps[i] = newOrgPlan(rng, names[i], taken)
		if i == 0 && opts.Showcase {
			ps[i].showcase()
		}
		taken[ps[i].org.Slug] = true
	}
	return ps
}

// storeAll stores the organisations and returns what each produced (nil
// for those not stored). On PostgreSQL several are stored at once: the
// load is bound by the server, which then uses more than one core. SQLite
// has one writer, so there organisations go one after the other.
func (g *generator) storeAll(ctx context.Context, plans []*orgPlan, log *slog.Logger) ([]*stored, error) {
	workers := 1
	if g.db.Dialector.Name() == database.Postgres {
		workers = min(maxWorkers, runtime.GOMAXPROCS(0), len(plans))
		if err := g.numberOrgs(plans); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range plans {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var (
		mu                       sync.Mutex
		wg                       sync.WaitGroup
		firstErr                 error
		done, responses, answers int
		results                  = make([]*stored, len(plans))
		start                    = time.Now()
	)
	for range workers {
		wg.Go(func() {
			for i := range next {
				s, err := g.store(ctx, plans[i], i == 0)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("demo organisation %d of %d: %w", i+1, len(plans), err)
					}
					cancel()
				} else {
					results[i] = s
					done, responses, answers = done+1, responses+s.responses, answers+s.answers
					log.Info("demo organisation generated", "done", done, "of", len(plans), "slug", s.org.Slug,
						"responses", responses, "answers", answers, "elapsed", time.Since(start).Round(time.Millisecond))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr == nil && done < len(plans) {
		firstErr = ctx.Err() // cancelled by the caller
	}
	return results, firstErr
}

// numberOrgs takes the organisations' ids from their sequence in plan
// order before workers store them in parallel, so that the same seed gives
// the same ids (and id order) however the workers interleave. SQLite stores
// them one after the other, in plan order, anyway.
func (g *generator) numberOrgs(plans []*orgPlan) error {
	var ids []int64
	err := g.db.Raw("SELECT nextval(pg_get_serial_sequence('organisations', 'id')) FROM generate_series(1, ?)", len(plans)).Scan(&ids).Error
	if err != nil || len(ids) != len(plans) {
		return fmt.Errorf("demo: number organisations: %d ids, %w", len(ids), err)
	}
	for i, p := range plans {
		p.org.ID = ids[i]
	}
	return nil
}

// TuneForLoad gives db's connection the settings Generate loads with and
// returns a function that restores the previous ones, so that what a
// caller writes right after the load (accord demo's rollups, another
// million rows into the same indexes) runs under them too. It changes
// nothing on PostgreSQL.
func TuneForLoad(db *gorm.DB) (restore func(), err error) {
	if db.Dialector.Name() != database.SQLite {
		return func() {}, nil
	}
	return tuneSQLite(db)
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

// Analyze refreshes the planner's statistics after a bulk load, so the
// first dashboards and benchmarks do not run on empty-table plans. Generate
// calls it for what it loads; call it again once the rollups are computed,
// or the rollup tables keep the statistics of empty tables wherever
// autovacuum is off (the portfolio's queries then took a second each).
func Analyze(db *gorm.DB) error {
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

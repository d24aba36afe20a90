package analytics

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey"
)

// rollupVersion changes whenever the way rollups are computed changes:
// rollups of an older version are stale and computed again.
const rollupVersion = 3

// OpenRefresh is how old an open round's rollups may get before
// RefreshOpen (the server's background loop) recomputes them. Open rounds
// show response rates only, so a minute's delay costs nothing, and
// recomputing on every submission would put the whole round's aggregation
// on the respondents' path. Requests never recompute an open round for its
// age: they only read rollups (see EnsureRollups).
const OpenRefresh = time.Minute

// cellBatch rows per INSERT: 30 columns each stays under SQLite's limit of
// bound parameters.
const cellBatch = 500

// itemBatch rows per INSERT of statement rollups (23 columns each).
const itemBatch = 1000

// CommentThreshold returns the smallest group whose comments org may read:
// its configured threshold, never below the default nor below the minimum
// group size (a comment threshold smaller than the score threshold would
// show the words of a group whose scores are hidden).
func CommentThreshold(org *survey.Organisation) int {
	return max(org.CommentThreshold, survey.DefaultCommentThreshold, MinGroupSize(org))
}

// roundState is a round with its rollup bookkeeping, as Refresh reads it.
type roundState struct {
	survey.Round
	Version          *int
	RollupStatus     *string
	MinGroupSize     *int
	CommentThreshold *int
	ComputedAt       *time.Time
	InstrumentVer    int
}

// roundsSQL lists an organisation's rounds that have started, oldest
// first, with their rollup bookkeeping and instrument version, in one query
// (rounds(org_id, opens_at) index).
const roundsSQL = `
SELECT r.id, r.org_id, r.instrument_id, r.title, r.status, r.opens_at, r.closes_at, r.closed_at,
       i.version AS instrument_ver, rr.version, rr.status AS rollup_status, rr.min_group_size,
       rr.comment_threshold, rr.computed_at
FROM rounds r
JOIN instruments i ON i.id = r.instrument_id
LEFT JOIN rollup_rounds rr ON rr.round_id = r.id
WHERE r.org_id = ? AND r.status IN (?, ?)
ORDER BY r.opens_at, r.id`

// loadRounds scans by hand, as refreshOrgs does: every dashboard request
// reads its organisation's rounds, and GORM's reflection cost more than the
// query.
func loadRounds(ctx context.Context, db *gorm.DB, orgID int64) ([]roundState, error) {
	var rs []roundState
	err := scanRows(db.WithContext(ctx), roundsSQL, []any{orgID, survey.RoundOpen, survey.RoundClosed},
		func(scan func(...any) error) error {
			var s roundState
			err := scan(&s.ID, &s.OrgID, &s.InstrumentID, &s.Title, &s.Status, &s.OpensAt, &s.ClosesAt, &s.ClosedAt,
				&s.InstrumentVer, &s.Version, &s.RollupStatus, &s.MinGroupSize, &s.CommentThreshold, &s.ComputedAt)
			rs = append(rs, s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load rounds: %w", err)
	}
	return rs, nil
}

// stale reports whether a round's rollups must be computed (again): they
// are missing or outdated, or the round is open and they were computed
// before openBefore. A zero openBefore never counts an open round's age
// (the request path: EnsureRollups).
func (r *roundState) stale(k, commentK int, openBefore time.Time) bool {
	switch {
	case r.Version == nil || *r.Version != rollupVersion || *r.RollupStatus != r.Status:
		return true
	case *r.MinGroupSize != k || *r.CommentThreshold != commentK:
		return true
	}
	return r.Status == survey.RoundOpen && r.ComputedAt.Before(openBefore)
}

// Refresh brings org's rollups up to date at now: it computes those of
// rounds that have none yet or whose round, settings or algorithm changed
// since, of open rounds whose rollups are older than OpenRefresh, and of
// every round after a recomputed closed one (the continuity rule reads the
// round before). It does nothing, in one query, when all are current.
// Concurrent callers wait for each other on a lock per organisation and the
// second finds the work done.
func Refresh(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time) error {
	return refresh(ctx, db, org, now, now.UTC().Add(-OpenRefresh))
}

// EnsureRollups is Refresh for a request: it computes the rollups that are
// missing or outdated (a round that has none yet, a closed round, changed
// settings or algorithm) but never recomputes an open round's rollups for
// their age; RefreshOpen does that in the background.
func EnsureRollups(ctx context.Context, db *gorm.DB, org *survey.Organisation, now time.Time) error {
	return refresh(ctx, db, org, now, time.Time{})
}

// refresh recomputes org's stale rollups, an open round's counting as
// stale when they were computed before openBefore.
func refresh(ctx context.Context, db *gorm.DB, org *survey.Organisation, now, openBefore time.Time) error {
	now = now.UTC()
	k, commentK := MinGroupSize(org), CommentThreshold(org)
	rounds, err := loadRounds(ctx, db, org.ID)
	if err != nil || !anyStale(rounds, k, commentK, openBefore) {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7426002, ?::int)", org.ID).Error; err != nil {
				return fmt.Errorf("lock rollups: %w", err)
			}
		}
		rounds, err := loadRounds(ctx, tx, org.ID) // another caller may have done it
		if err != nil {
			return err
		}
		return recompute(ctx, tx, rounds, k, commentK, now, openBefore)
	})
}

func anyStale(rounds []roundState, k, commentK int, openBefore time.Time) bool {
	for i := range rounds {
		if rounds[i].stale(k, commentK, openBefore) {
			return true
		}
	}
	return false
}

// recompute walks the rounds oldest first, carrying the last closed
// round's publication forward for the continuity rule. It reads every
// round to recompute first, then computes them in order on another
// goroutine while this one stores each result as it comes: computing a
// round and storing the one before take about as long, and the
// transaction's connection is used by one goroutine at a time.
func recompute(ctx context.Context, tx *gorm.DB, rounds []roundState, k, commentK int, now, openBefore time.Time) error {
	jobs, err := loadJobs(ctx, tx, rounds, k, commentK, openBefore)
	if err != nil || len(jobs) == 0 {
		return err
	}
	results := make(chan computed, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(results)
		defer func() {
			// A panic here would end the process: hand it to the caller,
			// whose own recovery (a request's) then applies.
			if p := recover(); p != nil {
				select {
				case results <- computed{err: fmt.Errorf("compute rollups: %v", p)}:
				case <-stop:
				}
			}
		}()
		var prev *published
		for i := range jobs {
			j := &jobs[i]
			if j.loaded {
				prev = j.prev
			}
			cells, items, pub := computeRound(j.in, prev, k, commentK)
			jobs[i].in = nil // its tallies are no longer needed
			if j.closed {
				prev = pub
			}
			select {
			case results <- computed{round: j.round, cells: cells, items: items}:
			case <-stop:
				return
			}
		}
	}()
	for c := range results {
		if c.err != nil {
			return c.err
		}
		if err := store(ctx, tx, c.round, c.cells, c.items, k, commentK, now); err != nil {
			return fmt.Errorf("round %d: %w", c.round.ID, err)
		}
	}
	return nil
}

// rollupJob is one round to recompute, with what it is computed from.
type rollupJob struct {
	round  survey.Round
	in     *roundInput
	closed bool
	// loaded says that prev, read from the stored rollups, is the
	// publication before this round (nil: none); otherwise the previous
	// job's closed round is, or the one before it.
	loaded bool
	prev   *published
}

// computed is one round's rollups, ready to store.
type computed struct {
	round survey.Round
	cells []RollupCell
	items []RollupItem
	err   error // the computation failed; nothing to store
}

// loadJobs decides which rounds to recompute: those stale, and every
// round after a recomputed closed one (the continuity rule reads the round
// before; an open round is stale when its rollups were computed before
// openBefore). It reads their inputs, and the stored publication of the last
// closed round before each that is not recomputed.
func loadJobs(ctx context.Context, tx *gorm.DB, rounds []roundState, k, commentK int, openBefore time.Time) ([]rollupJob, error) {
	var jobs []rollupJob
	var prev *published
	insts := map[int64]*instrument{}
	prevID := int64(0) // the last closed round, when prev is not loaded yet
	cascade, fresh := false, true
	for i := range rounds {
		r := &rounds[i]
		if !cascade && !r.stale(k, commentK, openBefore) {
			if r.Status == survey.RoundClosed {
				prev, prevID, fresh = nil, r.ID, true
			}
			continue
		}
		if prev == nil && prevID != 0 {
			var err error
			if prev, err = loadPublished(ctx, tx, prevID); err != nil {
				return nil, err
			}
		}
		in, err := loadRound(ctx, tx, r.Round, insts)
		if err != nil {
			return nil, fmt.Errorf("round %d: %w", r.ID, err)
		}
		jobs = append(jobs, rollupJob{round: r.Round, in: in, closed: r.Status == survey.RoundClosed, loaded: fresh, prev: prev})
		fresh = false
		if r.Status == survey.RoundClosed {
			cascade = true
		}
	}
	return jobs, nil
}

// store replaces a round's rollup cells and records the computation.
func store(ctx context.Context, tx *gorm.DB, r survey.Round, cells []RollupCell, items []RollupItem, k, commentK int, now time.Time) error {
	tx = tx.WithContext(ctx)
	if err := tx.Where("round_id = ?", r.ID).Delete(&RollupCell{}).Error; err != nil {
		return fmt.Errorf("delete old rollups: %w", err)
	}
	if err := tx.Where("round_id = ?", r.ID).Delete(&RollupItem{}).Error; err != nil {
		return fmt.Errorf("delete old statement rollups: %w", err)
	}
	if len(cells) > 0 {
		if err := insertRollups(ctx, tx, cells, cellBatch); err != nil {
			return fmt.Errorf("store rollups: %w", err)
		}
	}
	if len(items) > 0 {
		if err := insertRollups(ctx, tx, items, itemBatch); err != nil {
			return fmt.Errorf("store statement rollups: %w", err)
		}
	}
	rec := RollupRound{RoundID: r.ID, OrgID: r.OrgID, Version: rollupVersion, Status: r.Status,
		MinGroupSize: k, CommentThreshold: commentK, ComputedAt: now}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "round_id"}}, UpdateAll: true}).Create(&rec).Error
	if err != nil {
		return fmt.Errorf("record rollups: %w", err)
	}
	return nil
}

// ComputeOnClose is the round scheduler's close hook: inside the
// transaction that closes r, it computes r's rollups (and any missing
// before it), so results appear the moment a round closes.
func ComputeOnClose(ctx context.Context, tx *gorm.DB, r *survey.Round) error {
	var org survey.Organisation
	if err := tx.WithContext(ctx).Take(&org, r.OrgID).Error; err != nil {
		return fmt.Errorf("rollups on close: load organisation: %w", err)
	}
	now := time.Now().UTC()
	if r.ClosedAt != nil {
		now = r.ClosedAt.UTC()
	}
	return Refresh(ctx, tx, &org, now)
}

// RollupAll computes the rollups of every organisation that has rounds
// (accord demo calls it after loading its data, so that the first
// dashboard does not pay for it). Organisations are independent: on
// PostgreSQL several are computed at once, one per processor up to
// rollupWorkers; SQLite has one connection and takes them in turn.
func RollupAll(ctx context.Context, db *gorm.DB, now time.Time) error {
	var orgs []survey.Organisation
	if err := db.WithContext(ctx).Order("id").Find(&orgs).Error; err != nil {
		return fmt.Errorf("list organisations: %w", err)
	}
	workers := 1
	if db.Dialector.Name() == "postgres" {
		workers = min(runtime.GOMAXPROCS(0), rollupWorkers)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range orgs {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := Refresh(gctx, db, &orgs[i], now); err != nil {
				return fmt.Errorf("rollups of %s: %w", orgs[i].Slug, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// rollupWorkers bounds the connections RollupAll takes on PostgreSQL.
const rollupWorkers = 4

// openRoundsSQL lists the open rounds with when their rollups were
// computed (NULL when never); the times are compared in Go, since the
// databases store them differently.
const openRoundsSQL = `
SELECT r.org_id, rr.computed_at
FROM rounds r
LEFT JOIN rollup_rounds rr ON rr.round_id = r.id
WHERE r.status = ?
ORDER BY r.org_id`

// RefreshOpen recomputes, at now, the rollups of every open round computed
// more than maxAge before (or never), organisation by organisation: the
// server calls it in a loop, so that dashboard requests only read rollups
// and a new response shows within about OpenRefresh. When nothing is due it
// costs one query. Every replica may run it: Refresh's lock per
// organisation makes the second caller find the work done.
func RefreshOpen(ctx context.Context, db *gorm.DB, now time.Time, maxAge time.Duration) error {
	now = now.UTC()
	before := now.Add(-maxAge)
	var open []struct {
		OrgID      int64
		ComputedAt *time.Time
	}
	if err := db.WithContext(ctx).Raw(openRoundsSQL, survey.RoundOpen).Scan(&open).Error; err != nil {
		return fmt.Errorf("list open rounds: %w", err)
	}
	var ids []int64
	for _, r := range open {
		if (r.ComputedAt == nil || r.ComputedAt.Before(before)) && !slices.Contains(ids, r.OrgID) {
			ids = append(ids, r.OrgID)
		}
	}
	// One organisation's failure does not hold the others' back.
	var errs []error
	for _, id := range ids {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var org survey.Organisation
		if err := db.WithContext(ctx).Take(&org, id).Error; err != nil {
			errs = append(errs, fmt.Errorf("refresh open rounds: load organisation %d: %w", id, err))
			continue
		}
		if err := refresh(ctx, db, &org, now, before); err != nil {
			errs = append(errs, fmt.Errorf("rollups of %s: %w", org.Slug, err))
		}
	}
	return errors.Join(errs...)
}

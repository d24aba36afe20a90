package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/roster"
)

// fixture is the load round prepared in the server's database.
type fixture struct {
	db           *gorm.DB
	dialect      string
	databaseURL  string
	orgID        int64
	roundID      int64
	instrumentID int64
	tokens       []string
}

func (f *fixture) close() { database.Close(f.db) }

// prepare creates an organisation with n people and an open round inviting
// all of them, returning their links' tokens.
func prepare(ctx context.Context, databaseURL string, n int) (*fixture, error) {
	target, err := database.ParseURL(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("ACCORD_DATABASE_URL: %w", err)
	}
	db, err := database.Open(ctx, target, nil)
	if err != nil {
		return nil, err
	}
	if v, err := database.SchemaVersion(ctx, db); err != nil || v == 0 {
		database.Close(db)
		return nil, fmt.Errorf("the database has no Accord schema: start `accord serve` on it first")
	}
	f := &fixture{db: db, dialect: target.Dialect, databaseURL: databaseURL}
	now := time.Now().UTC()
	org := survey.Organisation{
		Slug: fmt.Sprintf("load-%d", now.UnixNano()), Name: "Load test " + now.Format(time.RFC3339),
		MinGroupSize: survey.DefaultMinGroupSize, CommentThreshold: survey.DefaultCommentThreshold,
	}
	if err := db.WithContext(ctx).Create(&org).Error; err != nil {
		f.close()
		return nil, fmt.Errorf("create load organisation: %w", err)
	}
	people := make([]roster.Person, n)
	for i := range people {
		people[i] = roster.Person{OrgID: org.ID, Email: fmt.Sprintf("p%d@load.test", i), Name: fmt.Sprintf("Person %d", i),
			Function: roster.Functions[i%len(roster.Functions)], Team: fmt.Sprintf("Team %d", i%12), Active: true}
	}
	if err := db.WithContext(ctx).CreateInBatches(&people, 2000).Error; err != nil {
		f.close()
		return nil, fmt.Errorf("create load roster: %w", err)
	}
	f.instrumentID, err = survey.PulseInstrumentID(ctx, db)
	if err != nil {
		f.close()
		return nil, err
	}
	round, tokens, err := survey.CreateRound(ctx, db, &org, f.instrumentID, "Load round", now.Add(-time.Hour), now.Add(24*time.Hour), people)
	if err != nil {
		f.close()
		return nil, fmt.Errorf("create load round: %w", err)
	}
	f.orgID, f.roundID = org.ID, round.ID
	for _, t := range tokens {
		f.tokens = append(f.tokens, t)
	}
	if f.dialect == database.Postgres {
		settle(ctx, db)
	}
	return f, nil
}

// settle lets PostgreSQL finish with the rows just prepared before anything
// is measured, as pgbench vacuums before its runs: otherwise autovacuum and
// the checkpoint they trigger land in the first level's run. CHECKPOINT
// needs a privileged role; without one the run goes on and says so.
func settle(ctx context.Context, db *gorm.DB) {
	for _, stmt := range []string{"VACUUM (ANALYZE) people, invitations", "CHECKPOINT"} {
		if err := db.WithContext(ctx).Exec(stmt).Error; err != nil {
			fmt.Fprintf(os.Stderr, "accord-load: %s before measuring: %v\n", stmt, err)
		}
	}
}

package main

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/database"
	"accord/survey/secrets"
)

// jobPool gives the job queue its own share of ACCORD_DB_MAX_CONNS on
// PostgreSQL, shrinking db (requests and scheduler) to the rest, so that the
// process never opens more than the budget and neither side can take all of
// it. SQLite has one connection, which both share. close must run after the
// mail worker has stopped.
func jobPool(ctx context.Context, cfg Config, db *gorm.DB) (jobs *gorm.DB, close func(), err error) {
	if cfg.Database.Dialect != database.Postgres {
		return db, func() {}, nil
	}
	webConns, jobConns := database.SplitConns(cfg.Database.MaxConns)
	database.SetMaxConns(db, webConns)
	target := cfg.Database
	target.MaxConns = jobConns
	jobs, err = database.Open(ctx, target, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("job queue connections: %w", err)
	}
	// Chat posts open their organisation's sealed webhook with the secret.
	if key, err := secrets.SecretOf(db); err == nil {
		if err := secrets.UseSecret(jobs, key); err != nil {
			database.Close(jobs)
			return nil, nil, err
		}
	}
	return jobs, func() { database.Close(jobs) }, nil
}

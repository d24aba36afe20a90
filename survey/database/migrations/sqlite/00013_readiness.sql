-- Migration 13, step 13 "readiness probe row" of the releases before SQL migrations:
-- one row that readiness probes rewrite, so that a probe proves the database
-- takes writes, not only that it answers (CheckWritable).

-- +goose Up
CREATE TABLE readiness (
	id INTEGER PRIMARY KEY,
	checked_at TIMESTAMP NOT NULL
);

-- Migration 23: rewrites SQLite's stored times into the format of its new
-- driver (see sqlite/00023_driver_time_format.sql). PostgreSQL stores times
-- as timestamps, not text: nothing to do, but the version is recorded on
-- both databases alike.

-- +goose Up
SELECT 1;

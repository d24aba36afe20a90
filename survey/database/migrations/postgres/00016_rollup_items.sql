-- Migration 16: per-statement rollups. One row per published group, round
-- and agree–disagree statement: the answers per scale point and the
-- sufficient statistics of the statement's association with A1 (a driver),
-- each hidden number saying why (hidden, driver_hidden), as in rollup_cells.

-- +goose Up
CREATE TABLE rollup_items (
    id bigserial,
    org_id bigint NOT NULL,
    round_id bigint NOT NULL,
    fixed smallint NOT NULL,
    function character varying(32) DEFAULT ''::character varying NOT NULL,
    team character varying(100) DEFAULT ''::character varying NOT NULL,
    region character varying(100) DEFAULT ''::character varying NOT NULL,
    tenure_band character varying(32) DEFAULT ''::character varying NOT NULL,
    question_key character varying(32) NOT NULL,
    hidden smallint DEFAULT 0 NOT NULL,
    answers1 bigint DEFAULT 0 NOT NULL,
    answers2 bigint DEFAULT 0 NOT NULL,
    answers3 bigint DEFAULT 0 NOT NULL,
    answers4 bigint DEFAULT 0 NOT NULL,
    answers5 bigint DEFAULT 0 NOT NULL,
    driver_hidden smallint DEFAULT 0 NOT NULL,
    pair_n bigint DEFAULT 0 NOT NULL,
    pair_sum_x double precision DEFAULT 0 NOT NULL,
    pair_sum_y double precision DEFAULT 0 NOT NULL,
    pair_sum_xx double precision DEFAULT 0 NOT NULL,
    pair_sum_yy double precision DEFAULT 0 NOT NULL,
    pair_sum_xy double precision DEFAULT 0 NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX idx_rollup_items_org_id ON rollup_items (org_id);
CREATE UNIQUE INDEX idx_rollup_items_round_group ON rollup_items (round_id, fixed, function, team, region, tenure_band, question_key);

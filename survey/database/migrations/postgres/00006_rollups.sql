-- Migration 6, step 6 "analytics rollups" of the releases before SQL migrations:
-- analytics rollups (rollup_rounds, rollup_cells).

-- +goose Up
CREATE TABLE rollup_cells (
    id bigserial,
    org_id bigint NOT NULL,
    round_id bigint NOT NULL,
    fixed smallint NOT NULL,
    function character varying(32) DEFAULT ''::character varying NOT NULL,
    team character varying(100) DEFAULT ''::character varying NOT NULL,
    region character varying(100) DEFAULT ''::character varying NOT NULL,
    tenure_band character varying(32) DEFAULT ''::character varying NOT NULL,
    invited bigint DEFAULT 0 NOT NULL,
    hidden boolean NOT NULL,
    comments_hidden boolean NOT NULL,
    responses bigint DEFAULT 0 NOT NULL,
    a1_level1 bigint DEFAULT 0 NOT NULL,
    a1_level2 bigint DEFAULT 0 NOT NULL,
    a1_level3 bigint DEFAULT 0 NOT NULL,
    a1_level4 bigint DEFAULT 0 NOT NULL,
    trust_n bigint DEFAULT 0 NOT NULL,
    trust_sum double precision DEFAULT 0 NOT NULL,
    trust_sum_sq double precision DEFAULT 0 NOT NULL,
    trust_alpha double precision,
    trust_alpha_n bigint DEFAULT 0 NOT NULL,
    information_n bigint DEFAULT 0 NOT NULL,
    information_sum double precision DEFAULT 0 NOT NULL,
    information_sum_sq double precision DEFAULT 0 NOT NULL,
    information_alpha double precision,
    information_alpha_n bigint DEFAULT 0 NOT NULL,
    process_n bigint DEFAULT 0 NOT NULL,
    process_sum double precision DEFAULT 0 NOT NULL,
    process_sum_sq double precision DEFAULT 0 NOT NULL,
    process_alpha double precision,
    process_alpha_n bigint DEFAULT 0 NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE rollup_rounds (
    round_id bigint NOT NULL,
    org_id bigint NOT NULL,
    version bigint NOT NULL,
    status character varying(16) NOT NULL,
    min_group_size bigint NOT NULL,
    comment_threshold bigint NOT NULL,
    computed_at timestamp with time zone NOT NULL,
    PRIMARY KEY (round_id)
);
CREATE INDEX idx_rollup_cells_org_group ON rollup_cells (org_id, fixed, function, team, region, tenure_band);
CREATE UNIQUE INDEX idx_rollup_cells_round_group ON rollup_cells (round_id, fixed, function, team, region, tenure_band);
CREATE INDEX idx_rollup_rounds_org_id ON rollup_rounds (org_id);

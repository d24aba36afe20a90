-- Migration 15, step 15 "action plans" of the releases before SQL migrations:
-- action plans.

-- +goose Up
CREATE TABLE action_plans (
    id bigserial,
    org_id bigint NOT NULL,
    target character varying(32) NOT NULL,
    title character varying(200) NOT NULL,
    owner character varying(120) DEFAULT ''::character varying NOT NULL,
    due_date timestamp with time zone,
    status character varying(16) NOT NULL,
    notes character varying(4000) DEFAULT ''::character varying NOT NULL,
    baseline_round_id bigint,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX idx_action_plans_org_id ON action_plans (org_id);

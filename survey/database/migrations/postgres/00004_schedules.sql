-- Migration 4, step 4 "schedules, reminder links and round periods" of the releases before SQL migrations:
-- schedules, reminder links (invitation_tokens), the period of a scheduled round, reminders sent.

-- +goose Up
CREATE TABLE invitation_tokens (
    id bigserial,
    invitation_id bigint NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE schedules (
    id bigserial,
    org_id bigint NOT NULL,
    name character varying(200) NOT NULL,
    instrument_id bigint NOT NULL,
    cadence character varying(16) NOT NULL,
    every_weeks bigint DEFAULT 0 NOT NULL,
    start_date timestamp with time zone NOT NULL,
    send_time character varying(5) NOT NULL,
    time_zone character varying(64) NOT NULL,
    window_days bigint NOT NULL,
    reminder_days text,
    functions text,
    teams text,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    PRIMARY KEY (id)
);
ALTER TABLE invitations ADD COLUMN reminders_sent bigint DEFAULT 0 NOT NULL;
ALTER TABLE rounds ADD COLUMN schedule_id bigint;
ALTER TABLE rounds ADD COLUMN period_start timestamp with time zone;
CREATE INDEX idx_invitation_tokens_invitation_id ON invitation_tokens (invitation_id);
CREATE UNIQUE INDEX idx_invitation_tokens_token_hash ON invitation_tokens (token_hash);
CREATE UNIQUE INDEX idx_rounds_schedule_period ON rounds (schedule_id, period_start);
CREATE INDEX idx_schedules_org_id ON schedules (org_id);

-- Migration 17: results messages. A leader's message about a closed
-- round, sent to everyone invited (survey.RoundMessage): one per round,
-- naming no one.

-- +goose Up
CREATE TABLE round_messages (
    id bigserial,
    org_id bigint NOT NULL,
    round_id bigint NOT NULL,
    body character varying(4000) NOT NULL,
    sent bigint NOT NULL,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX idx_round_messages_org_id ON round_messages (org_id);
CREATE UNIQUE INDEX idx_round_messages_round_id ON round_messages (round_id);

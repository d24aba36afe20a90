-- Migration 7, step 7 "account links, audit log and rate limits" of the releases before SQL migrations:
-- account links (account_tokens), the audit log (audit_entries), rate limits (rate_counts).

-- +goose Up
CREATE TABLE account_tokens (
    id bigserial,
    account_id bigint NOT NULL,
    purpose character varying(16) NOT NULL,
    token_hash bytea NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE audit_entries (
    id bigserial,
    at timestamp with time zone NOT NULL,
    account_id bigint,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    action character varying(64) NOT NULL,
    target character varying(500) DEFAULT ''::character varying NOT NULL,
    org_id bigint,
    address character varying(64) DEFAULT ''::character varying NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE rate_counts (
    subject character varying(64) NOT NULL,
    bucket timestamp with time zone NOT NULL,
    attempts bigint NOT NULL,
    PRIMARY KEY (subject, bucket)
);
CREATE INDEX idx_account_tokens_account_id ON account_tokens (account_id);
CREATE UNIQUE INDEX idx_account_tokens_token_hash ON account_tokens (token_hash);
CREATE INDEX idx_audit_entries_account_id ON audit_entries (account_id);
CREATE INDEX idx_audit_entries_org ON audit_entries (org_id);
CREATE INDEX idx_rate_counts_bucket ON rate_counts (bucket);

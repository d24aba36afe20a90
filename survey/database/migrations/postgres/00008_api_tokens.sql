-- Migration 8, step 8 "API tokens" of the releases before SQL migrations:
-- API tokens.

-- +goose Up
CREATE TABLE api_tokens (
    id bigserial,
    account_id bigint NOT NULL,
    name character varying(100) NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX idx_api_tokens_account_id ON api_tokens (account_id);
CREATE UNIQUE INDEX idx_api_tokens_token_hash ON api_tokens (token_hash);

-- Migration 20: single sign-on (issue 15). An account can be disabled
-- (accounts.disabled_at: no login, no session, no API token while set),
-- and a started OpenID Connect login keeps its one-time state, nonce and
-- PKCE verifier server-side until the provider sends the browser back
-- (account.SSOAttempt; only the SHA-256 of the state is stored).

-- +goose Up
ALTER TABLE accounts ADD COLUMN disabled_at timestamp with time zone;
CREATE TABLE sso_attempts (
    id bigserial,
    state_hash bytea NOT NULL,
    nonce character varying(64) NOT NULL,
    verifier character varying(128) NOT NULL,
    next character varying(2000) NOT NULL DEFAULT '',
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE UNIQUE INDEX idx_sso_attempts_state_hash ON sso_attempts (state_hash);
CREATE INDEX idx_sso_attempts_expires_at ON sso_attempts (expires_at);

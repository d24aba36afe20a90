-- Migration 1, step 1 "initial schema" of the releases before SQL migrations:
-- the tables of release 1 (organisations, people, accounts, sessions, settings, instruments, questions, rounds, invitations, responses, answers).
-- The schema that release's AutoMigrate created (fixture testdata/schema/postgres/002.sql).

-- +goose Up
CREATE TABLE accounts (
    id bigserial,
    email character varying(254) NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    password_hash character varying(200) NOT NULL,
    role character varying(16) NOT NULL,
    password_changed_at timestamp with time zone,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE answers (
    id bigserial,
    response_id bigint NOT NULL,
    question_id bigint NOT NULL,
    value smallint,
    text text,
    PRIMARY KEY (id)
);
CREATE TABLE instruments (
    id bigserial,
    org_id bigint,
    key character varying(64) NOT NULL,
    version bigint NOT NULL,
    name character varying(200) NOT NULL,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE invitations (
    id bigserial,
    round_id bigint NOT NULL,
    person_id bigint NOT NULL,
    token_hash bytea NOT NULL,
    function character varying(32) NOT NULL,
    team character varying(100) DEFAULT ''::character varying NOT NULL,
    region character varying(100) DEFAULT ''::character varying NOT NULL,
    tenure_band character varying(32) DEFAULT ''::character varying NOT NULL,
    sent_at timestamp with time zone,
    responded_at timestamp with time zone,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE memberships (
    account_id bigint NOT NULL,
    org_id bigint NOT NULL,
    PRIMARY KEY (account_id, org_id)
);
CREATE TABLE organisations (
    id bigserial,
    slug character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    min_group_size bigint DEFAULT 5 NOT NULL,
    comment_threshold bigint DEFAULT 5 NOT NULL,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE people (
    id bigserial,
    org_id bigint NOT NULL,
    email character varying(254) NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    function character varying(32) NOT NULL,
    team character varying(100) DEFAULT ''::character varying NOT NULL,
    region character varying(100) DEFAULT ''::character varying NOT NULL,
    tenure_band character varying(32) DEFAULT ''::character varying NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE questions (
    id bigserial,
    instrument_id bigint NOT NULL,
    key character varying(32) NOT NULL,
    "position" bigint NOT NULL,
    kind character varying(16) NOT NULL,
    index_name character varying(32) DEFAULT ''::character varying NOT NULL,
    prompt text NOT NULL,
    help text DEFAULT ''::text NOT NULL,
    options text,
    required boolean DEFAULT false NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE responses (
    id bigserial,
    org_id bigint NOT NULL,
    round_id bigint NOT NULL,
    edit_key bytea NOT NULL,
    function character varying(32) NOT NULL,
    team character varying(100) DEFAULT ''::character varying NOT NULL,
    region character varying(100) DEFAULT ''::character varying NOT NULL,
    tenure_band character varying(32) DEFAULT ''::character varying NOT NULL,
    submitted_on timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE rounds (
    id bigserial,
    org_id bigint NOT NULL,
    instrument_id bigint NOT NULL,
    title character varying(200) NOT NULL,
    status character varying(16) NOT NULL,
    opens_at timestamp with time zone NOT NULL,
    closes_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    created_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE TABLE sessions (
    id bigserial,
    token_hash bytea NOT NULL,
    account_id bigint NOT NULL,
    created_at timestamp with time zone,
    last_seen_at timestamp with time zone,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE settings (
    key character varying(64) NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (key)
);
CREATE UNIQUE INDEX idx_accounts_email ON accounts (email);
CREATE INDEX idx_answers_question_id ON answers (question_id);
CREATE UNIQUE INDEX idx_answers_response_question ON answers (response_id, question_id);
CREATE UNIQUE INDEX idx_instruments_key_version ON instruments (org_id, key, version);
CREATE INDEX idx_invitations_person_id ON invitations (person_id);
CREATE UNIQUE INDEX idx_invitations_round_person ON invitations (round_id, person_id);
CREATE UNIQUE INDEX idx_invitations_token_hash ON invitations (token_hash);
CREATE INDEX idx_memberships_org_id ON memberships (org_id);
CREATE UNIQUE INDEX idx_organisations_slug ON organisations (slug);
CREATE INDEX idx_people_org_active ON people (org_id, active);
CREATE UNIQUE INDEX idx_people_org_email ON people (org_id, email);
CREATE UNIQUE INDEX idx_questions_instrument_key ON questions (instrument_id, key);
CREATE UNIQUE INDEX idx_responses_edit_key ON responses (edit_key);
CREATE INDEX idx_responses_org_id ON responses (org_id);
CREATE INDEX idx_responses_round_function ON responses (round_id, function);
CREATE INDEX idx_rounds_org_opens ON rounds (org_id, opens_at);
CREATE INDEX idx_sessions_account_id ON sessions (account_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);
CREATE UNIQUE INDEX idx_sessions_token_hash ON sessions (token_hash);
ALTER TABLE questions ADD CONSTRAINT fk_instruments_questions FOREIGN KEY (instrument_id) REFERENCES instruments(id);
ALTER TABLE answers ADD CONSTRAINT fk_responses_answers FOREIGN KEY (response_id) REFERENCES responses(id);

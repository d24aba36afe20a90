-- Migration 3, step 3 "mail outbox" of the releases before SQL migrations:
-- the mail outbox (mail_messages) and the development outbox (dev_mails).

-- +goose Up
CREATE TABLE dev_mails (
    id bigserial,
    message_id character varying(200) NOT NULL,
    kind character varying(16) NOT NULL,
    to_address character varying(254) NOT NULL,
    subject character varying(300) NOT NULL,
    text text NOT NULL,
    html text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE mail_messages (
    id bigserial,
    org_id bigint,
    round_id bigint,
    invitation_id bigint,
    kind character varying(16) NOT NULL,
    to_address character varying(254) NOT NULL,
    subject character varying(300) NOT NULL,
    text text NOT NULL,
    html text NOT NULL,
    message_id character varying(200) NOT NULL,
    status character varying(16) NOT NULL,
    attempts bigint DEFAULT 0 NOT NULL,
    last_error character varying(1000) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone,
    sent_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX idx_dev_mails_created_at ON dev_mails (created_at);
CREATE UNIQUE INDEX idx_dev_mails_message_id ON dev_mails (message_id);
CREATE INDEX idx_mail_messages_invitation_id ON mail_messages (invitation_id);
CREATE UNIQUE INDEX idx_mail_messages_message_id ON mail_messages (message_id);
CREATE INDEX idx_mail_messages_org_id ON mail_messages (org_id);
CREATE INDEX idx_mail_messages_round_id ON mail_messages (round_id);
CREATE INDEX idx_mail_messages_status ON mail_messages (status);

-- Migration 11, step 11 "organisation settings: time zone, accent colour, archive, logo" of the releases before SQL migrations:
-- organisation settings: time zone, accent colour, archive, logo (org_logos).

-- +goose Up
CREATE TABLE org_logos (
    org_id bigint NOT NULL,
    content_type character varying(32) NOT NULL,
    data bytea NOT NULL,
    updated_at timestamp with time zone,
    PRIMARY KEY (org_id)
);
ALTER TABLE organisations ADD COLUMN time_zone character varying(64) DEFAULT 'UTC'::character varying NOT NULL;
ALTER TABLE organisations ADD COLUMN accent_color character varying(7) DEFAULT ''::character varying NOT NULL;
ALTER TABLE organisations ADD COLUMN archived_at timestamp with time zone;

-- Migration 23: times in the format of the SQLite driver modernc.org/sqlite
-- (through github.com/glebarez/sqlite), which replaced ncruces/go-sqlite3
-- (issue 17: a first build in a third of the memory). SQLite keeps times as
-- text and compares them as text, so a stored time must be in exactly the
-- format the driver binds, or a range query (expires_at > ?) compares the
-- wrong way. ncruces wrote RFC 3339 with nanoseconds,
--     2016-12-04T08:00:00.5Z      (trailing zeros of the fraction left out)
-- the new driver writes Go's "2006-01-02 15:04:05.999999999-07:00",
--     2016-12-04 08:00:00.5+00:00
-- Every time column of Accord's tables is rewritten: the 'T' becomes a
-- space, a fraction loses its trailing zeros (migration 2 wrote ".000"),
-- "Z" becomes "+00:00"; a value with another offset keeps it. Values not in
-- the old format (NULL, already rewritten) are left alone. River's tables
-- are not touched: River writes its own times as text, whatever the driver.

-- +goose Up
UPDATE account_tokens SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE account_tokens SET expires_at = substr(expires_at, 1, 10) || ' ' || substr(expires_at, 12, 8) || CASE
	WHEN expires_at GLOB '*Z' THEN rtrim(substr(expires_at, 20, length(expires_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(expires_at, 20, length(expires_at) - 25), '0.') || substr(expires_at, -6) END
WHERE expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE account_tokens SET used_at = substr(used_at, 1, 10) || ' ' || substr(used_at, 12, 8) || CASE
	WHEN used_at GLOB '*Z' THEN rtrim(substr(used_at, 20, length(used_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(used_at, 20, length(used_at) - 25), '0.') || substr(used_at, -6) END
WHERE used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE accounts SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE accounts SET disabled_at = substr(disabled_at, 1, 10) || ' ' || substr(disabled_at, 12, 8) || CASE
	WHEN disabled_at GLOB '*Z' THEN rtrim(substr(disabled_at, 20, length(disabled_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(disabled_at, 20, length(disabled_at) - 25), '0.') || substr(disabled_at, -6) END
WHERE disabled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR disabled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE accounts SET password_changed_at = substr(password_changed_at, 1, 10) || ' ' || substr(password_changed_at, 12, 8) || CASE
	WHEN password_changed_at GLOB '*Z' THEN rtrim(substr(password_changed_at, 20, length(password_changed_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(password_changed_at, 20, length(password_changed_at) - 25), '0.') || substr(password_changed_at, -6) END
WHERE password_changed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR password_changed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE action_plans SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE action_plans SET due_date = substr(due_date, 1, 10) || ' ' || substr(due_date, 12, 8) || CASE
	WHEN due_date GLOB '*Z' THEN rtrim(substr(due_date, 20, length(due_date) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(due_date, 20, length(due_date) - 25), '0.') || substr(due_date, -6) END
WHERE due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE action_plans SET updated_at = substr(updated_at, 1, 10) || ' ' || substr(updated_at, 12, 8) || CASE
	WHEN updated_at GLOB '*Z' THEN rtrim(substr(updated_at, 20, length(updated_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(updated_at, 20, length(updated_at) - 25), '0.') || substr(updated_at, -6) END
WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE api_tokens SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE api_tokens SET expires_at = substr(expires_at, 1, 10) || ' ' || substr(expires_at, 12, 8) || CASE
	WHEN expires_at GLOB '*Z' THEN rtrim(substr(expires_at, 20, length(expires_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(expires_at, 20, length(expires_at) - 25), '0.') || substr(expires_at, -6) END
WHERE expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE api_tokens SET last_used_at = substr(last_used_at, 1, 10) || ' ' || substr(last_used_at, 12, 8) || CASE
	WHEN last_used_at GLOB '*Z' THEN rtrim(substr(last_used_at, 20, length(last_used_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(last_used_at, 20, length(last_used_at) - 25), '0.') || substr(last_used_at, -6) END
WHERE last_used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR last_used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE api_tokens SET revoked_at = substr(revoked_at, 1, 10) || ' ' || substr(revoked_at, 12, 8) || CASE
	WHEN revoked_at GLOB '*Z' THEN rtrim(substr(revoked_at, 20, length(revoked_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(revoked_at, 20, length(revoked_at) - 25), '0.') || substr(revoked_at, -6) END
WHERE revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE audit_entries SET at = substr(at, 1, 10) || ' ' || substr(at, 12, 8) || CASE
	WHEN at GLOB '*Z' THEN rtrim(substr(at, 20, length(at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(at, 20, length(at) - 25), '0.') || substr(at, -6) END
WHERE at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE chat_webhooks SET updated_at = substr(updated_at, 1, 10) || ' ' || substr(updated_at, 12, 8) || CASE
	WHEN updated_at GLOB '*Z' THEN rtrim(substr(updated_at, 20, length(updated_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(updated_at, 20, length(updated_at) - 25), '0.') || substr(updated_at, -6) END
WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE dev_mails SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE instruments SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE invitation_tokens SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE invitations SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE invitations SET sent_at = substr(sent_at, 1, 10) || ' ' || substr(sent_at, 12, 8) || CASE
	WHEN sent_at GLOB '*Z' THEN rtrim(substr(sent_at, 20, length(sent_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(sent_at, 20, length(sent_at) - 25), '0.') || substr(sent_at, -6) END
WHERE sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE mail_messages SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE mail_messages SET sent_at = substr(sent_at, 1, 10) || ' ' || substr(sent_at, 12, 8) || CASE
	WHEN sent_at GLOB '*Z' THEN rtrim(substr(sent_at, 20, length(sent_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(sent_at, 20, length(sent_at) - 25), '0.') || substr(sent_at, -6) END
WHERE sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE org_logos SET updated_at = substr(updated_at, 1, 10) || ' ' || substr(updated_at, 12, 8) || CASE
	WHEN updated_at GLOB '*Z' THEN rtrim(substr(updated_at, 20, length(updated_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(updated_at, 20, length(updated_at) - 25), '0.') || substr(updated_at, -6) END
WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE organisations SET archived_at = substr(archived_at, 1, 10) || ' ' || substr(archived_at, 12, 8) || CASE
	WHEN archived_at GLOB '*Z' THEN rtrim(substr(archived_at, 20, length(archived_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(archived_at, 20, length(archived_at) - 25), '0.') || substr(archived_at, -6) END
WHERE archived_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR archived_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE organisations SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE people SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE people SET updated_at = substr(updated_at, 1, 10) || ' ' || substr(updated_at, 12, 8) || CASE
	WHEN updated_at GLOB '*Z' THEN rtrim(substr(updated_at, 20, length(updated_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(updated_at, 20, length(updated_at) - 25), '0.') || substr(updated_at, -6) END
WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rate_counts SET bucket = substr(bucket, 1, 10) || ' ' || substr(bucket, 12, 8) || CASE
	WHEN bucket GLOB '*Z' THEN rtrim(substr(bucket, 20, length(bucket) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(bucket, 20, length(bucket) - 25), '0.') || substr(bucket, -6) END
WHERE bucket GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR bucket GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE readiness SET checked_at = substr(checked_at, 1, 10) || ' ' || substr(checked_at, 12, 8) || CASE
	WHEN checked_at GLOB '*Z' THEN rtrim(substr(checked_at, 20, length(checked_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(checked_at, 20, length(checked_at) - 25), '0.') || substr(checked_at, -6) END
WHERE checked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR checked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE responses SET submitted_on = substr(submitted_on, 1, 10) || ' ' || substr(submitted_on, 12, 8) || CASE
	WHEN submitted_on GLOB '*Z' THEN rtrim(substr(submitted_on, 20, length(submitted_on) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(submitted_on, 20, length(submitted_on) - 25), '0.') || substr(submitted_on, -6) END
WHERE submitted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR submitted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rollup_rounds SET computed_at = substr(computed_at, 1, 10) || ' ' || substr(computed_at, 12, 8) || CASE
	WHEN computed_at GLOB '*Z' THEN rtrim(substr(computed_at, 20, length(computed_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(computed_at, 20, length(computed_at) - 25), '0.') || substr(computed_at, -6) END
WHERE computed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR computed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE round_messages SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rounds SET closed_at = substr(closed_at, 1, 10) || ' ' || substr(closed_at, 12, 8) || CASE
	WHEN closed_at GLOB '*Z' THEN rtrim(substr(closed_at, 20, length(closed_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(closed_at, 20, length(closed_at) - 25), '0.') || substr(closed_at, -6) END
WHERE closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rounds SET closes_at = substr(closes_at, 1, 10) || ' ' || substr(closes_at, 12, 8) || CASE
	WHEN closes_at GLOB '*Z' THEN rtrim(substr(closes_at, 20, length(closes_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(closes_at, 20, length(closes_at) - 25), '0.') || substr(closes_at, -6) END
WHERE closes_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR closes_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rounds SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rounds SET opens_at = substr(opens_at, 1, 10) || ' ' || substr(opens_at, 12, 8) || CASE
	WHEN opens_at GLOB '*Z' THEN rtrim(substr(opens_at, 20, length(opens_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(opens_at, 20, length(opens_at) - 25), '0.') || substr(opens_at, -6) END
WHERE opens_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR opens_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE rounds SET period_start = substr(period_start, 1, 10) || ' ' || substr(period_start, 12, 8) || CASE
	WHEN period_start GLOB '*Z' THEN rtrim(substr(period_start, 20, length(period_start) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(period_start, 20, length(period_start) - 25), '0.') || substr(period_start, -6) END
WHERE period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE schedules SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE schedules SET start_date = substr(start_date, 1, 10) || ' ' || substr(start_date, 12, 8) || CASE
	WHEN start_date GLOB '*Z' THEN rtrim(substr(start_date, 20, length(start_date) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(start_date, 20, length(start_date) - 25), '0.') || substr(start_date, -6) END
WHERE start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE schedules SET updated_at = substr(updated_at, 1, 10) || ' ' || substr(updated_at, 12, 8) || CASE
	WHEN updated_at GLOB '*Z' THEN rtrim(substr(updated_at, 20, length(updated_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(updated_at, 20, length(updated_at) - 25), '0.') || substr(updated_at, -6) END
WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE sessions SET created_at = substr(created_at, 1, 10) || ' ' || substr(created_at, 12, 8) || CASE
	WHEN created_at GLOB '*Z' THEN rtrim(substr(created_at, 20, length(created_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(created_at, 20, length(created_at) - 25), '0.') || substr(created_at, -6) END
WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE sessions SET expires_at = substr(expires_at, 1, 10) || ' ' || substr(expires_at, 12, 8) || CASE
	WHEN expires_at GLOB '*Z' THEN rtrim(substr(expires_at, 20, length(expires_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(expires_at, 20, length(expires_at) - 25), '0.') || substr(expires_at, -6) END
WHERE expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE sessions SET last_seen_at = substr(last_seen_at, 1, 10) || ' ' || substr(last_seen_at, 12, 8) || CASE
	WHEN last_seen_at GLOB '*Z' THEN rtrim(substr(last_seen_at, 20, length(last_seen_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(last_seen_at, 20, length(last_seen_at) - 25), '0.') || substr(last_seen_at, -6) END
WHERE last_seen_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR last_seen_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';
UPDATE sso_attempts SET expires_at = substr(expires_at, 1, 10) || ' ' || substr(expires_at, 12, 8) || CASE
	WHEN expires_at GLOB '*Z' THEN rtrim(substr(expires_at, 20, length(expires_at) - 20), '0.') || '+00:00'
	ELSE rtrim(substr(expires_at, 20, length(expires_at) - 25), '0.') || substr(expires_at, -6) END
WHERE expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*Z' OR expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*[+-][0-9][0-9]:[0-9][0-9]';

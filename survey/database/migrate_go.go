package database

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"

	"github.com/pressly/goose/v3"
)

// goMigrations are the migrations that need Go beside SQL. Like the SQL
// files they are history: frozen once released, written against the
// schema of their version, never against today's structs.
func goMigrations(dialect string) []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(10, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			return unlinkableStorage(ctx, tx, dialect)
		}}, nil),
	}
}

// unlinkableStorage is migration 10: invitations no longer record who
// answered, and the development outbox keeps no survey links.
//
// invitations.responded_at joined every response to its invitation: set in
// the response's transaction, it shared its transaction id (xmin) and its
// day. Who answered before the upgrade is kept, without time, in
// legacy_answered (one statement, invitation order), so a second link still
// cannot store a second response and the analytics still know who answered
// earlier rounds. On PostgreSQL dropping a column rewrites no row, so every
// invitation is rewritten (new xmin for all) and then clustered by ID, which
// also orders the table physically by ID instead of by answer time and
// leaves out the old row versions. SQLite rewrites the rows itself, in
// place by rowid.
func unlinkableStorage(ctx context.Context, tx *sql.Tx, dialect string) error {
	statements := []string{
		`CREATE TABLE legacy_answered (invitation_id integer, PRIMARY KEY (invitation_id))`,
		`INSERT INTO legacy_answered (invitation_id) SELECT id FROM invitations WHERE responded_at IS NOT NULL ORDER BY id`,
		`ALTER TABLE invitations DROP COLUMN responded_at`,
	}
	if dialect == Postgres {
		statements[0] = `CREATE TABLE legacy_answered (invitation_id bigint NOT NULL, CONSTRAINT legacy_answered_pkey PRIMARY KEY (invitation_id))`
		statements = append(statements,
			`UPDATE invitations SET token_hash = token_hash`,
			`CLUSTER invitations USING invitations_pkey`)
	}
	for _, s := range statements {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return withholdDevMailLinks(ctx, tx, dialect)
}

// respondentLinkToken matches the token of a respondent link (/s/ and 43
// URL-safe base64 characters), as mail.RedactRespondentLinks did when
// migration 10 was written; withheldLink replaces it.
var respondentLinkToken = regexp.MustCompile(`/s/[A-Za-z0-9_-]{43}`)

const withheldLink = "/s/WITHHELD-see-the-server-log"

// withholdDevMailLinks removes survey links from the development outbox's
// stored emails, which from migration 10 on never keep them: each would let
// whoever reads it open that person's answers. Batches of 500 by id.
func withholdDevMailLinks(ctx context.Context, tx *sql.Tx, dialect string) error {
	query, update := `SELECT id, text, html FROM dev_mails WHERE id > ? ORDER BY id LIMIT 500`,
		`UPDATE dev_mails SET text = ?, html = ? WHERE id = ?`
	if dialect == Postgres {
		query, update = `SELECT id, text, html FROM dev_mails WHERE id > $1 ORDER BY id LIMIT 500`,
			`UPDATE dev_mails SET text = $1, html = $2 WHERE id = $3`
	}
	type mail struct {
		id         int64
		text, html string
	}
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, query, after)
		if err != nil {
			return err
		}
		var batch []mail
		for rows.Next() {
			var m mail
			if err := rows.Scan(&m.id, &m.text, &m.html); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, m)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, m := range batch {
			text := respondentLinkToken.ReplaceAllLiteralString(m.text, withheldLink)
			html := respondentLinkToken.ReplaceAllLiteralString(m.html, withheldLink)
			if text == m.text && html == m.html {
				continue
			}
			if _, err := tx.ExecContext(ctx, update, text, html, m.id); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].id
	}
}

package demo

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey"
	"accord/survey/database"
)

// sqliteSink inserts invitations and answers with plain multi-row INSERTs
// that reuse one prepared statement for every full batch: at benchmark
// scale GORM's per-batch statement building, SQLite's parsing of 30,000
// placeholders and the RETURNING of ids nobody needs cost a third of the
// load. Responses still go through GORM, whose RETURNING gives their ids.
type sqliteSink struct {
	tx *gorm.DB
}

// invitations numbers the rows itself, after the highest id so far (SQLite
// has one writer, and the response keys need the ids).
func (s sqliteSink) invitations(rows []survey.Invitation) error {
	var last int64
	if err := s.tx.Raw("SELECT COALESCE(MAX(id), 0) FROM invitations").Scan(&last).Error; err != nil {
		return fmt.Errorf("number invitations: %w", err)
	}
	for i := range rows {
		rows[i].ID = last + int64(i) + 1
	}
	return insertRows(s.tx, "invitations", invitationColumns, rows, func(r *survey.Invitation, args []any) []any {
		return append(args, invitationValues(r)...)
	})
}

func (s sqliteSink) responses(rows []survey.Response) error {
	n, err := database.BatchOf(s.tx, &survey.Response{})
	if err != nil {
		return err
	}
	return s.tx.Omit(clause.Associations).CreateInBatches(&rows, n).Error
}

func (s sqliteSink) answers(rows []survey.Answer) error {
	cols := []string{"response_id", "question_id", "value", "text"}
	return insertRows(s.tx, "answers", cols, rows, func(r *survey.Answer, args []any) []any {
		return append(args, r.ResponseID, r.QuestionID, r.Value, r.Text)
	})
}

// insertRows inserts rows into table in batches of at most database.MaxParams(db)
// parameters. values appends one row's column values to args.
func insertRows[T any](db *gorm.DB, table string, cols []string, rows []T, values func(*T, []any) []any) error {
	tx, ok := db.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("insert into %s: not in a transaction (%T)", table, db.Statement.ConnPool)
	}
	ctx := db.Statement.Context
	per := database.BatchRows(db, len(cols))
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, min(per, len(rows))*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for i := start; i < end; i++ {
			args = values(&rows[i], args)
		}
		var err error
		if end-start < per {
			_, err = tx.ExecContext(ctx, insertSQL(table, cols, end-start), args...)
		} else {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, insertSQL(table, cols, per)); err != nil {
					return fmt.Errorf("insert into %s: %w", table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// insertSQL returns INSERT INTO table (cols) VALUES (?, …), … for n rows.
func insertSQL(table string, cols []string, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	var b strings.Builder
	b.Grow(len(table) + 40 + n*(len(row)+1))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

package demo

import (
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"accord/survey"
)

// copySink loads rows with PostgreSQL's COPY, several times faster than
// multi-row INSERTs at benchmark scale. It runs on the connection that
// holds tx's transaction, so the copied rows commit or roll back with it.
type copySink struct {
	tx   *gorm.DB
	conn *sql.Conn
}

// invitations takes ids from the table's own sequence first, since COPY
// cannot return them and the response keys need them.
func (s copySink) invitations(rows []survey.Invitation) error {
	if err := s.allocate("invitations", len(rows), func(i int, id int64) { rows[i].ID = id }); err != nil {
		return err
	}
	return copyRows(s, "invitations", invitationColumns, rows, invitationValues)
}

// allocate takes n ids from table's sequence and hands each to set.
func (s copySink) allocate(table string, n int, set func(i int, id int64)) error {
	var ids []int64
	err := s.tx.Raw("SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", table, n).
		Scan(&ids).Error
	if err != nil {
		return fmt.Errorf("allocate %s ids: %w", table, err)
	}
	if len(ids) != n {
		return fmt.Errorf("allocate %s ids: got %d, want %d", table, len(ids), n)
	}
	for i, id := range ids {
		set(i, id)
	}
	return nil
}

// responses takes ids from the table's own sequence first, since COPY
// cannot return them and the answers need them.
func (s copySink) responses(rows []survey.Response) error {
	if err := s.allocate("responses", len(rows), func(i int, id int64) { rows[i].ID = id }); err != nil {
		return err
	}
	cols := []string{"id", "org_id", "round_id", "edit_key", "function", "team", "region", "tenure_band", "submitted_on"}
	return copyRows(s, "responses", cols, rows, func(r *survey.Response) []any {
		return []any{r.ID, r.OrgID, r.RoundID, r.EditKey, r.Function, r.Team, r.Region, r.TenureBand, r.SubmittedOn}
	})
}

func (s copySink) answers(rows []survey.Answer) error {
	cols := []string{"response_id", "question_id", "value", "text"}
	return copyRows(s, "answers", cols, rows, func(r *survey.Answer) []any {
		return []any{r.ResponseID, r.QuestionID, r.Value, r.Text}
	})
}

// copyRows streams rows into table through the pgx connection under s.conn.
func copyRows[T any](s copySink, table string, cols []string, rows []T, values func(*T) []any) error {
	return s.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: connection is %T, not pgx", table, driverConn)
		}
		src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return values(&rows[i]), nil })
		n, err := c.Conn().CopyFrom(s.tx.Statement.Context, pgx.Identifier{table}, cols, src)
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		if n != int64(len(rows)) {
			return fmt.Errorf("copy into %s: %d of %d rows stored", table, n, len(rows))
		}
		return nil
	})
}

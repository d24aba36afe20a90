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

func (s copySink) invitations(rows []survey.Invitation) error {
	return copyRows(s, "invitations", invitationColumns, rows, invitationValues)
}

// responses takes ids from the table's own sequence first, since COPY
// cannot return them and the answers need them.
func (s copySink) responses(rows []survey.Response) error {
	var ids []int64
	err := s.tx.Raw("SELECT nextval(pg_get_serial_sequence('responses', 'id')) FROM generate_series(1, ?)", len(rows)).
		Scan(&ids).Error
	if err != nil {
		return fmt.Errorf("allocate response ids: %w", err)
	}
	if len(ids) != len(rows) {
		return fmt.Errorf("allocate response ids: got %d, want %d", len(ids), len(rows))
	}
	for i := range rows {
		rows[i].ID = ids[i]
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

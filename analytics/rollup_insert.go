package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// insertRollups inserts rows (rollup cells or statement rows) without
// reading anything back: nothing uses their IDs, and a batch insert through
// GORM returns and scans every new ID. On SQLite a prepared INSERT of
// sqliteBatch rows runs per full batch and a prepared single-row one per
// remaining row (no round trips to save, but each statement's execution
// costs as much as a few rows, and a statement with thousands of
// parameters costs its parsing); on PostgreSQL multi-row INSERTs of batch
// rows save round trips.
func insertRollups[T any](ctx context.Context, tx *gorm.DB, rows []T, batch int) error {
	if len(rows) == 0 {
		return nil
	}
	stmt := &gorm.Statement{DB: tx}
	if err := stmt.Parse(&rows[0]); err != nil {
		return err
	}
	var fields []*schema.Field
	var cols []string
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" || (f.PrimaryKey && f.AutoIncrement) {
			continue
		}
		fields = append(fields, f)
		cols = append(cols, tx.Statement.Quote(f.DBName))
	}
	values := func(args []any, row *T) []any {
		rv := reflect.ValueOf(row).Elem()
		for _, f := range fields {
			v, _ := f.ValueOf(ctx, rv)
			args = append(args, v)
		}
		return args
	}
	// inBatches calls exec with each batch of batch rows and its values.
	inBatches := func(exec func(n int, args []any) error) error {
		args := make([]any, 0, batch*len(fields))
		for start := 0; start < len(rows); start += batch {
			end := min(start+batch, len(rows))
			args = args[:0]
			for i := start; i < end; i++ {
				args = values(args, &rows[i])
			}
			if err := exec(end-start, args); err != nil {
				return err
			}
		}
		return nil
	}
	head := "INSERT INTO " + tx.Statement.Quote(stmt.Schema.Table) + " (" + strings.Join(cols, ",") + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(fields)), ",") + ")"
	rowsSQL := func(n int) string { return head + strings.TrimSuffix(strings.Repeat(one+",", n), ",") }
	p, canPrepare := tx.WithContext(ctx).Statement.ConnPool.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if tx.Dialector.Name() == "postgres" {
		// Straight to the connection with numbered parameters: GORM's
		// rewriting of tens of thousands of placeholders per batch cost
		// as much as sending them.
		conn := tx.WithContext(ctx).Statement.ConnPool
		return inBatches(func(n int, args []any) error {
			_, err := conn.ExecContext(ctx, numbered(head, len(fields), n), args...)
			return err
		})
	}
	if !canPrepare {
		return inBatches(func(n int, args []any) error { return tx.WithContext(ctx).Exec(rowsSQL(n), args...).Error })
	}
	prepared := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range prepared {
			s.Close()
		}
	}()
	args := make([]any, 0, sqliteBatch*len(fields))
	for start := 0; start < len(rows); {
		n := sqliteBatch
		if len(rows)-start < n {
			n = 1
		}
		s := prepared[n]
		if s == nil {
			var err error
			if s, err = p.PrepareContext(ctx, rowsSQL(n)); err != nil {
				return fmt.Errorf("prepare insert: %w", err)
			}
			prepared[n] = s
		}
		args = args[:0]
		for i := start; i < start+n; i++ {
			args = values(args, &rows[i])
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return err
		}
		start += n
	}
	return nil
}

// numbered returns head followed by n rows of cols PostgreSQL parameters:
// ($1,$2),($3,$4)…
func numbered(head string, cols, n int) string {
	var b strings.Builder
	b.Grow(len(head) + n*cols*7)
	b.WriteString(head)
	p := 1
	for r := range n {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// sqliteBatch rows per prepared INSERT on SQLite.
const sqliteBatch = 16

package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// insertRollups inserts rows (rollup cells or statement rows) without
// reading anything back: nothing uses their IDs, and a batch insert through
// GORM returns and scans every new ID. On SQLite one prepared single-row
// INSERT runs per row (no round trips to save, and no parsing of a
// statement with thousands of parameters per batch); on PostgreSQL
// multi-row INSERTs of batch rows save round trips.
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
	values := func(args []any, row *T) ([]any, error) {
		rv := reflect.ValueOf(row).Elem()
		for _, f := range fields {
			v, _ := f.ValueOf(ctx, rv)
			args = append(args, v)
		}
		return args, nil
	}
	head := "INSERT INTO " + tx.Statement.Quote(stmt.Schema.Table) + " (" + strings.Join(cols, ",") + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(fields)), ",") + ")"
	conn := tx.WithContext(ctx).Statement.ConnPool
	if tx.Dialector.Name() != "postgres" {
		batch = 1
	}
	var prepared *sql.Stmt
	if p, ok := conn.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	}); ok && batch == 1 {
		var err error
		if prepared, err = p.PrepareContext(ctx, head+one); err != nil {
			return fmt.Errorf("prepare insert: %w", err)
		}
		defer prepared.Close()
	}
	args := make([]any, 0, batch*len(fields))
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		args = args[:0]
		for i := start; i < end; i++ {
			var err error
			if args, err = values(args, &rows[i]); err != nil {
				return err
			}
		}
		var err error
		if prepared != nil {
			_, err = prepared.ExecContext(ctx, args...)
		} else {
			sqlText := head + strings.TrimSuffix(strings.Repeat(one+",", end-start), ",")
			err = tx.WithContext(ctx).Exec(sqlText, args...).Error
		}
		if err != nil {
			return err
		}
	}
	return nil
}

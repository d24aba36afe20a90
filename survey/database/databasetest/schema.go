package databasetest

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey/database"
)

// Schema is a database's tables as the upgrade tests compare them:
// columns (type, nullability, default), indexes and foreign keys,
// normalised per dialect so that the same schema reached by different
// paths (a fresh install, an upgrade that added columns at the end) reads
// the same. The migration libraries' own tables and the job queue's are
// left out.
type Schema map[string]Table

// Table is one table of a Schema.
type Table struct {
	Columns     map[string]Column
	Indexes     map[string]Index // by name; SQLite's automatic ones by their columns
	ForeignKeys []string         // "column -> table(column) ON DELETE …", sorted
}

// Column is one column of a Table.
type Column struct {
	Type       string
	NotNull    bool
	Default    string // "" for none
	PrimaryKey bool
}

// Index is one index of a Table.
type Index struct {
	Unique  bool
	Columns string // comma-separated, in index order
	Where   string // a partial index's condition, normalised
}

// skippedTable tells the tables that are not Accord's schema: the
// migration records and River's job queue.
func skippedTable(name string) bool {
	return strings.HasPrefix(name, "river_") || strings.HasPrefix(name, "sqlite_") ||
		name == "goose_db_version" || name == "schema_migrations"
}

// ReadSchema reads db's schema.
func ReadSchema(db *gorm.DB) (Schema, error) {
	tables, err := Tables(db)
	if err != nil {
		return nil, err
	}
	s := Schema{}
	for _, t := range tables {
		var tab Table
		if db.Dialector.Name() == database.Postgres {
			tab, err = readPostgresTable(db, t)
		} else {
			tab, err = readSQLiteTable(db, t)
		}
		if err != nil {
			return nil, fmt.Errorf("read table %s: %w", t, err)
		}
		s[t] = tab
	}
	return s, nil
}

// Tables lists Accord's tables in db, sorted.
func Tables(db *gorm.DB) ([]string, error) {
	var names []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialector.Name() == database.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	if err := db.Raw(q).Scan(&names).Error; err != nil {
		return nil, err
	}
	names = slices.DeleteFunc(names, skippedTable)
	slices.Sort(names)
	return names, nil
}

func readSQLiteTable(db *gorm.DB, table string) (Table, error) {
	t := Table{Columns: map[string]Column{}, Indexes: map[string]Index{}}
	var cols []struct {
		Name      string
		Type      string
		NotNull   bool    `gorm:"column:notnull"`
		DfltValue *string `gorm:"column:dflt_value"`
		PK        int     `gorm:"column:pk"`
	}
	if err := db.Raw(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, table).Scan(&cols).Error; err != nil {
		return t, err
	}
	for _, c := range cols {
		col := Column{Type: strings.ToLower(c.Type), NotNull: c.NotNull, PrimaryKey: c.PK > 0}
		if c.DfltValue != nil {
			col.Default = normaliseDefault(*c.DfltValue)
		}
		t.Columns[c.Name] = col
	}
	var idxs []struct {
		Name    string
		Unique  bool
		Origin  string
		Partial bool
	}
	if err := db.Raw(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, table).Scan(&idxs).Error; err != nil {
		return t, err
	}
	for _, ix := range idxs {
		var cols []string
		if err := db.Raw(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.Name).Scan(&cols).Error; err != nil {
			return t, err
		}
		idx := Index{Unique: ix.Unique, Columns: strings.Join(cols, ",")}
		if ix.Partial {
			var sql string
			if err := db.Raw(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, ix.Name).Scan(&sql).Error; err != nil {
				return t, err
			}
			if _, where, ok := strings.Cut(strings.ToLower(sql), " where "); ok {
				idx.Where = normaliseSQL(where)
			}
		}
		name := ix.Name
		if ix.Origin != "c" {
			// SQLite names the indexes of UNIQUE and PRIMARY KEY
			// constraints by their order in the table.
			name = ix.Origin + "(" + idx.Columns + ")"
		}
		t.Indexes[name] = idx
	}
	var fks []struct {
		Table, From, To string
		OnDelete        string `gorm:"column:on_delete"`
		OnUpdate        string `gorm:"column:on_update"`
	}
	if err := db.Raw(`SELECT "table", "from", "to", on_delete, on_update FROM pragma_foreign_key_list(?)`, table).Scan(&fks).Error; err != nil {
		return t, err
	}
	for _, fk := range fks {
		t.ForeignKeys = append(t.ForeignKeys, fmt.Sprintf("%s -> %s(%s) ON DELETE %s ON UPDATE %s", fk.From, fk.Table, fk.To, fk.OnDelete, fk.OnUpdate))
	}
	slices.Sort(t.ForeignKeys)
	return t, nil
}

func readPostgresTable(db *gorm.DB, table string) (Table, error) {
	t := Table{Columns: map[string]Column{}, Indexes: map[string]Index{}}
	var cols []struct {
		Name    string
		Type    string
		NotNull bool
		Dflt    *string
		PK      bool
	}
	err := db.Raw(`SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
	pg_get_expr(d.adbin, d.adrelid) AS dflt,
	EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS pk
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND a.attnum > 0 AND NOT a.attisdropped`, table).Scan(&cols).Error
	if err != nil {
		return t, err
	}
	for _, c := range cols {
		col := Column{Type: c.Type, NotNull: c.NotNull, PrimaryKey: c.PK}
		if c.Dflt != nil {
			col.Default = normaliseDefault(*c.Dflt)
		}
		t.Columns[c.Name] = col
	}
	var idxs []struct {
		Name   string
		Unique bool
		Def    string
	}
	err = db.Raw(`SELECT c.relname AS name, i.indisunique AS "unique", pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass`, table).Scan(&idxs).Error
	if err != nil {
		return t, err
	}
	for _, ix := range idxs {
		def := ix.Def
		idx := Index{Unique: ix.Unique}
		if open := strings.Index(def, " ("); open >= 0 {
			rest := def[open+2:]
			if close := strings.LastIndex(rest, ")"); close >= 0 {
				if w, ok := strings.CutPrefix(strings.TrimSpace(rest[close+1:]), "WHERE "); ok {
					idx.Where = normaliseSQL(w)
				}
				rest = rest[:close]
				if cut := strings.Index(rest, ") WHERE "); cut >= 0 {
					rest = rest[:cut]
				}
			}
			idx.Columns = strings.ReplaceAll(rest, " ", "")
		}
		t.Indexes[ix.Name] = idx
	}
	var fks []string
	err = db.Raw(`SELECT pg_get_constraintdef(oid) FROM pg_constraint
WHERE contype = 'f' AND conrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass`, table).Scan(&fks).Error
	if err != nil {
		return t, err
	}
	t.ForeignKeys = fks
	slices.Sort(t.ForeignKeys)
	return t, nil
}

// normaliseDefault drops the casts and quotes that differ between a
// default written in a CREATE TABLE and one added later.
func normaliseDefault(d string) string {
	d = strings.TrimSpace(d)
	for _, cast := range []string{"::character varying", "::text", "::bigint", "::integer", "::smallint", "::boolean", "::numeric", "::timestamp with time zone", "::timestamp without time zone"} {
		d = strings.ReplaceAll(d, cast, "")
	}
	d = strings.TrimSuffix(strings.TrimPrefix(d, "("), ")")
	if len(d) >= 2 && d[0] == '"' && d[len(d)-1] == '"' {
		// GORM writes SQLite's string defaults in double quotes, which
		// SQLite takes for a string when no column has that name.
		d = "'" + d[1:len(d)-1] + "'"
	}
	return d
}

// normaliseSQL lowercases and drops quotes, parentheses and spaces.
func normaliseSQL(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '"', '`', '(', ')', ' ', '\n', '\t':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// Diff lists how s differs from want, one line per difference, sorted;
// empty when they are the same.
func (s Schema) Diff(want Schema) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		got, ok := s[name]
		if !ok {
			out = append(out, "missing table "+name)
			continue
		}
		out = append(out, got.diff(name, want[name])...)
	}
	for name := range s {
		if _, ok := want[name]; !ok {
			out = append(out, "extra table "+name)
		}
	}
	slices.Sort(out)
	return out
}

func (t Table) diff(table string, want Table) []string {
	var out []string
	for name, wc := range want.Columns {
		gc, ok := t.Columns[name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: missing column %s %+v", table, name, wc))
		case gc != wc:
			out = append(out, fmt.Sprintf("%s.%s: %+v, want %+v", table, name, gc, wc))
		}
	}
	for name, gc := range t.Columns {
		if _, ok := want.Columns[name]; !ok {
			out = append(out, fmt.Sprintf("%s: extra column %s %+v", table, name, gc))
		}
	}
	for name, wi := range want.Indexes {
		gi, ok := t.Indexes[name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: missing index %s %+v", table, name, wi))
		case gi != wi:
			out = append(out, fmt.Sprintf("%s: index %s %+v, want %+v", table, name, gi, wi))
		}
	}
	for name, gi := range t.Indexes {
		if _, ok := want.Indexes[name]; !ok {
			out = append(out, fmt.Sprintf("%s: extra index %s %+v", table, name, gi))
		}
	}
	if !slices.Equal(t.ForeignKeys, want.ForeignKeys) {
		out = append(out, fmt.Sprintf("%s: foreign keys %q, want %q", table, t.ForeignKeys, want.ForeignKeys))
	}
	return out
}

// Rows reads every row of table as column → value text (NULL for null,
// hex for bytes, UTC RFC 3339 for times), in a stable order.
func Rows(db *gorm.DB, table string) ([]map[string]string, error) {
	// The columns by name, from the catalogue: PostgreSQL refuses a
	// "SELECT *" prepared before a migration changed the table.
	var names []string
	q := `SELECT name FROM pragma_table_info(?)`
	if db.Dialector.Name() == database.Postgres {
		q = `SELECT attname FROM pg_attribute WHERE attrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass AND attnum > 0 AND NOT attisdropped`
	}
	if err := db.Raw(q, table).Scan(&names).Error; err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = `"` + n + `"`
	}
	rows, err := db.Raw("SELECT " + strings.Join(names, ", ") + ` FROM "` + table + `"`).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make(map[string]string, len(cols))
		for i, c := range cols {
			row[c] = valueText(vals[i])
		}
		out = append(out, row)
	}
	SortRows(out)
	return out, rows.Err()
}

// SortRows sorts rows read by Rows into its stable order.
func SortRows(rows []map[string]string) {
	slices.SortFunc(rows, func(a, b map[string]string) int { return strings.Compare(rowKey(a), rowKey(b)) })
}

func rowKey(r map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(r)) {
		fmt.Fprintf(&b, "%s=%s;", k, r[k])
	}
	return b.String()
}

func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "x" + hex.EncodeToString(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case bool:
		if v {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

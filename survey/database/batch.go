package database

import "gorm.io/gorm"

// maxParams bounds the bind parameters of one INSERT on PostgreSQL, under
// its limit of 65535.
const maxParams = 30000

// sqliteMaxParams bounds them on SQLite. Its limit is 32766, but the
// driver (glebarez/go-sqlite) binds each parameter after a linear search
// of the arguments, so a statement's binding costs the square of its
// parameters: 30,000 made accord demo 15 times slower than 999 does.
const sqliteMaxParams = 999

// MaxParams is the bound of bind parameters of one INSERT on db's dialect.
func MaxParams(db *gorm.DB) int {
	if db.Dialector.Name() == SQLite {
		return sqliteMaxParams
	}
	return maxParams
}

// BatchRows returns how many rows of a table with cols inserted columns
// fit in one INSERT on db.
func BatchRows(db *gorm.DB, cols int) int { return max(MaxParams(db)/max(cols, 1), 1) }

// BatchOf returns how many rows of model fit in one INSERT that GORM
// builds (CreateInBatches), counted from the model's columns as they are
// today: a column added later must not push a batch past the bound, as a
// hard-coded count would.
func BatchOf(db *gorm.DB, model any) (int, error) {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil {
		return 0, err
	}
	cols := 0
	for _, f := range stmt.Schema.Fields {
		if f.DBName != "" && f.Creatable {
			cols++
		}
	}
	return BatchRows(db, cols), nil
}

package database

import (
	"context"
	"path/filepath"
	"time"

	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"
)

// CheckWritable commits a small write, as every real write must, to the
// readiness row (migration 13). Its error says what is wrong in plain
// words (Problem) when it can.
func CheckWritable(ctx context.Context, db *gorm.DB) error {
	err := db.WithContext(ctx).Exec(`INSERT INTO readiness (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, time.Now().UTC()).Error
	if err == nil {
		return nil
	}
	problem := Problem(err)
	if sqliteVolumeFull(ctx, db, err) {
		problem = diskFullSQLite
	}
	return &NotWritableError{Problem: problem, Err: err}
}

// NotWritableError says that a write failed, and why in plain words when
// that is known.
type NotWritableError struct {
	Problem string // "" when unknown
	Err     error
}

// Error implements error.
func (e *NotWritableError) Error() string {
	if e.Problem == "" {
		return "database cannot be written: " + e.Err.Error()
	}
	return "database cannot be written: " + e.Problem + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *NotWritableError) Unwrap() error { return e.Err }

// sqliteVolumeFull tells a full volume behind an SQLite I/O error: SQLite
// often reports a failed write on a full disk as a plain "disk I/O error".
func sqliteVolumeFull(ctx context.Context, db *gorm.DB, err error) bool {
	if code, ok := sqliteCode(err); db.Dialector.Name() != SQLite || !ok || code != sqlite3.SQLITE_IOERR {
		return false
	}
	var files []struct {
		Seq        int
		Name, File string
	}
	if db.WithContext(ctx).Raw("PRAGMA database_list").Scan(&files).Error != nil {
		return false
	}
	for _, f := range files {
		if f.Name == "main" && f.File != "" {
			return volumeFull(filepath.Dir(f.File))
		}
	}
	return false
}

package database

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/pressly/goose/v3"
	goosedb "github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"
)

// Schema migrations are SQL files, one set per dialect, embedded in the
// binary and applied in version order by goose (github.com/pressly/goose),
// which records each applied version in goose_db_version. Versions 1–15
// are the numbered steps of the releases before SQL migrations (whose
// schema_migrations record adoptLegacy takes over); a released migration is
// never edited. How to add one, and the schema fixtures of every released
// version that the upgrade test starts from: testdata/schema/README.md.
//
//go:embed migrations
var migrationFiles embed.FS

// versionTable is where goose records applied versions.
const versionTable = "goose_db_version"

// migrationLock is the PostgreSQL advisory lock key that serialises
// replicas migrating at once (the key the step-by-step migrations used).
const migrationLock = 7426001

// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// LatestVersion is the schema version this binary expects.
func LatestVersion() int {
	vs := Versions()
	return vs[len(vs)-1]
}

// Versions lists the migrations this binary knows, in order.
func Versions() []int {
	var out []int
	for _, v := range versions(SQLite) {
		out = append(out, int(v))
	}
	return out
}

// versions lists the migrations of a dialect, in order.
func versions(dialect string) []int64 {
	files, err := fs.Glob(migrationFiles, "migrations/"+dialect+"/*.sql")
	if err != nil {
		panic(err)
	}
	var out []int64
	for _, f := range files {
		v, err := goose.NumericComponent(f)
		if err != nil {
			panic(fmt.Sprintf("migration file %s: %v", f, err))
		}
		out = append(out, v)
	}
	for _, m := range goMigrations(dialect) {
		out = append(out, m.Version)
	}
	slices.Sort(out)
	return out
}

// Migrate applies every pending migration and returns how many ran. It
// refuses a database whose schema is newer than this binary knows. A
// database made by the step-by-step migrations of earlier releases is
// taken over first (adoptLegacy). Several processes may call it at once:
// on PostgreSQL an advisory lock, held by goose for the whole run,
// serialises them; on SQLite a lock on the database file does (lockFile).
// The later ones find nothing left to do. Each migration runs in a
// transaction with the row that records it.
func Migrate(ctx context.Context, db *gorm.DB) (int, error) {
	dialect := db.Dialector.Name()
	provider, err := newProvider(db)
	if err != nil {
		return 0, err
	}
	if dialect == SQLite {
		path, err := sqliteFile(ctx, db)
		if err != nil {
			return 0, err
		}
		if path != "" {
			unlock, err := lockFile(ctx, path)
			if err != nil {
				return 0, err
			}
			defer unlock()
		}
	}
	if err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return prepare(ctx, tx, dialect)
	}); err != nil {
		return 0, err
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return len(applied(results)), fmt.Errorf("schema migration: %w", err)
	}
	return len(applied(results)), nil
}

func applied(results []*goose.MigrationResult) []*goose.MigrationResult {
	return slices.DeleteFunc(results, func(r *goose.MigrationResult) bool { return r.Error != nil || r.Empty })
}

// sqliteFile returns the file of db's main database, "" for one in memory.
func sqliteFile(ctx context.Context, db *gorm.DB) (string, error) {
	var files []struct {
		Seq        int
		Name, File string
	}
	if err := db.WithContext(ctx).Raw("PRAGMA database_list").Scan(&files).Error; err != nil {
		return "", err
	}
	for _, f := range files {
		if f.Name == "main" {
			return f.File, nil
		}
	}
	return "", nil
}

// newProvider sets goose up for db's dialect.
func newProvider(db *gorm.DB) (*goose.Provider, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	dialect := db.Dialector.Name()
	files, err := fs.Sub(migrationFiles, "migrations/"+dialect)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{
		goose.WithTableName(versionTable),
		goose.WithGoMigrations(goMigrations(dialect)...),
		goose.WithDisableGlobalRegistry(true),
		// Releases before 11 recorded step 14 before 11–13 existed (they
		// were merged in that order), and the old code then skipped them:
		// such a database gets them now.
		goose.WithAllowOutofOrder(true),
	}
	var gooseDialect goose.Dialect
	switch dialect {
	case Postgres:
		gooseDialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLock),
			lock.WithLockTimeout(1, 600)) // try every second for 10 minutes
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case SQLite:
		gooseDialect = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("no migrations for dialect %q", dialect)
	}
	return goose.NewProvider(gooseDialect, sqlDB, files, opts...)
}

// prepare runs before goose, in one transaction: it takes over a database
// of the step-by-step migrations (adoptLegacy) and refuses a schema newer
// than this binary.
func prepare(ctx context.Context, tx *gorm.DB, dialect string) error {
	if dialect == Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLock).Error; err != nil {
			return err
		}
	}
	if err := adoptLegacy(ctx, tx, dialect); err != nil {
		return fmt.Errorf("take over the schema_migrations record: %w", err)
	}
	if !tx.Migrator().HasTable(versionTable) {
		return nil
	}
	var current int
	if err := tx.Raw("SELECT COALESCE(MAX(version_id), 0) FROM " + versionTable + " WHERE is_applied").Scan(&current).Error; err != nil {
		return err
	}
	if current > LatestVersion() {
		return fmt.Errorf("%w: database is at version %d, this binary knows up to %d; upgrade accord",
			ErrSchemaTooNew, current, LatestVersion())
	}
	return nil
}

// legacyTable is where releases up to schema version 15 recorded each
// applied step (version, name, applied_at).
const legacyTable = "schema_migrations"

// legacyRetired is the version adoptLegacy records in schema_migrations:
// greater than any step the step-by-step code knew, so that an older
// binary started on this database refuses it (its ErrSchemaTooNew) instead
// of running on a schema it no longer describes.
const legacyRetired = 1_000_000

// adoptLegacy copies the steps recorded in schema_migrations into goose's
// table, once, when goose's table does not exist yet. The versions are the
// same numbers: migration N here is step N there, and a database at step N
// has the schema of fixture testdata/schema/DIALECT/N.sql.
func adoptLegacy(ctx context.Context, tx *gorm.DB, dialect string) error {
	if tx.Migrator().HasTable(versionTable) || !tx.Migrator().HasTable(legacyTable) {
		return nil
	}
	var steps []int64
	if err := tx.Raw("SELECT version FROM "+legacyTable+" WHERE version < ? ORDER BY version", legacyRetired).Scan(&steps).Error; err != nil {
		return err
	}
	if len(steps) == 0 {
		return nil
	}
	store, err := goosedb.NewStore(gooseStoreDialect(dialect), versionTable)
	if err != nil {
		return err
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return errors.New("not in a transaction")
	}
	if err := store.CreateVersionTable(ctx, sqlTx); err != nil {
		return err
	}
	for _, v := range append([]int64{0}, steps...) {
		if err := store.Insert(ctx, sqlTx, goosedb.InsertRequest{Version: v}); err != nil {
			return err
		}
	}
	return tx.Exec("INSERT INTO "+legacyTable+" (version, name, applied_at) VALUES (?, ?, ?)", legacyRetired,
		"schema versions are kept in "+versionTable+" from here on; this binary is too old for them", time.Now().UTC()).Error
}

func gooseStoreDialect(dialect string) goosedb.Dialect {
	if dialect == Postgres {
		return goosedb.DialectPostgres
	}
	return goosedb.DialectSQLite3
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func SchemaVersion(ctx context.Context, db *gorm.DB) (int, error) {
	db = db.WithContext(ctx)
	if !db.Migrator().HasTable(versionTable) {
		return 0, nil
	}
	var v int
	err := db.Raw("SELECT COALESCE(MAX(version_id), 0) FROM " + versionTable + " WHERE is_applied").Scan(&v).Error
	return v, err
}

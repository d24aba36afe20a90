package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"accord/survey/database"
)

// backup writes a consistent copy of the embedded SQLite database to a new
// file while the server may be running: VACUUM INTO reads one snapshot
// (WAL mode lets the server go on writing meanwhile) and writes a compact,
// self-contained database, unlike a copy of the live file, which can catch
// it half written and lose what is still in its write-ahead log.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs := m.flagSet("backup")
	out := fs.String("o", "", "the backup file to create (it must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("backup: give the file to write with -o FILE")
	}
	cfg, err := LoadConfig(m.Getenv)
	if err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	if cfg.Database.Dialect == database.Postgres {
		return errors.New(postgresBackupHelp)
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", *out)
	}
	db, err := database.Open(ctx, cfg.Database, nil)
	if err != nil {
		return err
	}
	defer database.Close(db)
	// Written beside the target and renamed into place, so that FILE is
	// either absent or a complete backup.
	tmp := filepath.Join(filepath.Dir(*out), "."+filepath.Base(*out)+".partial")
	os.Remove(tmp)
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error; err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", *out, err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", *out, err)
	}
	fmt.Fprintf(m.Stdout, "Backup written to %s.\n%s\n", *out, keyReminder)
	return nil
}

// keyReminder names the secret a backup is useless without.
const keyReminder = "Keep the server secret with it, stored apart: ACCORD_SECRET_KEY, or the key file beside the database " +
	"(accord.db.key). Restored with another key, respondents can no longer change their answers."

// postgresBackupHelp answers `accord backup` on PostgreSQL.
var postgresBackupHelp = strings.TrimSpace(`
backup: accord backup copies the embedded SQLite database; this server uses PostgreSQL
(ACCORD_DATABASE_URL), which backs up with its own tools, consistent while Accord runs:
  pg_dump --format=custom --file=accord.dump "$ACCORD_DATABASE_URL"
and restores into an empty database, before Accord starts on it:
  pg_restore --no-owner --dbname="$ACCORD_DATABASE_URL" accord.dump
` + keyReminder)

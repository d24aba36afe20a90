package secrets_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
	"accord/survey/secrets"
)

func TestKeyFileIsCreatedOnceWithOwnerOnlyAccess(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "accord.db.key")
		first, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{KeyFile: path}, nil)
		databasetest.Must(t, err)
		info, err := os.Stat(path)
		databasetest.Must(t, err)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
		}
		again, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{KeyFile: path}, nil)
		databasetest.Must(t, err)
		if !bytes.Equal(first, again) || len(first) < secrets.MinSecretLength {
			t.Fatalf("second start read another key (%d bytes)", len(again))
		}
		if found := settingsHolding(t, db, first); found != "" {
			t.Errorf("the secret is stored in the database: settings %s", found)
		}
	})
}

func TestWrongKeyIsRefused(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		right := []byte(strings.Repeat("r", 40))
		_, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{Configured: right}, nil)
		databasetest.Must(t, err)
		_, err = secrets.LoadSecret(ctx, db, secrets.SecretSource{Configured: []byte(strings.Repeat("w", 40))}, nil)
		if err == nil || !strings.Contains(err.Error(), "is not the one this database was set up with") {
			t.Fatalf("a wrong key: %v; want a refusal that says so", err)
		}
		if _, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{Configured: right}, nil); err != nil {
			t.Fatalf("the right key again: %v", err)
		}
	})
}

func TestNoKeyAndNoKeyFileIsRefused(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, err := secrets.LoadSecret(context.Background(), db, secrets.SecretSource{}, nil)
		if err == nil || !strings.Contains(err.Error(), "ACCORD_SECRET_KEY is not set") {
			t.Fatalf("no key and no key file: %v; want a refusal naming ACCORD_SECRET_KEY", err)
		}
	})
}

// TestStoredSecretIsMovedOut: a secret an earlier version generated and
// stored in the settings table moves to the key file (SQLite) or must be
// given as ACCORD_SECRET_KEY (PostgreSQL); either way it leaves the
// database and keeps its value, so earlier links keep working.
func TestStoredSecretIsMovedOut(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		old := bytes.Repeat([]byte{7}, 32)
		stored := base64.StdEncoding.EncodeToString(old)
		databasetest.Must(t, db.Create(&secrets.Setting{Key: "secret_key", Value: stored}).Error)

		_, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{}, nil)
		if err == nil || !strings.Contains(err.Error(), "ACCORD_SECRET_KEY=base64:") {
			t.Fatalf("stored secret, no key file: %v; want instructions to set ACCORD_SECRET_KEY=base64:…", err)
		}
		path := filepath.Join(t.TempDir(), "accord.db.key")
		key, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{KeyFile: path}, nil)
		databasetest.Must(t, err)
		if !bytes.Equal(key, old) {
			t.Fatal("the moved secret is not the stored one")
		}
		if found := settingsHolding(t, db, old); found != "" {
			t.Errorf("the secret is still in the database: settings %s", found)
		}
		given, err := secrets.ParseSecret("base64:" + stored)
		databasetest.Must(t, err)
		if _, err := secrets.LoadSecret(ctx, db, secrets.SecretSource{Configured: given}, nil); err != nil {
			t.Errorf("the same key given as ACCORD_SECRET_KEY=base64:…: %v", err)
		}
	})
}

// settingsHolding names the settings rows whose value is key, in any form.
func settingsHolding(t *testing.T, db *gorm.DB, key []byte) string {
	t.Helper()
	var all []secrets.Setting
	databasetest.Must(t, db.Find(&all).Error)
	var found []string
	for _, s := range all {
		if strings.Contains(s.Value, string(key)) || strings.Contains(s.Value, base64.StdEncoding.EncodeToString(key)) {
			found = append(found, s.Key)
		}
	}
	return strings.Join(found, ", ")
}

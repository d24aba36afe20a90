package database_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
)

func TestMigrateSeedsPulseOnceAndIsIdempotent(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		n, err := database.Migrate(ctx, db)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
		var inst survey.Instrument
		if err := db.Preload("Questions").Where("key = ? AND version = ?", survey.PulseKey, 1).First(&inst).Error; err != nil {
			t.Fatal(err)
		}
		if got, want := len(inst.Questions), len(survey.PulseQuestions()); got != want {
			t.Fatalf("pulse has %d questions, want %d", got, want)
		}
		v, err := database.SchemaVersion(ctx, db)
		if err != nil || v != database.LatestVersion() {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, database.LatestVersion())
		}
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		next := database.LatestVersion() + 1
		if err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)", next).Error; err != nil {
			t.Fatal(err)
		}
		_, err := database.Migrate(context.Background(), db)
		if !errors.Is(err, database.ErrSchemaTooNew) {
			t.Fatalf("Migrate on a newer schema = %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw, dialect string
		ok           bool
	}{
		{"", database.SQLite, true},
		{"sqlite:/tmp/x.db", database.SQLite, true},
		{"sqlite://data/accord.db", database.SQLite, true},
		{"postgres://u@localhost:5432/accord", database.Postgres, true},
		{"postgresql://u@db/accord?sslmode=disable", database.Postgres, true},
		{"mysql://root@localhost/x", "", false},
		{"postgres://", "", false},
		{"sqlite:", "", false},
		{"sqlite:x.db?_pragma=foo", "", false},
	}
	for _, tt := range tests {
		got, err := database.ParseURL(tt.raw)
		if (err == nil) != tt.ok || (tt.ok && got.Dialect != tt.dialect) {
			t.Errorf("ParseURL(%q) = %+v, %v; want dialect %q ok=%v", tt.raw, got, err, tt.dialect, tt.ok)
		}
	}
}

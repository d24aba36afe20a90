package database_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
)

// fixtures lists the stored schema fixtures of a dialect: one database per
// schema version released so far, as the old step-by-step code made it,
// with a little data (testdata/schema/README.md).
func fixtures(t *testing.T, dialect string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "schema", dialect, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema fixtures for %s: %v", dialect, err)
	}
	return files
}

// loadFixture returns an empty database of the dialect holding the fixture.
func loadFixture(t *testing.T, dialect, file string) *gorm.DB {
	t.Helper()
	db := databasetest.OpenTarget(t, databasetest.Target(t, dialect))
	sql, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := sqlDB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(string(sql)); err != nil {
		tx.Rollback()
		t.Fatalf("load %s: %v", file, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// snapshot reads every row of every table of Accord's schema.
func snapshot(t *testing.T, db *gorm.DB) map[string][]map[string]string {
	t.Helper()
	tables, err := databasetest.Tables(db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]map[string]string{}
	for _, table := range tables {
		rows, err := databasetest.Rows(db, table)
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// freshSchema is the schema that the SQL migrations give an empty database.
func freshSchema(t *testing.T, dialect string) databasetest.Schema {
	t.Helper()
	s, err := databasetest.ReadSchema(databasetest.Open(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestUpgradeFromEveryReleasedSchema loads each stored fixture (a database
// at one released schema version, made by that release's step-by-step
// migrations, with data), upgrades it with today's migrations and checks
// that it is at the latest version, that its schema is a fresh install's
// (tables, columns, types, nullability, defaults, indexes, foreign keys)
// and that every row is still there with the same values, but for what
// migration 10 changes on purpose.
func TestUpgradeFromEveryReleasedSchema(t *testing.T) {
	for _, dialect := range databasetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			fresh := freshSchema(t, dialect)
			for _, file := range fixtures(t, dialect) {
				t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
					upgradeFixture(t, dialect, file, fresh)
				})
			}
		})
	}
}

func upgradeFixture(t *testing.T, dialect, file string, fresh databasetest.Schema) {
	ctx := context.Background()
	db := loadFixture(t, dialect, file)
	before := snapshot(t, db)
	if len(before["organisations"]) == 0 {
		t.Fatal("the fixture holds no data")
	}
	// The versions the fixture records: the steps of the releases before
	// SQL migrations, goose's versions after them.
	var steps []int
	if db.Migrator().HasTable("goose_db_version") {
		databasetest.Must(t, db.Raw("SELECT version_id FROM goose_db_version WHERE is_applied AND version_id > 0").Scan(&steps).Error)
	} else {
		databasetest.Must(t, db.Raw("SELECT version FROM schema_migrations").Scan(&steps).Error)
	}
	pre10 := db.Migrator().HasColumn("invitations", "responded_at")

	n, err := database.Migrate(ctx, db)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if want := countMissing(steps); n != want {
		t.Errorf("upgrade applied %d migrations, want %d (the fixture had steps %v)", n, want, steps)
	}
	if v, err := database.SchemaVersion(ctx, db); err != nil || v != database.LatestVersion() {
		t.Errorf("SchemaVersion after the upgrade = %d, %v; want %d", v, err, database.LatestVersion())
	}
	if n, err := database.Migrate(ctx, db); err != nil || n != 0 {
		t.Errorf("second Migrate = %d, %v; want 0, nil", n, err)
	}
	if db.Migrator().HasTable("schema_migrations") {
		// An older binary, which reads only this table, must now refuse
		// the database as newer than it knows.
		var highest int
		databasetest.Must(t, db.Raw("SELECT MAX(version) FROM schema_migrations").Scan(&highest).Error)
		if highest <= 15 {
			t.Errorf("schema_migrations still ends at step %d: a binary of an earlier release would run on the new schema", highest)
		}
	}

	got, err := databasetest.ReadSchema(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got.Diff(fresh) {
		t.Errorf("schema differs from a fresh install: %s", d)
	}

	after := snapshot(t, db)
	checkAddedColumns(t, before, after, got)
	if pre10 {
		expectMigration10(t, before)
	}
	for table, rows := range before {
		got, want := commonColumns(after[table], rows)
		if !slices.EqualFunc(got, want, mapsEqual) {
			t.Errorf("rows of %s changed:\n got %v\nwant %v", table, got, want)
		}
	}
}

// checkAddedColumns: a column that the upgrade added to a table holds its
// default (NULL when it has none) in every row that was there before.
func checkAddedColumns(t *testing.T, before, after map[string][]map[string]string, schema databasetest.Schema) {
	t.Helper()
	for table, rows := range before {
		if len(rows) == 0 || len(after[table]) == 0 {
			continue
		}
		for col, c := range schema[table].Columns {
			if _, existed := rows[0][col]; existed {
				continue
			}
			want := defaultText(c.Default)
			for _, r := range after[table] {
				if table == "questions" && col == "translations" && survey.IsBuiltIn(r["key"]) {
					// Migration 18 gives the built-in pulse's questions
					// their translations, on purpose.
					checkPulseTranslations(t, r["key"], r[col])
					continue
				}
				if r[col] != want {
					t.Errorf("%s.%s, added by the upgrade, is %q in an earlier row, want its default %q", table, col, r[col], want)
				}
			}
		}
	}
}

// checkPulseTranslations: migration 18 stored the built-in question key's
// translations as the message files have them.
func checkPulseTranslations(t *testing.T, key, stored string) {
	t.Helper()
	var got map[string]survey.QuestionText
	if err := json.Unmarshal([]byte(stored), &got); err != nil {
		t.Errorf("questions.translations of %s: %v", key, err)
	} else if want := survey.PulseTranslations()[key]; !reflect.DeepEqual(got, want) {
		t.Errorf("questions.translations of %s = %v, want %v", key, got, want)
	}
}

// defaultText is how Rows shows a column's default value.
func defaultText(d string) string {
	switch d {
	case "":
		return "NULL"
	case "true":
		return "1"
	case "false":
		return "0"
	}
	return strings.Trim(d, "'")
}

// countMissing is how many of today's migrations a database that
// recorded steps lacks.
func countMissing(steps []int) int {
	n := 0
	for _, v := range database.Versions() {
		if !slices.Contains(steps, v) {
			n++
		}
	}
	return n
}

// expectMigration10 turns the rows read before migration 10 into what it
// leaves: invitations answered before it are listed in legacy_answered
// (without time), and the development outbox keeps no respondent link.
func expectMigration10(t *testing.T, before map[string][]map[string]string) {
	t.Helper()
	legacy := []map[string]string{}
	for _, inv := range before["invitations"] {
		if inv["responded_at"] != "NULL" {
			legacy = append(legacy, map[string]string{"invitation_id": inv["id"]})
		}
	}
	if len(legacy) == 0 {
		t.Fatal("the fixture has no answered invitation to carry over")
	}
	before["legacy_answered"] = legacy
	for _, m := range before["dev_mails"] {
		for _, col := range []string{"text", "html"} {
			redacted := mail.RedactRespondentLinks(m[col])
			if redacted == m[col] {
				t.Fatalf("the fixture's development email has no respondent link: %q", m[col])
			}
			m[col] = redacted
		}
	}
}

// commonColumns returns the rows of got and want with only the columns
// both have (an upgrade adds some and drops responded_at), in Rows' order.
func commonColumns(got, want []map[string]string) ([]map[string]string, []map[string]string) {
	if len(got) == 0 || len(want) == 0 {
		return got, want
	}
	var cols []string
	for c := range want[0] {
		if _, ok := got[0][c]; ok {
			cols = append(cols, c)
		}
	}
	keep := func(rows []map[string]string) []map[string]string {
		out := make([]map[string]string, 0, len(rows))
		for _, r := range rows {
			k := make(map[string]string, len(cols))
			for _, c := range cols {
				k[c] = r[c]
			}
			out = append(out, k)
		}
		databasetest.SortRows(out)
		return out
	}
	return keep(got), keep(want)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestMigrationsMatchModels compares the schema that the SQL migrations
// give an empty database with the one GORM's AutoMigrate makes of today's
// models (which the step-by-step migrations used to run): the code expects
// exactly that one. It fails when a model changes without a migration, or
// a migration without its model. The readiness table has no model
// (CheckWritable writes it in SQL). The pulse's questions are the ones
// PulseQuestions describes.
func TestMigrationsMatchModels(t *testing.T) {
	for _, dialect := range databasetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			fresh := databasetest.Open(t, dialect)
			migrated, err := databasetest.ReadSchema(fresh)
			if err != nil {
				t.Fatal(err)
			}
			auto := databasetest.OpenTarget(t, databasetest.Target(t, dialect))
			if err := auto.AutoMigrate(models()...); err != nil {
				t.Fatal(err)
			}
			modelled, err := databasetest.ReadSchema(auto)
			if err != nil {
				t.Fatal(err)
			}
			delete(migrated, "readiness")
			for _, d := range migrated.Diff(modelled) {
				t.Errorf("the migrations' schema differs from the models': %s", d)
			}

			var pulse survey.Instrument
			databasetest.Must(t, fresh.Preload("Questions", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
				Where("org_id IS NULL AND key = ? AND version = ?", survey.PulseKey, survey.PulseVersion).Take(&pulse).Error)
			want := survey.PulseQuestions()
			if len(pulse.Questions) != len(want) {
				t.Fatalf("the pulse has %d questions, want %d", len(pulse.Questions), len(want))
			}
			for i, q := range pulse.Questions {
				q.ID, q.InstrumentID = 0, 0
				if !reflect.DeepEqual(q, want[i]) {
					t.Errorf("pulse question %d = %+v, want %+v", i+1, q, want[i])
				}
			}
		})
	}
}

// models lists every table's model, as the step-by-step migrations named
// them.
func models() []any {
	ms := survey.SchemaModels()
	ms = append(ms, mail.Models()...)
	ms = append(ms, &survey.Schedule{}, &survey.InvitationToken{})
	ms = append(ms, analytics.RollupModels()...)
	ms = append(ms, account.AccountModels()...)
	ms = append(ms, account.SSOModels()...)
	ms = append(ms, &survey.ChatWebhook{})
	return append(ms, &account.APIToken{}, &survey.OrgLogo{}, &survey.LegacyAnswered{}, &survey.ActionPlan{}, &survey.RoundMessage{})
}

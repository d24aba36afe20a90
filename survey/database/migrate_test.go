package database_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
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
		if err := db.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, true)", next).Error; err != nil {
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

// TestUpgradeDropsTheAnsweredMark: a database from before step 10 has
// invitations marked responded_at in the response's transaction. The
// upgrade keeps who answered (without time) in legacy_answered, drops the
// mark, and on PostgreSQL rewrites every invitation, so that none shares
// its transaction id with a response any more.
func TestUpgradeDropsTheAnsweredMark(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org := survey.Organisation{Slug: "acme", Name: "Acme"}
		databasetest.Must(t, db.Create(&org).Error)
		people := []survey.Person{{OrgID: org.ID, Email: "a@acme.test", Function: survey.FunctionSales},
			{OrgID: org.ID, Email: "b@acme.test", Function: survey.FunctionSales}}
		databasetest.Must(t, db.Create(&people).Error)
		round := survey.Round{OrgID: org.ID, InstrumentID: 1, Title: "March", Status: survey.RoundOpen, OpensAt: time.Now(), ClosesAt: time.Now().Add(time.Hour)}
		databasetest.Must(t, db.Create(&round).Error)
		invs := []survey.Invitation{{RoundID: round.ID, PersonID: people[0].ID, TokenHash: []byte("hash-a"), Function: survey.FunctionSales},
			{RoundID: round.ID, PersonID: people[1].ID, TokenHash: []byte("hash-b"), Function: survey.FunctionSales}}
		databasetest.Must(t, db.Create(&invs).Error)

		// Back to before migration 10: the mark exists and B answered, in
		// one transaction.
		databasetest.Must(t, db.Exec(`DROP TABLE legacy_answered`).Error)
		databasetest.Must(t, db.Exec(`ALTER TABLE invitations ADD COLUMN responded_at timestamp`).Error)
		databasetest.Must(t, db.Exec(`DELETE FROM goose_db_version WHERE version_id = 10`).Error)
		databasetest.Must(t, db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(`UPDATE invitations SET responded_at = ? WHERE id = ?`, time.Now().UTC(), invs[1].ID).Error; err != nil {
				return err
			}
			return tx.Create(&survey.Response{OrgID: org.ID, RoundID: round.ID, EditKey: []byte("old-key"), Function: survey.FunctionSales, SubmittedOn: time.Now()}).Error
		}))

		link := "https://accord.example/s/" + survey.NewToken()
		databasetest.Must(t, db.Create(&mail.DevMail{MessageID: "m1", Kind: mail.KindInvitation, To: "b@acme.test",
			Subject: "Survey", Text: "Your link: " + link, HTML: `<a href="` + link + `">`, CreatedAt: time.Now()}).Error)

		if _, err := database.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		var dev mail.DevMail
		databasetest.Must(t, db.Take(&dev).Error)
		if strings.Contains(dev.Text+dev.HTML, link) || !strings.Contains(dev.Text, mail.RespondentLinkWithheld) {
			t.Errorf("the development outbox keeps the survey link: %q %q", dev.Text, dev.HTML)
		}
		if db.Migrator().HasColumn("invitations", "responded_at") {
			t.Error("invitations still have responded_at")
		}
		var legacy []int64
		databasetest.Must(t, db.Model(&survey.LegacyAnswered{}).Pluck("invitation_id", &legacy).Error)
		if len(legacy) != 1 || legacy[0] != invs[1].ID {
			t.Errorf("legacy_answered = %v, want only B's invitation %d", legacy, invs[1].ID)
		}
		answered, err := survey.Answered(ctx, db, round.ID)
		databasetest.Must(t, err)
		if len(answered) != 1 || answered[invs[1].ID] != people[1].ID {
			t.Errorf("Answered = %v, want B", answered)
		}
		if db.Dialector.Name() == database.Postgres {
			var shared int64
			databasetest.Must(t, db.Raw(`SELECT COUNT(*) FROM responses s JOIN invitations i ON i.xmin = s.xmin`).Scan(&shared).Error)
			if shared > 0 {
				t.Error("after the upgrade an invitation still shares its xmin with its response")
			}
		}
	})
}

// TestConcurrentMigrateAppliesOnce: replicas starting at once on one empty
// database (separate connection pools, as separate processes have) all
// succeed, and each migration runs exactly once between them.
func TestConcurrentMigrateAppliesOnce(t *testing.T) {
	for _, dialect := range databasetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			target := databasetest.Target(t, dialect)
			const replicas = 4
			dbs := make([]*gorm.DB, replicas)
			for i := range dbs {
				dbs[i] = databasetest.OpenTarget(t, target)
			}
			applied := make([]int, replicas)
			errs := make([]error, replicas)
			var wg sync.WaitGroup
			for i, db := range dbs {
				wg.Go(func() { applied[i], errs[i] = database.Migrate(context.Background(), db) })
			}
			wg.Wait()
			total := 0
			for i := range dbs {
				if errs[i] != nil {
					t.Errorf("replica %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			var versions int
			databasetest.Must(t, dbs[0].Raw("SELECT COUNT(*) FROM goose_db_version WHERE version_id > 0").Scan(&versions).Error)
			if total != versions || versions == 0 {
				t.Errorf("replicas applied %v migrations (%d in all), the database records %d", applied, total, versions)
			}
			var pulses int
			databasetest.Must(t, dbs[0].Raw("SELECT COUNT(*) FROM instruments").Scan(&pulses).Error)
			if pulses != 1 {
				t.Errorf("%d instruments after concurrent migrations, want the one built-in pulse", pulses)
			}
		})
	}
}

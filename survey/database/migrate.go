package database

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/mail"
)

// Migration is one numbered, recorded schema change. Migrations run in a
// transaction together with the row that records them, so a crash leaves
// either the old schema or the new one.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"not null"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Migrations returns every migration this binary knows, in order. Append
// only: a released migration is never edited.
func Migrations() []Migration {
	return []Migration{
		{1, "initial schema", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(survey.SchemaModels()...)
		}},
		{2, "built-in Sales-Product Alignment Pulse v1", seedPulse},
		{3, "mail outbox", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(mail.Models()...)
		}},
		{4, "schedules, reminder links and round periods", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.Schedule{}, &survey.InvitationToken{}, &survey.Round{}, &survey.Invitation{})
		}},
		{6, "analytics rollups", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(survey.RollupModels()...)
		}},
		{7, "account links, audit log and rate limits", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(survey.AccountModels()...)
		}},
		{8, "API tokens", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.APIToken{})
		}},
		{9, "organisation sharing settings: benchmark opt-in, comments in exports", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.Organisation{})
		}},
		{10, "unlinkable storage: invitations no longer record who answered, no survey links in the development outbox", func(tx *gorm.DB) error {
			if err := unmarkInvitations(tx); err != nil {
				return err
			}
			return withholdDevMailLinks(tx)
		}},
		{11, "organisation settings: time zone, accent colour, archive, logo", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.Organisation{}, &survey.OrgLogo{})
		}},
		{12, "audience and reminders of rounds started by hand", func(tx *gorm.DB) error {
			// Plain SQL, the same on both databases: JSON lists as text, NULL
			// for every earlier round (a schedule's or the whole roster's).
			// Step 1 creates today's rounds table on a new database, so only
			// a missing column is added.
			for _, col := range []string{"functions", "teams", "reminder_days"} {
				if tx.Migrator().HasColumn("rounds", col) {
					continue
				}
				if err := tx.Exec("ALTER TABLE rounds ADD COLUMN " + col + " text").Error; err != nil {
					return err
				}
			}
			return nil
		}},
		{13, "readiness probe row", func(tx *gorm.DB) error {
			return tx.Exec(createReadiness).Error
		}},
		{14, "rollup cells say why each hidden number is hidden: per-index thresholds", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.RollupCell{})
		}},
		{15, "action plans", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.ActionPlan{})
		}},
		{17, "results messages to everyone invited", func(tx *gorm.DB) error {
			return tx.Migrator().AutoMigrate(&survey.RoundMessage{})
		}},
	}
}

// LatestVersion is the schema version this binary expects.
func LatestVersion() int { ms := Migrations(); return ms[len(ms)-1].Version }

// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// Migrate applies every pending migration and returns how many ran. It
// refuses a database whose schema is newer than this binary knows. Several
// processes may call it at once: on PostgreSQL a transaction-scoped advisory
// lock serialises them; on SQLite the IMMEDIATE transaction does.
func Migrate(ctx context.Context, db *gorm.DB) (int, error) {
	db = db.WithContext(ctx)
	if err := db.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range Migrations() {
		ran := false
		err := db.Transaction(func(tx *gorm.DB) error {
			if tx.Dialector.Name() == Postgres {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7426001)").Error; err != nil {
					return err
				}
			}
			var current int
			if err := tx.Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
				return err
			}
			if current > LatestVersion() {
				return fmt.Errorf("%w: database is at version %d, this binary knows up to %d; upgrade accord",
					ErrSchemaTooNew, current, LatestVersion())
			}
			if current >= m.Version {
				return nil
			}
			if err := m.Up(tx); err != nil {
				return err
			}
			ran = true
			return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			if errors.Is(err, ErrSchemaTooNew) {
				return applied, err
			}
			return applied, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		if ran {
			applied++
		}
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func SchemaVersion(ctx context.Context, db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable(&schemaMigration{}) {
		return 0, nil
	}
	var v int
	err := db.WithContext(ctx).Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&v).Error
	return v, err
}

// seedPulse stores the built-in instrument, questions included.
func seedPulse(tx *gorm.DB) error {
	inst := survey.Instrument{Key: survey.PulseKey, Version: survey.PulseVersion, Name: "Sales–Product Alignment Pulse"}
	if err := tx.Omit("Questions").Create(&inst).Error; err != nil {
		return err
	}
	qs := survey.PulseQuestions()
	for i := range qs {
		qs[i].InstrumentID = inst.ID
	}
	return tx.Create(&qs).Error
}

// unmarkInvitations (step 10) removes invitations.responded_at, which
// joined every response to its invitation: set in the response's
// transaction, it shared its transaction id (xmin) and its day. Who
// answered before the upgrade is kept, without time, in legacy_answered
// (one statement, invitation order), so a second link still cannot store a
// second response and the analytics still know who answered earlier
// rounds. On PostgreSQL dropping a column rewrites no row, so every
// invitation is rewritten (new xmin for all) and then clustered by ID,
// which also orders the table physically by ID instead of by answer time
// and leaves out the old row versions. SQLite rewrites the rows itself,
// in place by rowid.
func unmarkInvitations(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&survey.LegacyAnswered{}); err != nil {
		return err
	}
	if !tx.Migrator().HasColumn("invitations", "responded_at") {
		return nil
	}
	err := tx.Exec(`INSERT INTO legacy_answered (invitation_id)
SELECT id FROM invitations WHERE responded_at IS NOT NULL ORDER BY id`).Error
	if err != nil {
		return err
	}
	if err := tx.Exec(`ALTER TABLE invitations DROP COLUMN responded_at`).Error; err != nil {
		return err
	}
	if tx.Dialector.Name() != Postgres {
		return nil
	}
	if err := tx.Exec(`UPDATE invitations SET token_hash = token_hash`).Error; err != nil {
		return err
	}
	return tx.Exec(`CLUSTER invitations USING invitations_pkey`).Error
}

// withholdDevMailLinks (step 10) removes survey links from the development
// outbox's stored emails, which from now on never keep them (see
// mail.DevSender): each would let whoever reads it open that person's
// answers.
func withholdDevMailLinks(tx *gorm.DB) error {
	var batch []mail.DevMail
	return tx.Select("id", "text", "html").FindInBatches(&batch, 500, func(b *gorm.DB, _ int) error {
		for _, m := range batch {
			text, html := mail.RedactRespondentLinks(m.Text), mail.RedactRespondentLinks(m.HTML)
			if text == m.Text && html == m.HTML {
				continue
			}
			if err := tx.Model(&mail.DevMail{}).Where("id = ?", m.ID).Updates(map[string]any{"text": text, "html": html}).Error; err != nil {
				return err
			}
		}
		return nil
	}).Error
}

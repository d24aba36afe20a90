package survey

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/mail"
	"accord/survey/roster"
)

// OrgDeletion says what deleting an organisation removed, for the audit
// log and the page that confirms it.
type OrgDeletion struct {
	Name, Slug                string
	People, Rounds, Responses int64
}

// Counts says how much was deleted, like "12 people, 3 rounds and 30 responses".
func (d *OrgDeletion) Counts() string {
	people := fmt.Sprintf("%d people", d.People)
	if d.People == 1 {
		people = "1 person"
	}
	return fmt.Sprintf("%s, %s and %s", people, plural(int(d.Rounds), "round"), plural(int(d.Responses), "response"))
}

// DeleteOrganisation removes org and everything of it, in one transaction:
// roster, schedules, questions, rounds, invitations and their links,
// responses and answers, rollups, emails with their delivery jobs, logo,
// memberships and the organisation's own audit entries (they name its
// people). Accounts stay: a consultant may have other clients, and
// admins remove accounts on their own page. confirm must repeat the
// slug, so that a slip of the mouse deletes nothing. The deletion itself
// is audited instance-wide, since the organisation is gone.
func DeleteOrganisation(ctx context.Context, db *gorm.DB, org *Organisation, confirm string) (*OrgDeletion, error) {
	if confirm != org.Slug {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{"confirm": fmt.Sprintf("Type %s exactly to confirm; nothing was deleted.", org.Slug)}}
	}
	d := &OrgDeletion{Name: org.Name, Slug: org.Slug}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range []struct {
			n     *int64
			model any
		}{{&d.People, &roster.Person{}}, {&d.Rounds, &Round{}}, {&d.Responses, &Response{}}} {
			if err := tx.Model(c.model).Where("org_id = ?", org.ID).Count(c.n).Error; err != nil {
				return err
			}
		}
		if err := deleteOrgRows(tx, org.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: AuditOrgDelete, Target: fmt.Sprintf("%s (%s): %s", d.Name, d.Slug, d.Counts())})
	})
	if err != nil {
		return nil, fmt.Errorf("delete organisation %s: %w", org.Slug, err)
	}
	return d, nil
}

// deleteStep deletes the rows of model that match where.
type deleteStep struct {
	model any
	where string
	arg   any
}

func deleteRows(tx *gorm.DB, steps ...deleteStep) error {
	for _, s := range steps {
		if err := tx.Where(s.where, s.arg).Delete(s.model).Error; err != nil {
			return fmt.Errorf("delete %T: %w", s.model, err)
		}
	}
	return nil
}

// deleteOrgRows deletes the rows of every table that refers to the
// organisation, children before parents so that foreign keys hold.
// TestDeleteOrganisationLeavesNothing checks every table with an org_id.
func deleteOrgRows(tx *gorm.DB, orgID int64) error {
	rounds := tx.Model(&Round{}).Select("id").Where("org_id = ?", orgID)
	err := deleteRows(tx,
		deleteStep{&Answer{}, "response_id IN (?)", tx.Model(&Response{}).Select("id").Where("org_id = ?", orgID)},
		deleteStep{&Response{}, "org_id = ?", orgID},
		deleteStep{&InvitationToken{}, "invitation_id IN (?)", tx.Model(&Invitation{}).Select("id").Where("round_id IN (?)", rounds)})
	if err != nil {
		return err
	}
	// Messages name invitations, so they go first.
	if err := mail.DeleteForOrg(tx, orgID); err != nil {
		return err
	}
	err = deleteRows(tx,
		deleteStep{&ActionPlan{}, "org_id = ?", orgID},
		deleteStep{&Invitation{}, "round_id IN (?)", rounds})
	if err != nil {
		return err
	}
	// Rows of tables added later go too: whatever names one of its rounds,
	// then whatever names the organisation, before the rows they refer to.
	// The analytics rollup tables (whose models survey cannot import) go
	// here, by their round_id.
	if err := sweepColumn(tx, "round_id", "round_id IN (?)", rounds); err != nil {
		return err
	}
	err = deleteRows(tx,
		deleteStep{&Round{}, "org_id = ?", orgID},
		deleteStep{&Schedule{}, "org_id = ?", orgID},
		deleteStep{&Question{}, "instrument_id IN (?)", tx.Model(&Instrument{}).Select("id").Where("org_id = ?", orgID)},
		deleteStep{&Instrument{}, "org_id = ?", orgID},
		deleteStep{&roster.Person{}, "org_id = ?", orgID},
		deleteStep{&account.Membership{}, "org_id = ?", orgID},
		deleteStep{&OrgLogo{}, "org_id = ?", orgID},
		deleteStep{&audit.Entry{}, "org_id = ?", orgID})
	if err != nil {
		return err
	}
	if err := sweepColumn(tx, "org_id", "org_id = ?", orgID); err != nil {
		return err
	}
	return deleteRows(tx, deleteStep{&Organisation{}, "id = ?", orgID})
}

// sweepColumn deletes the rows matching where from every table with the
// column: a table added later cannot keep an organisation's data after it
// is deleted, even before deleteOrgRows names it.
func sweepColumn(tx *gorm.DB, column, where string, arg any) error {
	tables, err := tx.Migrator().GetTables()
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	for _, table := range tables {
		cols, err := tx.Migrator().ColumnTypes(table)
		if err != nil {
			return fmt.Errorf("read columns of %s: %w", table, err)
		}
		if !slices.ContainsFunc(cols, func(c gorm.ColumnType) bool { return c.Name() == column }) {
			continue
		}
		if err := tx.Exec("DELETE FROM ? WHERE "+where, clause.Table{Name: table}, arg).Error; err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// plural is "1 round" or "n rounds".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
)

// Account management. Admins manage every account; consultants invite
// leaders into their own organisations and remove them from those, and
// see no other account. Every function here checks the caller's rights
// itself and scopes its queries, whatever the page in front of it did.

// AccountInput is an invitation or an edit of role and organisations.
type AccountInput struct {
	Email  string
	Role   string
	OrgIDs []int64
}

// AccountRow is an account as its manager sees it.
type AccountRow struct {
	Account
	Orgs    []OrgName // only those the viewer may see
	Invited bool      // no password set yet
}

// OrgName names an organisation an account belongs to.
type OrgName struct {
	ID   int64
	Slug string
	Name string
}

// orgRow is one membership with its organisation's names.
type orgRow struct {
	AccountID int64
	ID        int64
	Slug      string
	Name      string
}

// ListAccounts returns the accounts by may manage, by email: every account
// for an admin; for a consultant, the leaders of its organisations, with
// only those organisations shown.
func ListAccounts(ctx context.Context, db *gorm.DB, by *Account) ([]AccountRow, error) {
	return managedAccounts(ctx, db, by, 0)
}

// ManagedAccount returns account id if by may manage it, ENOTFOUND otherwise.
func ManagedAccount(ctx context.Context, db *gorm.DB, by *Account, id int64) (*AccountRow, error) {
	rows, err := managedAccounts(ctx, db, by, id)
	if err != nil {
		return nil, err
	} else if len(rows) == 0 {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such account, or you may not manage it.")
	}
	return &rows[0], nil
}

func managedAccounts(ctx context.Context, db *gorm.DB, by *Account, id int64) ([]AccountRow, error) {
	if err := Authorize(by, ManageAccounts); err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	mine := db.Model(&Membership{}).Select("org_id").Where("account_id = ?", by.ID)
	q := db.Model(&Account{}).Order("email")
	if by.Role != RoleAdmin {
		q = q.Where("role = ? AND id IN (?)", RoleLeader, db.Model(&Membership{}).Select("account_id").Where("org_id IN (?)", mine))
	}
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	var accs []Account
	if err := q.Find(&accs).Error; err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	ids := make([]int64, len(accs))
	for i, a := range accs {
		ids[i] = a.ID
	}
	oq := db.Table("memberships").Select("memberships.account_id, organisations.id, organisations.slug, organisations.name").
		Joins("JOIN organisations ON organisations.id = memberships.org_id").
		Where("memberships.account_id IN ?", append(ids, 0)).Order("organisations.name")
	if by.Role != RoleAdmin {
		oq = oq.Where("memberships.org_id IN (?)", mine)
	}
	var orgs []orgRow
	if err := oq.Scan(&orgs).Error; err != nil {
		return nil, fmt.Errorf("list account organisations: %w", err)
	}
	byAccount := map[int64][]OrgName{}
	for _, o := range orgs {
		byAccount[o.AccountID] = append(byAccount[o.AccountID], OrgName{ID: o.ID, Slug: o.Slug, Name: o.Name})
	}
	rows := make([]AccountRow, len(accs))
	for i, a := range accs {
		rows[i] = AccountRow{Account: a, Orgs: byAccount[a.ID], Invited: a.PasswordHash == ""}
	}
	return rows, nil
}

// checkAccountInput validates in as by may grant it and returns the
// organisation IDs to store (none for admins, who see everything).
func checkAccountInput(db *gorm.DB, by *Account, in *AccountInput, invite bool) (apperr.FieldErrors, error) {
	fields := apperr.FieldErrors{}
	if invite {
		email, err := NormaliseEmail(in.Email)
		if err != nil {
			fields["email"] = "Enter an email address like name@example.com."
		}
		in.Email = email
	}
	switch {
	case !ValidRole(in.Role):
		fields["role"] = "Choose a role."
	case by.Role != RoleAdmin && in.Role != RoleLeader:
		fields["role"] = "As a consultant you can invite leaders only."
	}
	if in.Role == RoleAdmin {
		in.OrgIDs = nil
		return nilIfEmpty(fields), nil
	}
	slices.Sort(in.OrgIDs)
	in.OrgIDs = slices.Compact(in.OrgIDs)
	allowed := db.Table("organisations").Where("id IN ?", append(slices.Clone(in.OrgIDs), 0))
	if by.Role != RoleAdmin {
		allowed = allowed.Where("id IN (?)", db.Model(&Membership{}).Select("org_id").Where("account_id = ?", by.ID))
	}
	var n int64
	if err := allowed.Count(&n).Error; err != nil {
		return nil, fmt.Errorf("check organisations: %w", err)
	}
	switch {
	case int(n) != len(in.OrgIDs):
		fields["orgs"] = "Choose among the organisations listed."
	case in.Role == RoleLeader && len(in.OrgIDs) == 0:
		fields["orgs"] = "Choose the organisation this leader will see."
	}
	return nilIfEmpty(fields), nil
}

func nilIfEmpty(f apperr.FieldErrors) apperr.FieldErrors {
	if len(f) == 0 {
		return nil
	}
	return f
}

// InviteAccount creates an account without a password and emails it a
// 72-hour link to choose one, in one transaction with its memberships and
// the audit entries.
func InviteAccount(ctx context.Context, db *gorm.DB, m *AccountMailer, by *Account, in AccountInput, now time.Time) (*Account, error) {
	if err := Authorize(by, ManageAccounts); err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	fields, err := checkAccountInput(db, by, &in, true)
	if err != nil {
		return nil, err
	} else if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	acc := &Account{Email: in.Email, Role: in.Role, CreatedAt: now.UTC(), PasswordChangedAt: now.UTC()}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(acc).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return &apperr.FormError{Code: apperr.ECONFLICT, Fields: apperr.FieldErrors{"email": "An account for " + in.Email + " already exists."}}
		} else if err != nil {
			return err
		}
		var names []string
		for _, id := range in.OrgIDs {
			if err := tx.Create(&Membership{AccountID: acc.ID, OrgID: id}).Error; err != nil {
				return err
			}
		}
		if err := tx.Table("organisations").Where("id IN ?", append(slices.Clone(in.OrgIDs), 0)).Order("name").Pluck("name", &names).Error; err != nil {
			return err
		}
		if err := sendInvitation(ctx, tx, m, by, acc, strings.Join(names, ", "), now); err != nil {
			return err
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: audit.AuditAccountInvite, Target: acc.Email + " as " + acc.Role}, in.OrgIDs)
	})
	if apperr.FormErrorsOf(err) != nil {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	return acc, nil
}

func sendInvitation(ctx context.Context, tx *gorm.DB, m *AccountMailer, by, acc *Account, orgs string, now time.Time) error {
	token, err := issueToken(tx, acc.ID, TokenInvite, now)
	if err != nil {
		return err
	}
	msg, err := m.message(TokenInvite, token, EmailNotice{To: acc.Email, Inviter: by.Email, Role: acc.Role, Orgs: orgs})
	if err != nil {
		return err
	}
	return m.Mail.Enqueue(ctx, tx, msg)
}

// ResendInvitation emails a new invitation link to an account that has not
// chosen a password yet; earlier links stop working.
func ResendInvitation(ctx context.Context, db *gorm.DB, m *AccountMailer, by *Account, id int64, now time.Time) (*Account, error) {
	row, err := ManagedAccount(ctx, db, by, id)
	if err != nil {
		return nil, err
	} else if !row.Invited {
		return nil, apperr.Errorf(apperr.EINVALID, "%s has already chosen a password; if it is lost, they can use “Forgot your password?” on the login page.", row.Email)
	}
	names := make([]string, len(row.Orgs))
	orgIDs := make([]int64, len(row.Orgs))
	for i, o := range row.Orgs {
		names[i], orgIDs[i] = o.Name, o.ID
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := sendInvitation(ctx, tx, m, by, &row.Account, strings.Join(names, ", "), now); err != nil {
			return err
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: audit.AuditAccountInvite, Target: row.Email + " (invitation sent again)"}, orgIDs)
	})
	if err != nil {
		return nil, fmt.Errorf("resend invitation: %w", err)
	}
	return &row.Account, nil
}

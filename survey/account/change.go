package account

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
)

// UpdateAccount changes the role and organisations of an account; only
// admins may. An admin cannot take away their own admin role, so the
// instance always keeps the admin doing the change. The new rights apply
// at the account's next request: sessions read them afresh every time.
func UpdateAccount(ctx context.Context, db *gorm.DB, by *Account, id int64, in AccountInput) (*Account, error) {
	if by == nil || by.Role != RoleAdmin {
		return nil, apperr.Errorf(apperr.EFORBIDDEN, "Only administrators can change an account's role or organisations.")
	}
	row, err := ManagedAccount(ctx, db, by, id)
	if err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	fields, err := checkAccountInput(db, by, &in, false)
	if err != nil {
		return nil, err
	}
	if by.ID == id && in.Role != RoleAdmin {
		if fields == nil {
			fields = apperr.FieldErrors{}
		}
		fields["role"] = "You cannot take away your own administrator role; ask another administrator."
	}
	if fields != nil {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	affected := slices.Clone(in.OrgIDs)
	for _, o := range row.Orgs {
		affected = append(affected, o.ID)
	}
	slices.Sort(affected)
	affected = slices.Compact(affected)
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Account{}).Where("id = ?", id).Update("role", in.Role).Error; err != nil {
			return err
		}
		if err := tx.Where("account_id = ?", id).Delete(&Membership{}).Error; err != nil {
			return err
		}
		for _, org := range in.OrgIDs {
			if err := tx.Create(&Membership{AccountID: id, OrgID: org}).Error; err != nil {
				return err
			}
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: audit.AuditAccountUpdate, Target: fmt.Sprintf("%s: %s → %s, %d organisations", row.Email, row.Role, in.Role, len(in.OrgIDs))}, affected)
	})
	if err != nil {
		return nil, fmt.Errorf("update account: %w", err)
	}
	row.Role = in.Role
	return &row.Account, nil
}

// RemoveAccount takes an account away from by's reach. An admin deletes it
// with its sessions, links and memberships. A consultant removes a leader
// from the consultant's organisations only; the account is deleted when no
// organisation is left, and otherwise keeps its other organisations. It
// reports whether the account was deleted.
func RemoveAccount(ctx context.Context, db *gorm.DB, by *Account, id int64) (deleted bool, err error) {
	row, err := ManagedAccount(ctx, db, by, id)
	if err != nil {
		return false, err
	}
	if by.ID == id {
		return false, apperr.Errorf(apperr.EINVALID, "You cannot remove your own account; ask another administrator.")
	}
	orgIDs := make([]int64, len(row.Orgs))
	for i, o := range row.Orgs {
		orgIDs[i] = o.ID
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if by.Role == RoleAdmin {
			deleted = true
		} else {
			if err := tx.Where("account_id = ? AND org_id IN ?", id, append(slices.Clone(orgIDs), 0)).Delete(&Membership{}).Error; err != nil {
				return err
			}
			var left int64
			if err := tx.Model(&Membership{}).Where("account_id = ?", id).Count(&left).Error; err != nil {
				return err
			}
			deleted = left == 0
		}
		if deleted {
			if err := deleteAccount(tx, id); err != nil {
				return err
			}
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: audit.AuditAccountRemove, Target: row.Email + " (" + row.Role + ")"}, orgIDs)
	})
	if err != nil {
		return false, fmt.Errorf("remove account: %w", err)
	}
	return deleted, nil
}

// deleteAccount deletes an account and everything that lets it in.
func deleteAccount(tx *gorm.DB, id int64) error {
	for _, m := range []any{&Session{}, &AccountToken{}, &APIToken{}, &Membership{}} {
		if err := tx.Where("account_id = ?", id).Delete(m).Error; err != nil {
			return err
		}
	}
	return tx.Delete(&Account{}, id).Error
}

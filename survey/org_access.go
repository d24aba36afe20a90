package survey

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
)

// Which organisations an account may see is decided here, in the query,
// beside the organisations themselves; what an account may do there is
// account.Authorize's answer.

// VisibleOrgs returns the organisations acc may see: all for an admin, its
// memberships otherwise, archived ones left out (ArchivedOrgs lists them).
// Every organisation lookup goes through here or OrgForAccount so a
// handler cannot forget the tenant check.
func VisibleOrgs(ctx context.Context, db *gorm.DB, acc *account.Account) ([]Organisation, error) {
	var orgs []Organisation
	q := db.WithContext(ctx).Where("archived_at IS NULL").Order("name")
	if acc.Role != account.RoleAdmin {
		q = q.Where("id IN (?)", db.Model(&account.Membership{}).Select("org_id").Where("account_id = ?", acc.ID))
	}
	if err := q.Find(&orgs).Error; err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	return orgs, nil
}

// OrgForAccount returns the organisation with slug if acc may see it, and
// ENOTFOUND otherwise, so that other tenants' slugs are not revealed.
func OrgForAccount(ctx context.Context, db *gorm.DB, acc *account.Account, slug string) (*Organisation, error) {
	var org Organisation
	q := db.WithContext(ctx).Where("slug = ?", slug)
	if acc.Role != account.RoleAdmin {
		q = q.Where("id IN (?)", db.Model(&account.Membership{}).Select("org_id").Where("account_id = ?", acc.ID))
	}
	err := q.Take(&org).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no organisation %q, or you may not see it.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("load organisation: %w", err)
	}
	return &org, nil
}

// OrgForAction returns the organisation with slug when acc may see it and
// do action there: ENOTFOUND for another tenant's organisation (checked
// first, so that nothing about it is revealed), then Authorize's answer.
func OrgForAction(ctx context.Context, db *gorm.DB, acc *account.Account, slug string, action account.Action) (*Organisation, error) {
	if acc == nil {
		return nil, apperr.Errorf(apperr.EUNAUTH, "Please log in.")
	}
	org, err := OrgForAccount(ctx, db, acc, slug)
	if err != nil {
		return nil, err
	}
	if err := account.Authorize(acc, action); err != nil {
		return nil, err
	}
	return org, nil
}

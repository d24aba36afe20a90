package account

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/audit"
)

// ListAudit returns a page of the audit log as by may read it: admins read
// everything, consultants the entries of their organisations only (entries
// without an organisation are instance-wide and for admins), leaders
// nothing. The scope is part of the query, whatever the caller asks.
func ListAudit(ctx context.Context, db *gorm.DB, by *Account, f audit.Filter) (*audit.Page, error) {
	if err := Authorize(by, ReadAudit); err != nil {
		return nil, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	db = db.WithContext(ctx)
	q := db.Table("audit_entries").
		Select("audit_entries.*, organisations.slug AS org_slug, organisations.name AS org_name").
		Joins("LEFT JOIN organisations ON organisations.id = audit_entries.org_id")
	if by.Role != RoleAdmin {
		q = q.Where("audit_entries.org_id IN (?)", db.Model(&Membership{}).Select("org_id").Where("account_id = ?", by.ID))
	}
	if f.OrgID != 0 {
		q = q.Where("audit_entries.org_id = ?", f.OrgID)
	}
	var rows []audit.Row
	err := q.Order("audit_entries.id DESC").Offset((f.Page - 1) * audit.PerPage).Limit(audit.PerPage + 1).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	p := &audit.Page{Page: f.Page, More: len(rows) > audit.PerPage}
	p.Entries = rows[:min(len(rows), audit.PerPage)]
	return p, nil
}

package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Audit actions: what the audit log says was done.
const (
	AuditAccountCreate    = "account.create"
	AuditAccountInvite    = "account.invite"
	AuditAccountUpdate    = "account.update"
	AuditAccountRemove    = "account.remove"
	AuditPasswordSet      = "account.password_set" // from an invitation or reset link
	AuditPasswordChange   = "account.password_change"
	AuditResetRequest     = "account.reset_request"
	AuditLogin            = "account.login"
	AuditLogoutEverywhere = "account.logout_everywhere"
	AuditPersonCreate     = "roster.create"
	AuditPersonUpdate     = "roster.update"
	AuditPersonActive     = "roster.activate"
	AuditPersonInactive   = "roster.deactivate"
	AuditRosterImport     = "roster.import"
	AuditRosterExport     = "roster.export"
	AuditScheduleCreate   = "schedule.create"
	AuditScheduleUpdate   = "schedule.update"
	AuditRoundOpen        = "round.open"
	AuditRoundClose       = "round.close"
	AuditRoundResend      = "round.resend"
	AuditQuestionsChange  = "setting.questions"
	AuditExport           = "export"
)

// AuditEntry is one line of the audit log: who (account and the email it
// had then), what (action and target), in which organisation, when and
// from which client address. Entries are never changed or deleted by the
// application.
type AuditEntry struct {
	ID        int64     `gorm:"primaryKey"`
	At        time.Time `gorm:"not null"`
	AccountID *int64    `gorm:"index"`
	Email     string    `gorm:"size:254;not null;default:''"`
	Action    string    `gorm:"size:64;not null"`
	Target    string    `gorm:"size:500;not null;default:''"`
	OrgID     *int64    `gorm:"index:idx_audit_entries_org,priority:1"`
	Address   string    `gorm:"size:64;not null;default:''"`
}

// Actor is who makes a request, as the audit log records it. The web layer
// puts it into every request's context; work without one (the command
// line, the scheduler) is recorded without an account.
type Actor struct {
	AccountID int64 // 0 when nobody is logged in
	Email     string
	Address   string    // the client address, as the trusted-proxy rules see it
	At        time.Time // the request's time on the application clock
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or the zero Actor.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Audit records e through db, which should be the transaction of the
// change it describes so that both commit or neither does. Who, when and
// from where come from ctx's Actor unless e sets them.
func Audit(ctx context.Context, db *gorm.DB, e AuditEntry) error {
	a := ActorFrom(ctx)
	if e.AccountID == nil && a.AccountID != 0 {
		id := a.AccountID
		e.AccountID = &id
	}
	if e.Email == "" {
		e.Email = a.Email
	}
	if e.Address == "" {
		e.Address = a.Address
	}
	if e.At.IsZero() {
		e.At = a.At
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	e.Target = truncate(e.Target, 500)
	if err := db.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// auditOrgs records e once per organisation, so that the consultants of
// each see it, or once without an organisation when there is none.
func auditOrgs(ctx context.Context, db *gorm.DB, e AuditEntry, orgIDs []int64) error {
	if len(orgIDs) == 0 {
		return Audit(ctx, db, e)
	}
	for _, id := range orgIDs {
		e.OrgID = &id
		if err := Audit(ctx, db, e); err != nil {
			return err
		}
	}
	return nil
}

// auditRound records a by-hand action on a round, naming it.
func auditRound(ctx context.Context, tx *gorm.DB, action string, roundID int64, detail string) error {
	var r Round
	if err := tx.Select("id", "org_id", "title").Take(&r, roundID).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	target := r.Title
	if detail != "" {
		target = detail + " · " + r.Title
	}
	return Audit(ctx, tx, AuditEntry{Action: action, OrgID: &r.OrgID, Target: target})
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// AuditPerPage is how many entries one page of the audit log shows.
const AuditPerPage = 50

// AuditFilter narrows the audit log; zero values do not filter.
type AuditFilter struct {
	OrgID int64
	Page  int // 1-based
}

// AuditRow is an entry with the name of its organisation.
type AuditRow struct {
	AuditEntry
	OrgSlug string
	OrgName string
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Entries []AuditRow
	Page    int
	More    bool // there is an older page
}

// ListAudit returns a page of the audit log as by may read it: admins read
// everything, consultants the entries of their organisations only (entries
// without an organisation are instance-wide and for admins), leaders
// nothing. The scope is part of the query, whatever the caller asks.
func ListAudit(ctx context.Context, db *gorm.DB, by *Account, f AuditFilter) (*AuditPage, error) {
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
	var rows []AuditRow
	err := q.Order("audit_entries.id DESC").Offset((f.Page - 1) * AuditPerPage).Limit(AuditPerPage + 1).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	p := &AuditPage{Page: f.Page, More: len(rows) > AuditPerPage}
	p.Entries = rows[:min(len(rows), AuditPerPage)]
	return p, nil
}

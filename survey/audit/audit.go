// Package audit holds the audit log: who did what, in which organisation,
// when and from where (Entry), recorded in the transaction of the change it
// describes (Record), and the request's Actor that the web layer puts into
// the context. Reading the log is scoped by account: see account.ListAudit
// It imports
// only apperr, so every domain package may record into it.
package audit

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
	AuditLoginSSO         = "account.login_sso" // through the OpenID provider
	AuditLoginRefused     = "account.login_refused"
	AuditAccountDisable   = "account.disable"
	AuditAccountEnable    = "account.enable"
)

// AuditEntry is one line of the audit log: who (account and the email it
// had then), what (action and target), in which organisation, when and
// from which client address. Entries are never changed or deleted by the
// application.
type Entry struct {
	ID        int64     `gorm:"primaryKey"`
	At        time.Time `gorm:"not null"`
	AccountID *int64    `gorm:"index"`
	Email     string    `gorm:"size:254;not null;default:''"`
	Action    string    `gorm:"size:64;not null"`
	Target    string    `gorm:"size:500;not null;default:''"`
	OrgID     *int64    `gorm:"index:idx_audit_entries_org,priority:1"`
	Address   string    `gorm:"size:64;not null;default:''"`
}

// TableName keeps the table the name it had when the type was survey.AuditEntry.
func (Entry) TableName() string { return "audit_entries" }

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
func Record(ctx context.Context, db *gorm.DB, e Entry) error {
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
func RecordOrgs(ctx context.Context, db *gorm.DB, e Entry, orgIDs []int64) error {
	if len(orgIDs) == 0 {
		return Record(ctx, db, e)
	}
	for _, id := range orgIDs {
		e.OrgID = &id
		if err := Record(ctx, db, e); err != nil {
			return err
		}
	}
	return nil
}
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// AuditPerPage is how many entries one page of the audit log shows.
const PerPage = 50

// AuditFilter narrows the audit log; zero values do not filter.
type Filter struct {
	OrgID int64
	Page  int // 1-based
}

// AuditRow is an entry with the name of its organisation.
type Row struct {
	Entry
	OrgSlug string
	OrgName string
}

// AuditPage is one page of the audit log, newest first.
type Page struct {
	Entries []Row
	Page    int
	More    bool // there is an older page
}

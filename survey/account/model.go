// Package account holds who may log in and what they may do: accounts
// and their roles, memberships of organisations, sessions, passwords,
// invitation and reset links, API tokens, the authorisation table
// (Can, Authorize) and the audit log as each account may read it. It
// imports the leaf packages (apperr, audit, ratelimit, secrets,
// textcheck, mail) and never the survey package: which organisations an
// account may see is answered beside the organisations, in survey.
package account

import "time"

// Roles of an account.
const (
	RoleAdmin      = "admin"
	RoleConsultant = "consultant"
	RoleLeader     = "leader"
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return r == RoleAdmin || r == RoleConsultant || r == RoleLeader }

// Account is a login: an admin of the instance, a consultant or a leader.
type Account struct {
	ID                int64  `gorm:"primaryKey"`
	Email             string `gorm:"size:254;not null;uniqueIndex"`
	Name              string `gorm:"size:200;not null;default:''"`
	PasswordHash      string `gorm:"size:200;not null"`
	Role              string `gorm:"size:16;not null"`
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	// DisabledAt, when set, shuts the account out: no login of either
	// kind, no session, no API token (an admin disables and enables it).
	DisabledAt *time.Time
}

// Membership gives a consultant or leader access to one organisation.
type Membership struct {
	AccountID int64 `gorm:"primaryKey;autoIncrement:false"`
	OrgID     int64 `gorm:"primaryKey;autoIncrement:false;index"`
}

// Session is a logged-in browser. Only the SHA-256 of the cookie value is
// stored, so a database dump cannot be replayed as a login.
type Session struct {
	ID         int64  `gorm:"primaryKey"`
	TokenHash  []byte `gorm:"size:32;not null;uniqueIndex"`
	AccountID  int64  `gorm:"not null;index"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time `gorm:"not null;index"`
}

package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/secrets"
)

// Session lifetimes: a session ends after SessionIdleTimeout without a
// request, and in any case SessionMaxAge after login.
const (
	SessionIdleTimeout = 8 * time.Hour
	SessionMaxAge      = 7 * 24 * time.Hour
	// sessionTouchEvery limits last-seen updates to one write a minute per session.
	sessionTouchEvery = time.Minute
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// dummyHash is compared against when an email is unknown, so that a login
// takes as long for a missing account as for a wrong password. It is a
// constant made once with argon2id.DefaultParams, not computed at start-up:
// making it cost every process (even `accord version`) 64 MiB and about
// 150 ms. TestDummyHashCostsWhatARealOneCosts keeps its cost in step.
const dummyHash = "$argon2id$v=19$m=65536,t=1,p=2$4G4e/gY/cmSiWV+IZ4Y4ug$QEbZ3IMia59abGqRSlWFlhkrgRrr5iLYFhlKiXKaJyM"

// hashCost is what new password hashes cost, and the hash an unknown
// account's login is compared against at that cost: DefaultParams and
// dummyHash, unless a test binary lowered them (UseCheapHashesInTests).
var hashCost atomic.Pointer[cost]

type cost struct {
	params *argon2id.Params
	dummy  string
}

var defaultCost = cost{params: argon2id.DefaultParams, dummy: dummyHash}

func currentCost() *cost {
	if c := hashCost.Load(); c != nil {
		return c
	}
	return &defaultCost
}

// UseCheapHashesInTests makes new password hashes, and the comparison for
// an unknown account, nearly free. Test binaries create and log into
// hundreds of accounts, and under the race detector one DefaultParams hash
// (64 MiB) costs more than a second of CPU. A stored hash carries its own
// parameters, so a check of an existing hash is never weakened. It panics
// outside a test binary: a server never runs with cheap hashes.
func UseCheapHashesInTests() {
	if !testing.Testing() {
		panic("account.UseCheapHashesInTests called outside a test binary")
	}
	params := &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	dummy, err := argon2id.CreateHash("not a real password", params)
	if err != nil {
		panic(err) // fixed, valid parameters
	}
	hashCost.Store(&cost{params: params, dummy: dummy})
}

// HashPassword returns the argon2id hash of password.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength {
		return "", apperr.Errorf(apperr.EINVALID, "Passwords must be at least %d characters long.", MinPasswordLength)
	}
	h, err := argon2id.CreateHash(password, currentCost().params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// NormaliseEmail trims and lower-cases an address and checks its shape.
func NormaliseEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
		return "", apperr.Errorf(apperr.EINVALID, "%q is not a valid email address.", email)
	}
	return email, nil
}

// CreateAccount stores a new account with the given role and organisation
// memberships. A duplicate email is an ECONFLICT.
func CreateAccount(ctx context.Context, db *gorm.DB, email, role, password string, orgIDs ...int64) (*Account, error) {
	email, err := NormaliseEmail(email)
	if err != nil {
		return nil, err
	}
	if !ValidRole(role) {
		return nil, apperr.Errorf(apperr.EINVALID, "Unknown role %q: use admin, consultant or leader.", role)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	acc := &Account{Email: email, Role: role, PasswordHash: hash, PasswordChangedAt: time.Now().UTC()}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(acc).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "An account for %s already exists.", email)
			}
			return err
		}
		for _, id := range orgIDs {
			if err := tx.Create(&Membership{AccountID: acc.ID, OrgID: id}).Error; err != nil {
				return err
			}
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: audit.AuditAccountCreate, Target: email + " as " + role}, orgIDs)
	})
	if err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	return acc, nil
}

// Authenticate returns the account for email and password, or EUNAUTH with
// one message for both an unknown email and a wrong password.
func Authenticate(ctx context.Context, db *gorm.DB, email, password string) (*Account, error) {
	wrong := apperr.Errorf(apperr.EUNAUTH, "The email or password is not right.")
	email = strings.ToLower(strings.TrimSpace(email))
	var acc Account
	err := db.WithContext(ctx).Where("email = ?", email).Take(&acc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && acc.PasswordHash == "") {
		// An invited account has no password until its link is used.
		argon2id.ComparePasswordAndHash(password, currentCost().dummy)
		return nil, wrong
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := argon2id.ComparePasswordAndHash(password, acc.PasswordHash)
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	} else if !ok {
		return nil, wrong
	}
	if acc.DisabledAt != nil {
		// Said only to whoever knows the password, so it reveals nothing.
		return nil, errDisabled()
	}
	return &acc, nil
}

// CreateSession starts a session for the account and returns its cookie value.
func CreateSession(ctx context.Context, db *gorm.DB, accountID int64, now time.Time) (string, error) {
	token := secrets.NewToken()
	now = now.UTC()
	s := Session{TokenHash: secrets.HashToken(token), AccountID: accountID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionMaxAge)}
	if err := db.WithContext(ctx).Create(&s).Error; err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// SessionAccount returns the account behind a session cookie value, or
// EUNAUTH when the session is unknown, idle too long or past its maximum age.
func SessionAccount(ctx context.Context, db *gorm.DB, token string, now time.Time) (*Account, error) {
	expired := apperr.Errorf(apperr.EUNAUTH, "Your session has ended. Please log in again.")
	if !secrets.ValidTokenShape(token) {
		return nil, expired
	}
	now = now.UTC()
	var row struct {
		Session
		Acc Account `gorm:"embedded;embeddedPrefix:acc_"`
	}
	err := db.WithContext(ctx).Table("sessions").
		Select("sessions.*, accounts.id AS acc_id, accounts.email AS acc_email, accounts.name AS acc_name, accounts.role AS acc_role, accounts.password_changed_at AS acc_password_changed_at").
		Joins("JOIN accounts ON accounts.id = sessions.account_id").
		Where("sessions.token_hash = ? AND accounts.disabled_at IS NULL AND sessions.expires_at > ? AND sessions.last_seen_at > ?", secrets.HashToken(token), now, now.Add(-SessionIdleTimeout)).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, expired
	} else if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	if now.Sub(row.LastSeenAt) > sessionTouchEvery {
		if err := db.WithContext(ctx).Model(&Session{}).Where("id = ?", row.Session.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	return &row.Acc, nil
}

// DeleteSession ends the session behind a cookie value.
func DeleteSession(ctx context.Context, db *gorm.DB, token string) error {
	return db.WithContext(ctx).Where("token_hash = ?", secrets.HashToken(token)).Delete(&Session{}).Error
}

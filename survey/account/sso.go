package account

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/secrets"
)

// Single sign-on. Staff may log in through the instance's OpenID
// provider (ACCORD_OIDC_*) instead of a password. The provider proves an
// email address; Accord never creates an account from it: the account
// must already exist, which is what "invited" means here — an admin (or a
// consultant, for leaders of their organisations) created it on the
// accounts page or with `accord user add`, whether or not its invitation
// link was used or a password chosen. Unknown addresses, addresses the
// provider has not verified and disabled accounts are refused.

// SSOAttemptLifetime is how long a started single sign-on login may take
// at the provider before its state is refused.
const SSOAttemptLifetime = 10 * time.Minute

// SSOAttempt is a single sign-on login between the redirect to the
// provider and its return: the one-time state (only its SHA-256), the
// nonce the ID token must carry, the PKCE verifier and where to go after.
// The callback deletes it, so a state (and with it a code) works once.
type SSOAttempt struct {
	ID        int64     `gorm:"primaryKey"`
	StateHash []byte    `gorm:"size:32;not null;uniqueIndex"`
	Nonce     string    `gorm:"size:64;not null"`
	Verifier  string    `gorm:"size:128;not null"`
	Next      string    `gorm:"size:2000;not null;default:''"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

// SSOModels lists the tables of single sign-on (schema migration 20).
func SSOModels() []any { return []any{&SSOAttempt{}} }

// errSSOState is the one answer to a callback whose state is missing,
// unknown, used, expired or not this browser's.
func errSSOState() error {
	return apperr.Errorf(apperr.EUNAUTH, "This sign-in link has expired or was already used. Please sign in again.")
}

func errDisabled() error {
	return apperr.Errorf(apperr.EUNAUTH, "This account is disabled. Ask an administrator to enable it.")
}

// StartSSO stores a new attempt and returns its state, nonce and PKCE
// verifier (verifier made by the caller's OAuth library). Expired attempts
// are swept on the way.
func StartSSO(ctx context.Context, db *gorm.DB, verifier, next string, now time.Time) (state, nonce string, err error) {
	now = now.UTC()
	state, nonce = secrets.NewToken(), secrets.NewToken()
	db = db.WithContext(ctx)
	if err := db.Where("expires_at <= ?", now).Delete(&SSOAttempt{}).Error; err != nil {
		return "", "", fmt.Errorf("sweep sign-in attempts: %w", err)
	}
	a := SSOAttempt{StateHash: secrets.HashToken(state), Nonce: nonce, Verifier: verifier, Next: next, ExpiresAt: now.Add(SSOAttemptLifetime)}
	if err := db.Create(&a).Error; err != nil {
		return "", "", fmt.Errorf("start sign-in: %w", err)
	}
	return state, nonce, nil
}

// TakeSSO uses up the attempt of state, which must equal the state the
// browser kept (its cookie: the provider's redirect cannot be replayed into
// another browser), and returns it. Whatever is wrong, the answer is the
// same EUNAUTH, and the attempt is gone.
func TakeSSO(ctx context.Context, db *gorm.DB, state, browserState string, now time.Time) (*SSOAttempt, error) {
	if !secrets.ValidTokenShape(state) || subtle.ConstantTimeCompare([]byte(state), []byte(browserState)) != 1 {
		return nil, errSSOState()
	}
	db = db.WithContext(ctx)
	var a SSOAttempt
	err := db.Where("state_hash = ?", secrets.HashToken(state)).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errSSOState()
	} else if err != nil {
		return nil, fmt.Errorf("load sign-in attempt: %w", err)
	}
	// Deleting is what makes it one-time: of two callbacks at once, one
	// deletes the row, the other deletes nothing and is refused.
	res := db.Where("id = ?", a.ID).Delete(&SSOAttempt{})
	if res.Error != nil {
		return nil, fmt.Errorf("use sign-in attempt: %w", res.Error)
	} else if res.RowsAffected != 1 || !a.ExpiresAt.After(now.UTC()) {
		return nil, errSSOState()
	}
	return &a, nil
}

// SSOIdentity is what the provider's verified ID token says.
type SSOIdentity struct {
	Issuer, Subject string
	Email           string
	EmailVerified   bool
}

// SSOLogin returns the account of the identity's email, refusing an
// unverified email, an unknown one and a disabled account, each with its
// own message (the person has proven who they are to the provider, so
// telling them does not help anyone guess). Successes and refusals are
// audited.
func SSOLogin(ctx context.Context, db *gorm.DB, id SSOIdentity) (*Account, error) {
	email, err := NormaliseEmail(id.Email)
	var refusal error
	var acc Account
	switch {
	case err != nil || id.Email == "":
		refusal = apperr.Errorf(apperr.EUNAUTH, "Your single sign-on account has no usable email address; ask your identity administrator.")
	case !id.EmailVerified:
		refusal = apperr.Errorf(apperr.EUNAUTH, "Your identity provider has not verified the email address %s, so Accord cannot match it to an account.", email)
	default:
		res := db.WithContext(ctx).Where("email = ?", email).Limit(1).Find(&acc)
		switch {
		case res.Error != nil:
			return nil, fmt.Errorf("single sign-on: %w", res.Error)
		case res.RowsAffected == 0:
			refusal = apperr.Errorf(apperr.EUNAUTH, "There is no Accord account for %s. Ask an administrator to invite you.", email)
		case acc.DisabledAt != nil:
			refusal = errDisabled()
		}
	}
	if refusal != nil {
		e := audit.Entry{Action: audit.AuditLoginRefused, Email: strings.ToLower(id.Email),
			Target: fmt.Sprintf("single sign-on: %s", apperr.ErrorMessage(refusal))}
		if acc.ID != 0 {
			e.AccountID = &acc.ID
		}
		if err := audit.Record(ctx, db, e); err != nil {
			return nil, err
		}
		return nil, refusal
	}
	if err := audit.Record(ctx, db, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: audit.AuditLoginSSO, Target: acc.Email + " via " + id.Issuer}); err != nil {
		return nil, err
	}
	return &acc, nil
}

// SetDisabled disables or enables account id; only admins may, and not
// their own account. Disabling ends the account's sessions at once; its
// API tokens stop working while it is disabled.
func SetDisabled(ctx context.Context, db *gorm.DB, by *Account, id int64, disabled bool, now time.Time) (*Account, error) {
	if by == nil || by.Role != RoleAdmin {
		return nil, apperr.Errorf(apperr.EFORBIDDEN, "Only administrators can disable or enable an account.")
	}
	row, err := ManagedAccount(ctx, db, by, id)
	if err != nil {
		return nil, err
	}
	if by.ID == id && disabled {
		return nil, apperr.Errorf(apperr.EINVALID, "You cannot disable your own account; ask another administrator.")
	}
	var at *time.Time
	action := audit.AuditAccountEnable
	if disabled {
		t := now.UTC()
		at, action = &t, audit.AuditAccountDisable
	}
	orgIDs := make([]int64, len(row.Orgs))
	for i, o := range row.Orgs {
		orgIDs[i] = o.ID
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Account{}).Where("id = ?", id).Update("disabled_at", at).Error; err != nil {
			return err
		}
		if disabled {
			if err := endSessions(tx, id, ""); err != nil {
				return err
			}
		}
		return audit.RecordOrgs(ctx, tx, audit.Entry{Action: action, Target: row.Email}, orgIDs)
	})
	if err != nil {
		return nil, fmt.Errorf("disable account: %w", err)
	}
	row.DisabledAt = at
	return &row.Account, nil
}

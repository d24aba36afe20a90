package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/ratelimit"
)

// Login checks a login attempt against the rate limits, then the password.
// Every attempt is counted before the password is checked, per client
// address and per email (known or not, so the answer reveals nothing), and
// a correct one is taken back: many attempts at once cannot slip past the
// limit, and only failures accumulate. A refused attempt is a *LimitError.
func Login(ctx context.Context, db *gorm.DB, email, password, addr string, now time.Time) (*Account, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	v, err := ratelimit.LoginAddressLimit.Take(ctx, db, addr, now)
	if err != nil {
		return nil, err
	} else if !v.Allowed {
		return nil, ratelimit.TooMany(v, "Too many failed logins from your network. Try again in %s.")
	}
	if v, err = ratelimit.LoginAccountLimit.Take(ctx, db, email, now); err != nil {
		return nil, err
	} else if !v.Allowed {
		return nil, ratelimit.TooMany(v, "Too many failed logins for this account. Try again in %s, or reset your password.")
	}
	acc, err := Authenticate(ctx, db, email, password)
	if err != nil {
		return nil, err
	}
	if err := ratelimit.LoginAddressLimit.Forgive(ctx, db, addr, now); err != nil {
		return nil, err
	}
	if err := ratelimit.LoginAccountLimit.Clear(ctx, db, email); err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, db, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: audit.AuditLogin, Target: acc.Email}); err != nil {
		return nil, err
	}
	return acc, nil
}

// ChangePassword replaces acc's password after checking the current one,
// and ends every other session of the account: whoever else held one (a
// forgotten browser, a thief) is logged out. keep is the cookie value of
// the session making the change. Wrong current passwords count as failed
// logins, so this form cannot be used to guess them either.
func ChangePassword(ctx context.Context, db *gorm.DB, acc *Account, current, password, keep string, now time.Time) error {
	v, err := ratelimit.LoginAccountLimit.Take(ctx, db, acc.Email, now)
	if err != nil {
		return err
	} else if !v.Allowed {
		return ratelimit.TooMany(v, "Too many wrong passwords for this account. Try again in %s.")
	}
	var stored Account
	if err := db.WithContext(ctx).Select("id", "password_hash").Take(&stored, acc.ID).Error; err != nil {
		return fmt.Errorf("load account: %w", err)
	}
	if ok, err := argon2id.ComparePasswordAndHash(current, stored.PasswordHash); err != nil || !ok {
		return &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{"current": "This is not your current password."}}
	}
	hash, err := HashPassword(password)
	if err != nil {
		return &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{"password": apperr.ErrorMessage(err)}}
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setPassword(ctx, tx, acc, hash, now, keep); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditPasswordChange, Target: acc.Email})
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return ratelimit.LoginAccountLimit.Clear(ctx, db, acc.Email)
}

// LogoutEverywhere ends every session of acc, the current one included.
func LogoutEverywhere(ctx context.Context, db *gorm.DB, acc *Account) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := endSessions(tx, acc.ID, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditLogoutEverywhere, Target: acc.Email})
	})
}

// RequestPasswordReset emails a one-hour reset link to email if it has an
// account. The caller shows the same answer whether or not it does; only
// too many requests from one client address are refused, with a
// *LimitError. Too many for one email are dropped silently, so nobody can
// flood a mailbox and the answer still reveals nothing.
func RequestPasswordReset(ctx context.Context, db *gorm.DB, m *AccountMailer, email, addr string, now time.Time) error {
	v, err := ratelimit.ResetAddressLimit.Take(ctx, db, addr, now)
	if err != nil {
		return err
	} else if !v.Allowed {
		return ratelimit.TooMany(v, "Too many password reset requests from your network. Try again in %s.")
	}
	email, err = NormaliseEmail(email)
	if err != nil {
		return &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{"email": "Enter the email address you log in with, like name@example.com."}}
	}
	if v, err := ratelimit.ResetAccountLimit.Take(ctx, db, email, now); err != nil || !v.Allowed {
		return err
	}
	var acc Account
	if res := db.WithContext(ctx).Where("email = ?", email).Limit(1).Find(&acc); res.Error != nil {
		return fmt.Errorf("password reset: %w", res.Error)
	} else if res.RowsAffected == 0 {
		return nil
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		token, err := issueToken(tx, acc.ID, TokenReset, now)
		if err != nil {
			return err
		}
		msg, err := m.message(TokenReset, token, EmailNotice{To: acc.Email})
		if err != nil {
			return err
		}
		if err := m.Mail.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: audit.AuditResetRequest, Target: acc.Email})
	})
	if err != nil {
		return fmt.Errorf("password reset: %w", err)
	}
	return nil
}

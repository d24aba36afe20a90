package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/ratelimit"
	"accord/survey/secrets"
)

// Account token purposes and lifetimes. An invitation waits a few days for
// someone who is away; a reset link is asked for by someone who is at their
// mailbox right now.
const (
	TokenInvite = "invite"
	TokenReset  = "reset"

	InviteTTL = 72 * time.Hour
	ResetTTL  = time.Hour
)

// AccountToken is a single-use link that lets its holder set the password
// of one account: an invitation or a password reset. Only the SHA-256 of
// the 256-bit token is stored.
type AccountToken struct {
	ID        int64     `gorm:"primaryKey"`
	AccountID int64     `gorm:"not null;index"`
	Purpose   string    `gorm:"size:16;not null"`
	TokenHash []byte    `gorm:"size:32;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// AccountModels lists the tables of accounts' security: tokens, the audit
// log and rate-limit counts (schema migration 7).
func AccountModels() []any { return []any{&AccountToken{}, &audit.Entry{}, &ratelimit.RateCount{}} }

// issueToken creates a token of purpose for the account in tx and returns
// it. Earlier unused tokens of the same purpose stop working, so only the
// newest email's link does.
func issueToken(tx *gorm.DB, accountID int64, purpose string, now time.Time) (string, error) {
	now = now.UTC()
	ttl := ResetTTL
	if purpose == TokenInvite {
		ttl = InviteTTL
	}
	if err := tx.Model(&AccountToken{}).Where("account_id = ? AND purpose = ? AND used_at IS NULL", accountID, purpose).
		Update("used_at", now).Error; err != nil {
		return "", fmt.Errorf("retire old links: %w", err)
	}
	token := secrets.NewToken()
	t := AccountToken{AccountID: accountID, Purpose: purpose, TokenHash: secrets.HashToken(token), ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := tx.Create(&t).Error; err != nil {
		return "", fmt.Errorf("store link: %w", err)
	}
	return token, nil
}

// errLinkGone is what an unknown, used or expired link gets: one message
// for all, so a link reveals nothing about why it fails.
func errLinkGone() error {
	return apperr.Errorf(apperr.EGONE, "This link has expired or has already been used. Ask for a new one below.")
}

// PeekToken returns the account and purpose of a usable token without
// using it up, so the set-password form can greet the right person.
func PeekToken(ctx context.Context, db *gorm.DB, token string, now time.Time) (*Account, string, error) {
	if !secrets.ValidTokenShape(token) {
		return nil, "", errLinkGone()
	}
	var t AccountToken
	err := db.WithContext(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", secrets.HashToken(token), now.UTC()).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", errLinkGone()
	} else if err != nil {
		return nil, "", fmt.Errorf("load link: %w", err)
	}
	var acc Account
	if err := db.WithContext(ctx).Take(&acc, t.AccountID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", errLinkGone()
	} else if err != nil {
		return nil, "", fmt.Errorf("load account: %w", err)
	}
	return &acc, t.Purpose, nil
}

// SetPasswordWithToken uses token up and gives its account password, in
// one transaction: the token is claimed by a conditional UPDATE, so a link
// used twice at once still sets a password once. Every session of the
// account ends and its failed-login count is forgotten.
func SetPasswordWithToken(ctx context.Context, db *gorm.DB, token, password string, now time.Time) (*Account, error) {
	if !secrets.ValidTokenShape(token) {
		return nil, errLinkGone()
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	var acc Account
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t AccountToken
		if err := tx.Where("token_hash = ?", secrets.HashToken(token)).Take(&t).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return errLinkGone()
		} else if err != nil {
			return err
		}
		res := tx.Model(&AccountToken{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", t.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		} else if res.RowsAffected == 0 {
			return errLinkGone()
		}
		if err := tx.Take(&acc, t.AccountID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return errLinkGone()
		} else if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, &acc, hash, now, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: audit.AuditPasswordSet, Target: acc.Email + " (" + t.Purpose + " link)"})
	})
	if code := apperr.ErrorCode(err); code == apperr.EGONE {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("set password: %w", err)
	}
	if err := ratelimit.LoginAccountLimit.Clear(ctx, db, acc.Email); err != nil {
		return nil, err
	}
	return &acc, nil
}

// setPassword stores a new password hash and ends every session of the
// account except the one whose cookie value is keep (none when empty).
func setPassword(ctx context.Context, tx *gorm.DB, acc *Account, hash string, now time.Time, keep string) error {
	err := tx.WithContext(ctx).Model(&Account{}).Where("id = ?", acc.ID).
		Updates(map[string]any{"password_hash": hash, "password_changed_at": now.UTC()}).Error
	if err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	acc.PasswordHash, acc.PasswordChangedAt = hash, now.UTC()
	return endSessions(tx.WithContext(ctx), acc.ID, keep)
}

// endSessions deletes the sessions of an account, except keep's.
func endSessions(db *gorm.DB, accountID int64, keep string) error {
	q := db.Where("account_id = ?", accountID)
	if keep != "" {
		q = q.Where("token_hash <> ?", secrets.HashToken(keep))
	}
	if err := q.Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

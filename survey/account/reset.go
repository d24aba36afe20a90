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
)

// ResetPassword sets a new password for the account with email, as an
// operator does from the command line when the password is lost: every
// session of the account ends, its failed-login count is forgotten and the
// audit log records the reset. An unknown email is ENOTFOUND.
func ResetPassword(ctx context.Context, db *gorm.DB, email, password string, now time.Time) (*Account, error) {
	email, err := NormaliseEmail(email)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	var acc Account
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("email = ?", email).Take(&acc).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.ENOTFOUND, "There is no account with the email %s.", email)
		} else if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, &acc, hash, now, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditPasswordSet, Target: acc.Email + " (reset from the command line)"})
	})
	if code := apperr.ErrorCode(err); code == apperr.ENOTFOUND {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("reset password: %w", err)
	}
	if err := ratelimit.LoginAccountLimit.Clear(ctx, db, acc.Email); err != nil {
		return nil, err
	}
	return &acc, nil
}

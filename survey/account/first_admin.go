package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/apperr"
)

// GeneratePassword returns a random password for a new account, shown once.
func GeneratePassword() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// EnsureAdmin creates the first admin when no admin exists yet. It returns
// the created account and its password (generated when password is empty),
// or nil when an admin already exists.
func EnsureAdmin(ctx context.Context, db *gorm.DB, email, password string) (*Account, string, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Account{}).Where("role = ?", RoleAdmin).Count(&n).Error; err != nil {
		return nil, "", fmt.Errorf("count admins: %w", err)
	}
	if n > 0 {
		return nil, "", nil
	}
	if email == "" {
		email = "admin@localhost"
	}
	if password == "" {
		password = GeneratePassword()
	}
	acc, err := CreateAccount(ctx, db, email, RoleAdmin, password)
	if apperr.ErrorCode(err) == apperr.ECONFLICT {
		return nil, "", nil // another replica created it first
	}
	return acc, password, err
}

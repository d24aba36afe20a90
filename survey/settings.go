package survey

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

const secretKeySetting = "secret_key"

// EnsureSecret returns the server secret: the configured one if given,
// otherwise the one stored in the database, generated on first use. Several
// replicas starting at once agree on one value because the insert does
// nothing on conflict and everyone reads the winner back.
func EnsureSecret(ctx context.Context, db *gorm.DB, configured []byte) ([]byte, error) {
	if len(configured) > 0 {
		return configured, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	candidate := Setting{Key: secretKeySetting, Value: base64.StdEncoding.EncodeToString(b)}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&candidate).Error; err != nil {
		return nil, fmt.Errorf("store secret key: %w", err)
	}
	var s Setting
	if err := db.Where("key = ?", secretKeySetting).Take(&s).Error; err != nil {
		return nil, fmt.Errorf("load secret key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(s.Value)
	if err != nil {
		return nil, fmt.Errorf("stored secret key is corrupt: %w", err)
	}
	return key, nil
}

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
	if ErrorCode(err) == ECONFLICT {
		return nil, "", nil // another replica created it first
	}
	return acc, password, err
}

package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/secrets"
)

// API tokens let scripts read the JSON API (/api/v1) as an account: with
// the same organisations and the same confidentiality as the account's
// pages, decided at each request, so a token follows the account's
// memberships as they change. A token is shown once when created; only its
// SHA-256 is stored, so a database dump holds nothing that opens the API.

// APITokenPrefix starts every API token, so that secret scanners and
// people recognise one in a log or a repository.
const APITokenPrefix = "accord_"

// MaxAPITokens is how many unrevoked tokens one account may hold.
const MaxAPITokens = 20

// MaxAPITokenName is the longest token name, in characters.
const MaxAPITokenName = 100

// apiTokenTouchEvery limits last-used updates to one write a minute per
// token: a busy script must not turn every read into a write.
const apiTokenTouchEvery = time.Minute

// Audit actions of API tokens.
const (
	AuditAPITokenCreate = "account.api_token_create"
	AuditAPITokenRevoke = "account.api_token_revoke"
)

// APIToken is a bearer token of one account for the JSON API.
type APIToken struct {
	ID         int64  `gorm:"primaryKey"`
	AccountID  int64  `gorm:"not null;index"`
	Name       string `gorm:"size:100;not null"`
	TokenHash  []byte `gorm:"size:32;not null;uniqueIndex"`
	CreatedAt  time.Time
	ExpiresAt  *time.Time // nil: until revoked
	LastUsedAt *time.Time // coarse: updated at most once a minute
	RevokedAt  *time.Time
}

// Expired reports whether the token has passed its expiry at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// CreateAPIToken creates a token named name for acc, valid until expires
// (nil: until revoked), and returns it: the only time it can be read.
func CreateAPIToken(ctx context.Context, db *gorm.DB, acc *Account, name string, expires *time.Time, now time.Time) (string, *APIToken, error) {
	if acc == nil {
		return "", nil, apperr.Errorf(apperr.EUNAUTH, "Please log in.")
	}
	now = now.UTC()
	name = strings.TrimSpace(name)
	fields := apperr.FieldErrors{}
	switch {
	case name == "":
		fields["name"] = "Give the token a name, such as the script that will use it."
	case utf8.RuneCountInString(name) > MaxAPITokenName:
		fields["name"] = fmt.Sprintf("Use at most %d characters.", MaxAPITokenName)
	}
	if expires != nil && !expires.After(now) {
		fields["expires"] = "Choose an expiry in the future."
	}
	if len(fields) > 0 {
		return "", nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	token := APITokenPrefix + secrets.NewToken()
	t := &APIToken{AccountID: acc.ID, Name: name, TokenHash: secrets.HashToken(token), CreatedAt: now}
	if expires != nil {
		e := expires.UTC()
		t.ExpiresAt = &e
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Counting inside the transaction that inserts keeps the limit
		// approximate under concurrent requests of one account, which is
		// enough for a limit that only stops runaway scripts.
		var n int64
		if err := tx.Model(&APIToken{}).Where("account_id = ? AND revoked_at IS NULL", acc.ID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxAPITokens {
			return &apperr.FormError{Code: apperr.EINVALID, Fields: apperr.FieldErrors{"name": fmt.Sprintf("You already have %d tokens. Revoke one you no longer use first.", MaxAPITokens)}}
		}
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: AuditAPITokenCreate, Target: name})
	})
	if apperr.FormErrorsOf(err) != nil {
		return "", nil, err
	} else if err != nil {
		return "", nil, fmt.Errorf("create API token: %w", err)
	}
	return token, t, nil
}

// ListAPITokens returns acc's unrevoked tokens, newest first (hashes included
// but useless: they cannot be turned back into tokens).
func ListAPITokens(ctx context.Context, db *gorm.DB, acc *Account) ([]APIToken, error) {
	var ts []APIToken
	err := db.WithContext(ctx).Where("account_id = ? AND revoked_at IS NULL", acc.ID).Order("id DESC").Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken ends token id of acc at once. Another account's token,
// or one already revoked, is ENOTFOUND.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, acc *Account, id int64, now time.Time) error {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t APIToken
		err := tx.Where("id = ? AND account_id = ? AND revoked_at IS NULL", id, acc.ID).Take(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.ENOTFOUND, "There is no such token, or it is already revoked.")
		} else if err != nil {
			return err
		}
		if err := tx.Model(&APIToken{}).Where("id = ?", t.ID).Update("revoked_at", now.UTC()).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{AccountID: &acc.ID, Email: acc.Email, Action: AuditAPITokenRevoke, Target: t.Name})
	})
	if code := apperr.ErrorCode(err); code == apperr.ENOTFOUND {
		return err
	} else if err != nil {
		return fmt.Errorf("revoke API token: %w", err)
	}
	return nil
}

// errBadToken is the one answer for a missing, malformed, unknown, expired
// or revoked token, so that the answer reveals nothing about which.
func errBadToken() error {
	return apperr.Errorf(apperr.EUNAUTH, "Send a valid API token as 'Authorization: Bearer <token>'; this one is missing, unknown, expired or revoked.")
}

// ValidAPITokenShape reports whether s looks like a token CreateAPIToken
// could have made, so that garbage is refused before the database is asked.
func ValidAPITokenShape(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	return ok && secrets.ValidTokenShape(rest)
}

// APITokenAccount returns the account behind a usable API token, and
// EUNAUTH for any other. It records the use, at most once a minute.
func APITokenAccount(ctx context.Context, db *gorm.DB, token string, now time.Time) (*Account, error) {
	if !ValidAPITokenShape(token) {
		return nil, errBadToken()
	}
	now = now.UTC()
	var row struct {
		APIToken
		Acc Account `gorm:"embedded;embeddedPrefix:acc_"`
	}
	err := db.WithContext(ctx).Table("api_tokens").
		Select("api_tokens.*, accounts.id AS acc_id, accounts.email AS acc_email, accounts.name AS acc_name, accounts.role AS acc_role").
		Joins("JOIN accounts ON accounts.id = api_tokens.account_id").
		Where("api_tokens.token_hash = ? AND api_tokens.revoked_at IS NULL AND accounts.disabled_at IS NULL AND (api_tokens.expires_at IS NULL OR api_tokens.expires_at > ?)", secrets.HashToken(token), now).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errBadToken()
	} else if err != nil {
		return nil, fmt.Errorf("load API token: %w", err)
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= apiTokenTouchEvery {
		// The condition is repeated in the UPDATE so that a burst of
		// requests writes once, not once per request that read old data.
		err := db.WithContext(ctx).Model(&APIToken{}).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", row.APIToken.ID, now.Add(-apiTokenTouchEvery)).
			Update("last_used_at", now).Error
		if err != nil {
			return nil, fmt.Errorf("record API token use: %w", err)
		}
	}
	return &row.Acc, nil
}

// Package secrets holds the server secret (loaded from ACCORD_SECRET_KEY
// or the key file, checked against the database, attached to a database
// handle) and the random tokens of survey links, login cookies and API
// keys, with their hashes and the keys derived from the secret. It imports
// nothing from Accord, so any package may import it.
package secrets

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The server secret keys everything that could link a response to a
// person: the response key (HMAC of the invitation) and the edit keys of
// responses stored before it. It is never stored in the database, so that
// a dump or a file copy of the database alone links nothing; the database
// keeps only a check value that tells a wrong key from the right one.

// Settings rows about the secret.
const (
	// legacySecretSetting is where versions before the key file stored the
	// generated secret itself. LoadSecret moves it out and deletes it.
	legacySecretSetting = "secret_key"
	// secretCheckSetting holds HMAC(secret, secretCheckLabel): it proves a
	// key right or wrong and tells nothing about the key.
	secretCheckSetting = "secret_key_check"
	secretCheckLabel   = "accord key check"
)

// MinSecretLength is the shortest ACCORD_SECRET_KEY accepted, in bytes.
const MinSecretLength = 32

// secretBase64Prefix marks a secret given as base64 of its bytes (the form
// key files and earlier versions' stored secrets take).
const secretBase64Prefix = "base64:"

// ParseSecret reads a secret as ACCORD_SECRET_KEY or a key file gives it:
// "base64:…" for the base64 of the key's bytes, anything else used as it
// is. Either way it must hold at least MinSecretLength bytes.
func ParseSecret(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	key := []byte(text)
	if rest, ok := strings.CutPrefix(text, secretBase64Prefix); ok {
		var err error
		if key, err = base64.StdEncoding.DecodeString(rest); err != nil {
			return nil, errors.New(`is not valid base64 after "base64:"`)
		}
	}
	if len(key) < MinSecretLength {
		return nil, fmt.Errorf("must be at least %d bytes (it keys what links answers to people); got %d", MinSecretLength, len(key))
	}
	return key, nil
}

// SecretSource says where the server secret comes from.
type SecretSource struct {
	// Configured is ACCORD_SECRET_KEY, parsed; it wins when set.
	Configured []byte
	// KeyFile is the key file of the embedded database (beside it, mode
	// 0600), created on first start; empty where there is none
	// (PostgreSQL, which needs ACCORD_SECRET_KEY).
	KeyFile string
}

// LoadSecret returns the server secret from src, moves a secret that an
// earlier version stored in the database out of it (into the key file, or
// telling the operator to set ACCORD_SECRET_KEY) and refuses a key that is
// not the one this database was set up with.
func LoadSecret(ctx context.Context, db *gorm.DB, src SecretSource, log *slog.Logger) ([]byte, error) {
	db = db.WithContext(ctx)
	legacy, err := legacySecret(db)
	if err != nil {
		return nil, err
	}
	key := src.Configured
	switch {
	case key != nil:
	case src.KeyFile != "":
		if key, err = keyFile(src.KeyFile, legacy); err != nil {
			return nil, err
		}
	case legacy != "":
		return nil, errors.New("ACCORD_SECRET_KEY is not set. This database still holds the secret an earlier version " +
			"generated, which lets anyone with a dump link answers to people: set ACCORD_SECRET_KEY=base64:VALUE, " +
			"where VALUE is the result of SELECT value FROM settings WHERE key = 'secret_key', and start again; " +
			"Accord then deletes it from the database")
	default:
		return nil, errors.New("ACCORD_SECRET_KEY is not set: with PostgreSQL Accord needs a secret kept outside the database " +
			"(at least 32 characters, e.g. from `openssl rand -base64 32`); keep it stable, as respondents' links depend on it")
	}
	if err := checkSecret(db, key); err != nil {
		return nil, err
	}
	if legacy != "" {
		if err := db.Where("key = ?", legacySecretSetting).Delete(&Setting{}).Error; err != nil {
			return nil, fmt.Errorf("delete the secret stored in the database: %w", err)
		}
		if log != nil {
			log.Warn("moved the server secret out of the database (settings row secret_key deleted); "+
				"back it up with the database, as respondents' links and answers depend on it", "key_file", src.KeyFile)
		}
	}
	return key, nil
}

// legacySecret returns the secret an earlier version stored (its base64
// text), or "".
func legacySecret(db *gorm.DB) (string, error) {
	var s Setting
	err := db.Where("key = ?", legacySecretSetting).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read settings: %w", err)
	}
	return s.Value, nil
}

// keyFile reads the key file at path, creating it (mode 0600) when it does
// not exist: with legacy, the secret an earlier version stored, otherwise
// a new random one. Two processes creating it at once agree on the first.
func keyFile(path, legacy string) ([]byte, error) {
	text := secretBase64Prefix + legacy
	if legacy == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		text = secretBase64Prefix + base64.StdEncoding.EncodeToString(b)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, werr := f.WriteString(text + "\n")
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("write key file %s: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create key file %s: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file %s: %w", path, err)
	}
	key, err := ParseSecret(string(data))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return key, nil
}

// checkSecret compares key with the check value stored by the first start
// (storing it if this is the first), so that a wrong key is refused
// instead of silently losing every respondent's answers.
func checkSecret(db *gorm.DB, key []byte) error {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secretCheckLabel))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	candidate := Setting{Key: secretCheckSetting, Value: want}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&candidate).Error; err != nil {
		return fmt.Errorf("store the key check: %w", err)
	}
	var s Setting
	if err := db.Where("key = ?", secretCheckSetting).Take(&s).Error; err != nil {
		return fmt.Errorf("read the key check: %w", err)
	}
	if !hmac.Equal([]byte(s.Value), []byte(want)) {
		return errors.New("the secret key (ACCORD_SECRET_KEY or the key file) is not the one this database was set up with: " +
			"respondents' links and answers would not be found. Start with the original key")
	}
	return nil
}

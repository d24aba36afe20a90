package secrets

import (
	"errors"

	"gorm.io/gorm"
)

// Setting is an instance-wide key/value pair, such as the generated secret key.
type Setting struct {
	Key   string `gorm:"primaryKey;size:64"`
	Value string `gorm:"not null"`
}

// secretPlugin lets a database handle carry the server secret, so that
// code reading participation (the analytics, the scheduler) gets it with
// the handle it already has. It is never written to the database.
type secretPlugin struct{ key []byte }

func (secretPlugin) Name() string                 { return "accord:secret" }
func (secretPlugin) Initialize(db *gorm.DB) error { return nil }

// UseSecret attaches the server secret to db and every handle derived
// from it. Call it once, right after LoadSecret.
func UseSecret(db *gorm.DB, key []byte) error {
	if len(key) == 0 {
		return errors.New("use secret: empty key")
	}
	return db.Use(secretPlugin{key: key})
}

// SecretOf returns the server secret attached to db by UseSecret.
func SecretOf(db *gorm.DB) ([]byte, error) {
	if p, ok := db.Config.Plugins[secretPlugin{}.Name()].(secretPlugin); ok {
		return p.key, nil
	}
	return nil, errors.New("ACCORD_SECRET_KEY is not set: telling who answered a round (for reminders and results) " +
		"needs the server secret, which with PostgreSQL is never in the database")
}

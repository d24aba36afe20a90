// Package ratelimit counts attempts (failed logins, password-reset
// requests, unknown survey links) in the database and refuses them past a
// Limit, with an ETOOMANY error that says how long to wait. It imports
// only apperr.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
)

// Rate limits are counted in the database, not in memory: every replica
// behind a load balancer sees the same counts, and a restart does not hand
// an attacker a fresh allowance. The price is a write per counted attempt
// and a small read per checked request; only failed logins, password-reset
// requests and unknown respondent links are counted, so normal use costs
// one indexed read. A Limit's window is cut into rateBuckets time buckets,
// each a row upserted with ON CONFLICT (the same SQL on SQLite and
// PostgreSQL); the window slides one bucket at a time.

// Limit allows at most Max attempts per key within Window.
type Limit struct {
	Name   string
	Max    int
	Window time.Duration
}

// The limits Accord applies.
var (
	// LoginAccountLimit counts failed logins per email address, known or not.
	LoginAccountLimit = Limit{"login-account", 5, 15 * time.Minute}
	// LoginAddressLimit counts failed logins per client address.
	LoginAddressLimit = Limit{"login-address", 20, 15 * time.Minute}
	// UnknownLinkLimit counts lookups of unknown respondent links per client address.
	UnknownLinkLimit = Limit{"unknown-link", 60, time.Minute}
	// ResetAddressLimit counts password-reset requests per client address.
	ResetAddressLimit = Limit{"reset-address", 10, time.Hour}
	// ResetAccountLimit counts reset emails per address, so that nobody can
	// flood someone's mailbox with them.
	ResetAccountLimit = Limit{"reset-account", 3, time.Hour}
)

// rateBuckets is how many buckets a window is cut into.
const rateBuckets = 15

// rateKeep is how long counts are kept: longer than any window.
const rateKeep = 24 * time.Hour

// RateCount is the number of attempts of one key in one time bucket. Keys
// are hashed, so the table holds no email or network address.
type RateCount struct {
	Subject  string    `gorm:"primaryKey;size:64"`
	Bucket   time.Time `gorm:"primaryKey;index"`
	Attempts int       `gorm:"not null"`
}

// Verdict is a limit's answer: whether the attempt may go ahead and, when
// not, how long until one would.
type Verdict struct {
	Allowed    bool
	RetryAfter time.Duration
}

// Wait says in words how long to wait, for messages: "14 minutes".
func (v Verdict) Wait() string {
	switch d := v.RetryAfter; {
	case d <= time.Minute:
		s := max(int((d+time.Second-1)/time.Second), 1)
		return plural(s, "second")
	default:
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func (l Limit) size() time.Duration { return l.Window / rateBuckets }

func (l Limit) subject(key string) string {
	sum := sha256.Sum256([]byte(l.Name + "\x00" + key))
	return hex.EncodeToString(sum[:])
}

// Check reports whether one more attempt of key would be within the limit,
// without counting one.
func (l Limit) Check(ctx context.Context, db *gorm.DB, key string, now time.Time) (Verdict, error) {
	return l.verdict(ctx, db, key, now, l.Max-1)
}

// Take counts an attempt of key and then reports whether it is within the
// limit. Counting first means that many requests at once cannot all slip
// through under the limit: each sees the others' attempts.
func (l Limit) Take(ctx context.Context, db *gorm.DB, key string, now time.Time) (Verdict, error) {
	if err := l.Hit(ctx, db, key, now); err != nil {
		return Verdict{}, err
	}
	return l.verdict(ctx, db, key, now, l.Max)
}

// Hit counts an attempt of key.
func (l Limit) Hit(ctx context.Context, db *gorm.DB, key string, now time.Time) error {
	now = now.UTC()
	row := RateCount{Subject: l.subject(key), Bucket: now.Truncate(l.size()), Attempts: 1}
	err := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "subject"}, {Name: "bucket"}},
		DoUpdates: clause.Assignments(map[string]any{"attempts": gorm.Expr("rate_counts.attempts + 1")}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("count attempt (%s): %w", l.Name, err)
	}
	// Old buckets are swept now and then by whoever counts, so the table
	// stays small without a background job.
	if rand.IntN(100) == 0 {
		if err := db.WithContext(ctx).Where("bucket < ?", now.Add(-rateKeep)).Delete(&RateCount{}).Error; err != nil {
			return fmt.Errorf("sweep rate counts: %w", err)
		}
	}
	return nil
}

// Forgive takes back one attempt of key counted in now's bucket: a login
// attempt that turned out to be right.
func (l Limit) Forgive(ctx context.Context, db *gorm.DB, key string, now time.Time) error {
	err := db.WithContext(ctx).Model(&RateCount{}).
		Where("subject = ? AND bucket = ? AND attempts > 0", l.subject(key), now.UTC().Truncate(l.size())).
		Update("attempts", gorm.Expr("attempts - 1")).Error
	if err != nil {
		return fmt.Errorf("forgive attempt (%s): %w", l.Name, err)
	}
	return nil
}

// Clear forgets every attempt of key: after a successful login or a new password.
func (l Limit) Clear(ctx context.Context, db *gorm.DB, key string) error {
	if err := db.WithContext(ctx).Where("subject = ?", l.subject(key)).Delete(&RateCount{}).Error; err != nil {
		return fmt.Errorf("clear attempts (%s): %w", l.Name, err)
	}
	return nil
}

// verdict allows when the attempts in the window are at most allowed, and
// otherwise computes when enough old buckets will have left the window.
func (l Limit) verdict(ctx context.Context, db *gorm.DB, key string, now time.Time, allowed int) (Verdict, error) {
	now = now.UTC()
	from := now.Truncate(l.size()).Add(-l.size() * (rateBuckets - 1))
	var rows []RateCount
	err := db.WithContext(ctx).Where("subject = ? AND bucket >= ?", l.subject(key), from).Order("bucket").Find(&rows).Error
	if err != nil {
		return Verdict{}, fmt.Errorf("read attempts (%s): %w", l.Name, err)
	}
	total := 0
	for _, r := range rows {
		total += r.Attempts
	}
	if total <= allowed {
		return Verdict{Allowed: true}, nil
	}
	// A bucket stops counting one window after it started. Wait until
	// the oldest buckets holding the excess have gone, so that the next
	// attempt is within the limit.
	for _, r := range rows {
		total -= r.Attempts
		if total < l.Max {
			return Verdict{RetryAfter: r.Bucket.Add(l.Window).Sub(now)}, nil
		}
	}
	return Verdict{RetryAfter: l.Window}, nil
}

// LimitError is an ETOOMANY error that also says when to try again, for a
// Retry-After header.
type LimitError struct {
	Err        *apperr.Error
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *LimitError) Error() string { return e.Err.Error() }

// Unwrap lets ErrorCode and ErrorMessage find the coded error.
func (e *LimitError) Unwrap() error { return e.Err }

// TooMany returns the LimitError of a refused verdict; message has one %s
// for how long to wait.
func TooMany(v Verdict, message string) error {
	return &LimitError{Err: apperr.Errorf(apperr.ETOOMANY, message, v.Wait()), RetryAfter: v.RetryAfter}
}

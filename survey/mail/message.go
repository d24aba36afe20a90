// Package mail is Accord's durable email outbox: messages are written in the
// same transaction as the domain rows that cause them (invitations,
// reminders, account emails) and sent by a background worker over SMTP, or
// into the development outbox when no SMTP server is configured.
//
// It is a leaf: it imports nothing from Accord above it (never survey).
package mail

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Message kinds.
const (
	KindInvitation = "invitation"
	KindReminder   = "reminder"
	KindAccount    = "account" // account invitations and password resets
)

// Message statuses.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed" // permanently: a bad address, or retries exhausted
	// StatusHeld: the server's answer to the message was lost, so it may or
	// may not have arrived; it is not resent automatically (no duplicates),
	// and operators see it among the undelivered emails.
	StatusHeld = "held"
	// StatusCancelled: not sent because its round closed first.
	StatusCancelled = "cancelled"
)

// Undelivered lists the statuses operators are shown as "not delivered":
// failed for good, or held because the outcome is unknown.
var Undelivered = []string{StatusFailed, StatusHeld}

// Message is one email in the outbox. Its body holds a personal link until
// it is sent; after sending the body is blanked so the database keeps no
// usable link.
type Message struct {
	ID           int64  `gorm:"primaryKey"`
	OrgID        *int64 `gorm:"index"`
	RoundID      *int64 `gorm:"index"`
	InvitationID *int64 `gorm:"index"`
	Kind         string `gorm:"size:16;not null"`
	To           string `gorm:"column:to_address;size:254;not null"`
	Subject      string `gorm:"size:300;not null"`
	Text         string `gorm:"not null"`
	HTML         string `gorm:"not null"`
	MessageID    string `gorm:"size:200;not null;uniqueIndex"` // without angle brackets; stable, so receivers can drop a duplicate
	Status       string `gorm:"size:16;not null;index"`
	Attempts     int    `gorm:"not null;default:0"`
	LastError    string `gorm:"size:1000;not null;default:''"`
	CreatedAt    time.Time
	SentAt       *time.Time
}

// TableName keeps the table's purpose obvious in SQL.
func (Message) TableName() string { return "mail_messages" }

// Models lists the tables of this package, for the schema migration.
func Models() []any { return []any{&Message{}, &DevMail{}} }

// Enqueuer writes messages into the outbox inside the caller's transaction,
// together with the jobs that will send them.
type Enqueuer interface {
	Enqueue(ctx context.Context, tx *gorm.DB, msgs ...*Message) error
}

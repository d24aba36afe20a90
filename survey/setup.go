package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/survey/mail"
)

// Setup is how far a new organisation has come towards its first results,
// read from its data: the dashboard turns it into a checklist whose steps
// tick themselves.
type Setup struct {
	People    int64 // active people on the roster
	Schedules int64 // active schedules
	Rounds    int64 // rounds of any status
	Closed    int64 // closed rounds
	// Invitation emails by delivery status.
	InvitesSent, InvitesPending, InvitesFailed int64
	// NextClose is when the earliest open round closes; zero when none is open.
	NextClose time.Time
}

// HasPeople reports whether the roster step is done.
func (s *Setup) HasPeople() bool { return s.People > 0 }

// HasPlan reports whether a schedule or a round will invite people.
func (s *Setup) HasPlan() bool { return s.Schedules > 0 || s.Rounds > 0 }

// Invited reports whether at least one invitation has gone out.
func (s *Setup) Invited() bool { return s.InvitesSent > 0 }

// HasResults reports whether a round has closed: the checklist is done.
func (s *Setup) HasResults() bool { return s.Closed > 0 }

// setupSQL reads every count in one round trip; each subquery uses an
// index on org_id (mail_messages included).
const setupSQL = `
SELECT
  (SELECT COUNT(*) FROM people WHERE org_id = @org AND active = @yes) AS people,
  (SELECT COUNT(*) FROM schedules WHERE org_id = @org AND active = @yes) AS schedules,
  (SELECT COUNT(*) FROM rounds WHERE org_id = @org) AS rounds,
  (SELECT COUNT(*) FROM rounds WHERE org_id = @org AND status = @closed) AS closed,
  (SELECT COUNT(*) FROM mail_messages WHERE org_id = @org AND kind = @invite AND status = @sent) AS invites_sent,
  (SELECT COUNT(*) FROM mail_messages WHERE org_id = @org AND kind = @invite AND status = @pending) AS invites_pending,
  (SELECT COUNT(*) FROM mail_messages WHERE org_id = @org AND kind = @invite AND status = @failed) AS invites_failed`

// LoadSetup reads the setup progress of the organisation.
func LoadSetup(ctx context.Context, db *gorm.DB, orgID int64) (*Setup, error) {
	var s Setup
	db = db.WithContext(ctx)
	err := db.Raw(setupSQL, map[string]any{"org": orgID, "yes": true, "closed": RoundClosed, "invite": mail.KindInvitation,
		"sent": mail.StatusSent, "pending": mail.StatusPending, "failed": mail.StatusFailed}).Scan(&s).Error
	if err != nil {
		return nil, fmt.Errorf("load setup progress: %w", err)
	}
	var open []Round
	if err := db.Select("closes_at").Where("org_id = ? AND status = ?", orgID, RoundOpen).Order("closes_at").Limit(1).Find(&open).Error; err != nil {
		return nil, fmt.Errorf("load setup progress: %w", err)
	}
	if len(open) > 0 {
		s.NextClose = open[0].ClosesAt
	}
	return &s, nil
}

package survey

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"accord/survey/mail"
)

// RoundSummary is one row of an organisation's rounds page.
type RoundSummary struct {
	ID         int64
	Title      string
	Status     string
	OpensAt    time.Time
	ClosesAt   time.Time
	ScheduleID *int64
	TimeZone   string // the schedule's zone; the organisation's for rounds made by hand
	Invited    int64
	Responded  int64
	MailFailed int64 // emails about this round that failed or are held (outcome unknown)
	// ScheduleName is the name of the round's schedule; empty for rounds
	// made by hand.
	ScheduleName string
	// OpenProblem says why the scheduler could not open the round when
	// it was due (Round.OpenProblem); empty once it opens.
	OpenProblem string
}

// Progress says how far an open round has to go ("open, 4 days left"),
// and is the plain status otherwise; its response rate is then a rate so
// far, not a final one.
func (r RoundSummary) Progress(now time.Time) string {
	if r.Status != RoundOpen {
		return r.Status
	}
	left := r.ClosesAt.Sub(now)
	switch days := int(math.Ceil(left.Hours() / 24)); {
	case left <= 0:
		return "open, closing now"
	case days == 1:
		return "open, last day"
	default:
		return fmt.Sprintf("open, %d days left", days)
	}
}

// ResponseRate is Responded / Invited, 0 for a round nobody was invited to.
func (r RoundSummary) ResponseRate() float64 {
	if r.Invited == 0 {
		return 0
	}
	return float64(r.Responded) / float64(r.Invited)
}

// roundSummaries counts every round's invitations, responses and failed
// emails in one statement; the counts use the round_id indexes of
// invitations, responses and mail_messages.
const roundSummaries = `SELECT r.id, r.title, r.status, r.opens_at, r.closes_at, r.schedule_id,
	COALESCE(s.time_zone, o.time_zone, 'UTC') AS time_zone, COALESCE(s.name, '') AS schedule_name, r.open_problem,
	(SELECT COUNT(*) FROM invitations i WHERE i.round_id = r.id) AS invited,
	(SELECT COUNT(*) FROM responses s WHERE s.round_id = r.id) AS responded,
	(SELECT COUNT(*) FROM mail_messages m WHERE m.round_id = r.id AND m.status IN ?) AS mail_failed
FROM rounds r LEFT JOIN schedules s ON s.id = r.schedule_id JOIN organisations o ON o.id = r.org_id
WHERE r.org_id = ?
ORDER BY r.opens_at DESC, r.id DESC`

// RoundSummaries lists an organisation's rounds, latest first.
func RoundSummaries(ctx context.Context, db *gorm.DB, orgID int64) ([]RoundSummary, error) {
	var rs []RoundSummary
	if err := db.WithContext(ctx).Raw(roundSummaries, mail.Undelivered, orgID).Scan(&rs).Error; err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	for i := range rs {
		rs[i].OpensAt, rs[i].ClosesAt = rs[i].OpensAt.UTC(), rs[i].ClosesAt.UTC()
	}
	return rs, nil
}

// MailFailure is an email about a round that could not be delivered.
type MailFailure struct {
	RoundID   int64
	To        string
	Kind      string
	LastError string
}

// MailFailures are a round's undelivered emails as staff may see them.
// Reminders are only counted: a reminder goes only to someone who has not
// answered, so its address would tell staff who had not.
type MailFailures struct {
	Emails    []MailFailure // invitations and account emails, with their address
	Reminders int64
}

// maxFailuresShown bounds the failure list of one organisation's page.
const maxFailuresShown = 200

// RoundMailFailures returns the undelivered emails of an organisation's
// rounds, by round, in two queries.
func RoundMailFailures(ctx context.Context, db *gorm.DB, orgID int64) (map[int64]*MailFailures, error) {
	undelivered := func() *gorm.DB {
		return db.WithContext(ctx).Model(&mail.Message{}).
			Where("org_id = ? AND round_id IS NOT NULL AND status IN ?", orgID, mail.Undelivered)
	}
	var fs []MailFailure
	err := undelivered().Select("round_id", "to_address AS \"to\"", "kind", "last_error").Where("kind <> ?", mail.KindReminder).
		Order("round_id, id").Limit(maxFailuresShown).Scan(&fs).Error
	if err != nil {
		return nil, fmt.Errorf("list failed emails: %w", err)
	}
	var reminders []struct{ RoundID, N int64 }
	err = undelivered().Select("round_id, COUNT(*) AS n").Where("kind = ?", mail.KindReminder).Group("round_id").Scan(&reminders).Error
	if err != nil {
		return nil, fmt.Errorf("count failed reminders: %w", err)
	}
	by := map[int64]*MailFailures{}
	of := func(roundID int64) *MailFailures {
		if by[roundID] == nil {
			by[roundID] = &MailFailures{}
		}
		return by[roundID]
	}
	for _, f := range fs {
		of(f.RoundID).Emails = append(of(f.RoundID).Emails, f)
	}
	for _, r := range reminders {
		of(r.RoundID).Reminders = r.N
	}
	return by, nil
}

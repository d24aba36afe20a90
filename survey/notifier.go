package survey

import (
	"fmt"

	"gorm.io/gorm"

	"accord/survey/mail"
	"accord/survey/roster"
)

// Notifier writes the emails the domain sends as outbox messages. The
// domain decides who is told what and when; the wording, the templates and
// the subjects live outside it (survey/notify implements this), so package
// survey renders nothing.
type Notifier interface {
	Invitation(n InvitationNotice) (*mail.Message, error)
	Reminder(n InvitationNotice) (*mail.Message, error)
	Results(n ResultsNotice) (*mail.Message, error)
}

// InvitationNotice is what an invitation or reminder email is about.
type InvitationNotice struct {
	Org          *Organisation
	Round        *Round
	TimeZone     string // the schedule's: the deadline is written in it
	Person       *roster.Person
	InvitationID int64
	Link         string // the person's personal survey link
	// Actions are the organisation's actions taken on earlier results
	// (those not dropped, newest first), which an invitation mentions;
	// nil for reminders.
	Actions []ActionTaken
}

// ActionTaken is what everyone invited may read of an action: its title
// and status, never its owner, notes or dates.
type ActionTaken struct {
	Title, Status string
}

// actionsTaken returns org's actions that were not dropped, newest first,
// as an invitation mentions them.
func actionsTaken(tx *gorm.DB, orgID int64) ([]ActionTaken, error) {
	var as []ActionTaken
	err := tx.Model(&ActionPlan{}).Select("title", "status").Where("org_id = ? AND status <> ?", orgID, ActionDropped).
		Order("created_at DESC, id DESC").Scan(&as).Error
	if err != nil {
		return nil, fmt.Errorf("load the actions taken: %w", err)
	}
	return as, nil
}

// ResultsNotice is one person's copy of a round's results message: the
// leader's words and the organisation-level results and actions, the same
// for everyone invited.
type ResultsNotice struct {
	Org              *Organisation
	Round            *Round
	Person           *roster.Person
	Message          string
	Results, Actions []string
}

// message renders the email of kind (invitation or reminder) carrying
// token to p. The outbox gives it a Message-ID when it is stored.
func (s *Scheduler) message(rc *roundContext, p *roster.Person, invitationID int64, kind, token string) (*mail.Message, error) {
	n := InvitationNotice{Org: &rc.org, Round: &rc.round, TimeZone: rc.schedule.TimeZone, Person: p,
		InvitationID: invitationID, Link: s.link(token)}
	if kind == mail.KindReminder {
		return s.Notify.Reminder(n)
	}
	n.Actions = rc.actions
	return s.Notify.Invitation(n)
}

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
// for everyone invited; the notifier words the results and the actions'
// statuses in the person's language.
type ResultsNotice struct {
	Org     *Organisation
	Round   *Round
	Person  *roster.Person
	Message string
	Results RoundResults
	Actions []ActionTaken
}

// RoundResults are what a results message reports of a closed round: the
// whole organisation's published numbers, as numbers, so that each
// person's email words them in their own language. A number the
// confidentiality rules hide is absent (the caller reads them under those
// rules); nothing below the whole organisation is ever here.
type RoundResults struct {
	// AlignedShare is the share (0–1) of answers "completely aligned",
	// reported beside the study's share Benchmark; nil when hidden.
	AlignedShare *float64
	Benchmark    float64
	// Indices are the published indices (0–100), in IndexNames order.
	Indices []IndexResult
	// Responses of Invited people answered, ResponseRate the share; an
	// Invited of 0 reports no participation.
	Responses, Invited int
	ResponseRate       float64
}

// IndexResult is one published index of the whole organisation: its name
// (IndexAlignment…) and its mean on the 0–100 scale.
type IndexResult struct {
	Index string
	Mean  float64
}

// Empty reports whether r has nothing to report: a round whose results
// are hidden, or that has none.
func (r RoundResults) Empty() bool {
	return r.AlignedShare == nil && len(r.Indices) == 0 && r.Invited == 0
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

package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/mail"
	"accord/survey/roster"
	"accord/survey/textcheck"
)

// Closing the loop: once a round has closed with results, a leader may
// tell everyone who was invited what was heard and what will be done. The
// message carries the organisation's results only (the caller, which reads
// them under the confidentiality rules, passes them in as numbers, which
// the notifier words in each person's language) and
// goes to every person invited, answered or not, so neither the emails nor
// their records say who answered (DESIGN §9.2–3). One message per round.

// MailKindResults is the outbox kind of a results message.
const MailKindResults = "results"

// MaxRoundMessage is the longest message a leader may write, in characters.
const MaxRoundMessage = 4000

// AuditRoundMessage is the audit action of a results message sent.
const AuditRoundMessage = "round.message"

// RoundMessage records the results message of a round: what the leader
// wrote and to how many people it went. Nothing in it names them.
type RoundMessage struct {
	ID        int64  `gorm:"primaryKey"`
	OrgID     int64  `gorm:"not null;index"`
	RoundID   int64  `gorm:"not null;uniqueIndex"`
	Body      string `gorm:"size:4000;not null"`
	Sent      int    `gorm:"not null"`
	CreatedAt time.Time
}

// RoundMessageInput is a results message to send: the leader's words, and
// the organisation-level results and the actions (not dropped) it reports.
type RoundMessageInput struct {
	Body    string
	Results RoundResults
	Actions []ActionTaken
}

// GetRoundMessage returns the results message of org's round, nil when
// none was sent.
func GetRoundMessage(ctx context.Context, db *gorm.DB, orgID, roundID int64) (*RoundMessage, error) {
	var m RoundMessage
	err := db.WithContext(ctx).Where("org_id = ? AND round_id = ?", orgID, roundID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load results message: %w", err)
	}
	return &m, nil
}

// SendRoundMessage queues the results message of org's closed round to
// every active person invited to it, written by n, through the outbox,
// recording it and auditing it in the same transaction. A second message for the same
// round is refused (ECONFLICT), as are an open round and an empty or
// overlong message (EINVALID, with the field to correct).
func SendRoundMessage(ctx context.Context, db *gorm.DB, outbox mail.Enqueuer, n Notifier, org *Organisation, roundID int64, in RoundMessageInput) (*RoundMessage, error) {
	body := strings.TrimSpace(in.Body)
	fields := apperr.FieldErrors{}
	switch {
	case body == "":
		fields["body"] = "Write what you heard and what you will do, in your own words."
	case utf8.RuneCountInString(body) > MaxRoundMessage:
		fields["body"] = fmt.Sprintf("The message is too long: at most %d characters.", MaxRoundMessage)
	default:
		if msg := textcheck.ControlMessage("The message", body, true); msg != "" {
			fields["body"] = msg
		}
	}
	if len(fields) > 0 {
		return nil, &apperr.FormError{Code: apperr.EINVALID, Fields: fields}
	}
	if in.Results.Empty() {
		return nil, apperr.Errorf(apperr.EINVALID, "This round has no results to share: a message can go out once a round has closed with results.")
	}
	m := &RoundMessage{OrgID: org.ID, RoundID: roundID, Body: body}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Round
		if err := tx.Where("org_id = ? AND id = ?", org.ID, roundID).Take(&r).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.ENOTFOUND, "There is no such round in this organisation.")
		} else if err != nil {
			return fmt.Errorf("load round: %w", err)
		}
		if r.Status != RoundClosed {
			return apperr.Errorf(apperr.EINVALID, "%s is still open: tell people what you heard once it has closed.", r.Title)
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(m)
		if res.Error != nil {
			return fmt.Errorf("record results message: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ECONFLICT, "A message about %s has already gone out.", r.Title)
		}
		var people []roster.Person
		err := tx.Joins("JOIN invitations ON invitations.person_id = people.id").
			Where("invitations.round_id = ? AND people.org_id = ? AND people.active = ?", r.ID, org.ID, true).
			Order("people.id").Find(&people).Error
		if err != nil {
			return fmt.Errorf("load the people invited: %w", err)
		}
		msgs := make([]*mail.Message, 0, len(people))
		for i := range people {
			msg, err := n.Results(ResultsNotice{Org: org, Round: &r, Person: &people[i], Message: body,
				Results: in.Results, Actions: in.Actions})
			if err != nil {
				return err
			}
			msgs = append(msgs, msg)
		}
		if len(msgs) > 0 {
			if err := outbox.Enqueue(ctx, tx, msgs...); err != nil {
				return fmt.Errorf("queue results message: %w", err)
			}
		}
		m.Sent = len(msgs)
		if err := tx.Model(m).Update("sent", m.Sent).Error; err != nil {
			return fmt.Errorf("record results message: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: AuditRoundMessage, OrgID: &org.ID,
			Target: fmt.Sprintf("results message of %s to the %d people invited", r.Title, m.Sent)})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

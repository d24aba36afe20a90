package survey

import (
	"context"
	"time"

	"gorm.io/gorm"

	"accord/survey/mail"
)

// claimUnsent marks a batch of a round's not-yet-emailed, unanswered
// invitations of active people as sent and returns them, so that each is
// emailed once even when two processes run at the same time.
const claimUnsent = `UPDATE invitations SET sent_at = ?
WHERE id IN (
	SELECT i.id FROM invitations i JOIN people p ON p.id = i.person_id
	WHERE i.round_id = ? AND i.sent_at IS NULL AND i.responded_at IS NULL AND p.active = ?
	ORDER BY i.id LIMIT ?)
AND sent_at IS NULL
RETURNING id, person_id`

// SendLinks emails a personal link to every active invitee of an open round
// who was never emailed and has not answered: rounds created outside a
// schedule (the demo's open round, say) reach their people through the same
// outbox as scheduled ones. Each batch's claims, links and emails commit
// together, so a crash skips and repeats nothing. It returns how many were sent.
func (s *Scheduler) SendLinks(ctx context.Context, orgID, roundID int64, now time.Time) (int, error) {
	return s.SendInvitationLinks(ctx, orgID, roundID, nil, now)
}

// SendInvitationLinks is SendLinks for a caller that created the
// invitations and still holds their raw tokens (tokens, by person ID): the
// emails carry those links rather than new ones, so that the links the
// caller shows elsewhere (the demo's printed ones) are the emailed ones.
// The tokens must be the invitations' own (their hashes are what the
// invitations store); a person missing from tokens gets a new link as
// with SendLinks.
func (s *Scheduler) SendInvitationLinks(ctx context.Context, orgID, roundID int64, tokens map[int64]string, now time.Time) (int, error) {
	now = now.UTC()
	r, err := findRound(ctx, s.DB, orgID, roundID)
	if err != nil {
		return 0, err
	} else if !r.AcceptsAnswers(now) {
		return 0, Errorf(EINVALID, "%s is not open, so no links can be sent.", r.Title)
	}
	return s.emailBatches(ctx, roundID, mail.KindInvitation, tokens, func(tx *gorm.DB) *gorm.DB {
		return tx.Raw(claimUnsent, now, roundID, true, invitationBatch)
	})
}

package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/mail"
	"accord/survey/secrets"
)

// claimUnsent marks a batch of a round's not-yet-emailed invitations of
// active people as sent and returns them, so that each is emailed once
// even when two processes run at the same time; emailBatches emails only
// those not answered.
const claimUnsent = `UPDATE invitations SET sent_at = ?
WHERE id IN (
	SELECT i.id FROM invitations i JOIN people p ON p.id = i.person_id
	WHERE i.round_id = ? AND i.sent_at IS NULL AND p.active = ?
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
		return 0, apperr.Errorf(apperr.EINVALID, "%s is not open, so no links can be sent.", r.Title)
	}
	return s.emailBatches(ctx, roundID, mail.KindInvitation, tokens, func(tx *gorm.DB) *gorm.DB {
		return tx.Raw(claimUnsent, now, roundID, true, invitationBatch)
	})
}

// FreshLinks returns personal links to up to n invitations of an open
// round that have not been answered, each a new token stored like a
// reminder's (only its hash). It is for `accord serve --demo`, which
// prints a few to try the survey with: links are never stored or shown
// anywhere else (the development outbox withholds them), so this is how
// an operator gets one.
func (s *Scheduler) FreshLinks(ctx context.Context, roundID int64, n int, now time.Time) ([]string, error) {
	var r Round
	if err := s.DB.WithContext(ctx).Take(&r, roundID).Error; err != nil {
		return nil, fmt.Errorf("fresh links: %w", err)
	} else if !r.AcceptsAnswers(now.UTC()) {
		return nil, apperr.Errorf(apperr.EINVALID, "%s is not open, so its links would not work.", r.Title)
	}
	answered, err := Answered(ctx, s.DB, roundID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&Invitation{}).Where("round_id = ?", roundID).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("fresh links: %w", err)
	}
	var links []string
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, id := range ids {
			if _, ok := answered[id]; ok || len(links) == n {
				continue
			}
			token := secrets.NewToken()
			if err := tx.Create(&InvitationToken{InvitationID: id, TokenHash: secrets.HashToken(token)}).Error; err != nil {
				return err
			}
			links = append(links, s.link(token))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fresh links: %w", err)
	}
	return links, nil
}

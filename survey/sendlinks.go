package survey

import (
	"context"
	"fmt"
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
	now = now.UTC()
	r, err := findRound(ctx, s.DB, orgID, roundID)
	if err != nil {
		return 0, err
	} else if !r.AcceptsAnswers(now) {
		return 0, Errorf(EINVALID, "%s is not open, so no links can be sent.", r.Title)
	}
	sent := 0
	for {
		var claimed []struct{ ID, PersonID int64 }
		err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Raw(claimUnsent, now, roundID, true, invitationBatch).Scan(&claimed).Error; err != nil {
				return fmt.Errorf("claim unsent invitations: %w", err)
			}
			if len(claimed) == 0 {
				return nil
			}
			rc, err := loadRoundContext(tx, roundID)
			if err != nil {
				return err
			}
			ids := make([]int64, len(claimed))
			for i, c := range claimed {
				ids[i] = c.PersonID
			}
			var people []Person
			if err := tx.Where("id IN ?", ids).Find(&people).Error; err != nil {
				return fmt.Errorf("load people: %w", err)
			}
			byID := make(map[int64]*Person, len(people))
			for i := range people {
				byID[people[i].ID] = &people[i]
			}
			msgs := make([]*mail.Message, 0, len(claimed))
			for _, c := range claimed {
				m, err := s.newLink(tx, rc, byID[c.PersonID], c.ID, mail.KindInvitation)
				if err != nil {
					return err
				}
				msgs = append(msgs, m)
			}
			return s.Mail.Enqueue(ctx, tx, msgs...)
		})
		if err != nil {
			return sent, err
		}
		sent += len(claimed)
		if len(claimed) < invitationBatch {
			return sent, nil
		}
	}
}

package survey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// InvitationToken is a further link to an invitation, sent with a
// reminder. Only hashes are stored, so a reminder cannot repeat the first
// link; it carries a new one that finds the same invitation. (The first
// token's hash stays on the invitation itself.)
type InvitationToken struct {
	ID           int64  `gorm:"primaryKey"`
	InvitationID int64  `gorm:"not null;index"`
	TokenHash    []byte `gorm:"size:32;not null;uniqueIndex"`
	CreatedAt    time.Time
}

// remindDue sends the due reminders of every open round that has
// reminders: a schedule's, or one started by hand with reminder days.
func (s *Scheduler) remindDue(ctx context.Context, now time.Time) error {
	db := s.DB.WithContext(ctx)
	var rounds []Round
	err := db.Where("status = ? AND closes_at > ? AND (schedule_id IS NOT NULL OR reminder_days IS NOT NULL)", RoundOpen, now).
		Find(&rounds).Error
	if err != nil {
		return fmt.Errorf("find rounds to remind: %w", err)
	}
	var errs []error
	for i := range rounds {
		r := &rounds[i]
		var zone string
		if r.ScheduleID == nil {
			if err := db.Model(&Organisation{}).Where("id = ?", r.OrgID).Select("time_zone").Scan(&zone).Error; err != nil {
				errs = append(errs, fmt.Errorf("remind round %d: %w", r.ID, err))
				continue
			}
		}
		sc, err := roundSchedule(db, r, zone)
		if err != nil {
			errs = append(errs, fmt.Errorf("remind round %d: %w", r.ID, err))
			continue
		}
		times, err := sc.ReminderTimes(r.OpensAt)
		if err != nil {
			errs = append(errs, fmt.Errorf("remind round %d: %w", r.ID, err))
			continue
		}
		if k := RemindersDue(times, r.ClosesAt, now); k > 0 {
			if err := s.remind(ctx, r.ID, k, now); err != nil {
				errs = append(errs, fmt.Errorf("remind round %d: %w", r.ID, err))
			}
		}
	}
	return errors.Join(errs...)
}

// claimReminders raises reminders_sent to k for up to one batch of a
// round's invitations of people still active that have not been processed
// for reminder k, answered or not: nothing on an invitation says whether
// it was answered (see Answered), and raising the count for everyone keeps
// it from saying so either. The conditions are repeated outside the
// subquery so that PostgreSQL re-checks them on rows another replica has
// just claimed; each invitation is therefore returned to exactly one
// caller. %s is where PostgreSQL skips rows another replica is claiming,
// so replicas share the work instead of waiting for (or deadlocking on)
// each other's rows; SQLite has one writer at a time and needs nothing.
const claimReminders = `UPDATE invitations SET reminders_sent = ?
WHERE id IN (
	SELECT i.id FROM invitations i JOIN people p ON p.id = i.person_id
	WHERE i.round_id = ? AND i.reminders_sent < ? AND p.active = ?
	ORDER BY i.id LIMIT ?%s)
AND reminders_sent < ?
RETURNING id, person_id`

func claimRemindersSQL(tx *gorm.DB) string {
	if tx.Dialector.Name() == "postgres" {
		return fmt.Sprintf(claimReminders, " FOR UPDATE OF i SKIP LOCKED")
	}
	return fmt.Sprintf(claimReminders, "")
}

// remind sends reminder k of a round to those who have not answered, batch
// by batch. Each batch's claim, new links and emails commit together.
func (s *Scheduler) remind(ctx context.Context, roundID int64, k int, now time.Time) error {
	sent, err := s.emailBatches(ctx, roundID, mail.KindReminder, nil, func(tx *gorm.DB) *gorm.DB {
		return tx.Raw(claimRemindersSQL(tx), k, roundID, k, true, invitationBatch, k)
	})
	if sent > 0 {
		s.Log.Info("reminders sent", "round", roundID, "reminder", k, "people", sent)
	}
	return err
}

// emailBatches claims a round's invitations batch by batch with claim (a
// query returning id and person_id of at most invitationBatch rows it has
// marked) and emails each claimed person who has not answered a fresh link
// of kind, or the raw token of their invitation when known holds it (by
// person ID). A claimed invitation that was answered gets an unused link
// stored just the same (see storeBatchLinks). Who has answered is read once, before the first batch, from the
// response keys (see Answered): someone answering meanwhile may still get
// the email, whose link then shows their answers. A batch's claim, links
// and emails commit together, so a crash repeats nothing and skips
// nothing. It returns how many people were emailed.
func (s *Scheduler) emailBatches(ctx context.Context, roundID int64, kind string, known map[int64]string, claim func(tx *gorm.DB) *gorm.DB) (int, error) {
	answered, err := Answered(ctx, s.DB, roundID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for {
		var claimed, toEmail []claimedInvitation
		err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := claim(tx).Scan(&claimed).Error; err != nil {
				return fmt.Errorf("claim invitations to email: %w", err)
			}
			for _, c := range claimed {
				if _, ok := answered[c.ID]; !ok {
					toEmail = append(toEmail, c)
				}
			}
			tokens, err := storeBatchLinks(tx, claimed, answered, known)
			if err != nil || len(toEmail) == 0 {
				return err
			}
			rc, err := loadRoundContext(tx, roundID)
			if err != nil {
				return err
			}
			if kind == mail.KindInvitation { // links sent again say what the first invitation said
				if rc.actions, err = actionsTaken(tx, rc.org.ID); err != nil {
					return err
				}
			}
			personIDs := make([]int64, len(toEmail))
			for i, c := range toEmail {
				personIDs[i] = c.PersonID
			}
			var people []roster.Person
			if err := tx.Where("id IN ?", personIDs).Find(&people).Error; err != nil {
				return fmt.Errorf("load people: %w", err)
			}
			byID := make(map[int64]*roster.Person, len(people))
			for i := range people {
				byID[people[i].ID] = &people[i]
			}
			msgs := make([]*mail.Message, 0, len(toEmail))
			for _, c := range toEmail {
				p := byID[c.PersonID]
				if p == nil {
					return fmt.Errorf("invitation %d: person not found", c.ID)
				}
				m, err := s.message(rc, p, c.ID, kind, tokens[c.ID])
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
		sent += len(toEmail)
		if len(claimed) < invitationBatch {
			return sent, nil
		}
	}
}

// claimedInvitation is a row returned by an emailBatches claim.
type claimedInvitation struct{ ID, PersonID int64 }

// storeBatchLinks returns the raw token each claimed invitation that was
// not answered is emailed with (by invitation ID): its own from known (by
// person ID), or a new one whose hash it stores. A claimed invitation that
// was answered gets a new link stored just the same, in claim order, and
// its token is thrown away: otherwise invitation_tokens would list exactly
// who had not answered by each reminder, which with the responses' day and
// attributes could link a response to its person. Nobody can use those.
func storeBatchLinks(tx *gorm.DB, claimed []claimedInvitation, answered map[int64]int64, known map[int64]string) (map[int64]string, error) {
	tokens := make(map[int64]string, len(claimed))
	var rows []InvitationToken
	for _, c := range claimed {
		if token, ok := known[c.PersonID]; ok {
			tokens[c.ID] = token
			continue
		}
		token := secrets.NewToken()
		rows = append(rows, InvitationToken{InvitationID: c.ID, TokenHash: secrets.HashToken(token)})
		if _, ok := answered[c.ID]; !ok {
			tokens[c.ID] = token
		}
	}
	if len(rows) == 0 {
		return tokens, nil
	}
	n, err := database.BatchOf(tx, &InvitationToken{})
	if err != nil {
		return nil, err
	}
	if err := tx.CreateInBatches(rows, n).Error; err != nil {
		return nil, fmt.Errorf("store links: %w", err)
	}
	return tokens, nil
}

// newLink stores a fresh token for an invitation and returns the email of
// the given kind carrying it.
func (s *Scheduler) newLink(tx *gorm.DB, rc *roundContext, p *roster.Person, invitationID int64, kind string) (*mail.Message, error) {
	if p == nil {
		return nil, fmt.Errorf("invitation %d: person not found", invitationID)
	}
	token := secrets.NewToken()
	if err := tx.Create(&InvitationToken{InvitationID: invitationID, TokenHash: secrets.HashToken(token)}).Error; err != nil {
		return nil, fmt.Errorf("store reminder link: %w", err)
	}
	return s.message(rc, p, invitationID, kind, token)
}

// Resend emails one invited person of an open round a reminder with a new
// link, at an administrator's request (a lost or deleted email). It does
// not count as one of the schedule's reminders. It does the same whether
// or not the person has answered (their new link shows and changes their
// answers), so that it tells staff nothing about who answered.
func (s *Scheduler) Resend(ctx context.Context, orgID, roundID int64, email string, now time.Time) (*roster.Person, error) {
	email, err := account.NormaliseEmail(email)
	if err != nil {
		return nil, err
	}
	r, err := findRound(ctx, s.DB, orgID, roundID)
	if err != nil {
		return nil, err
	} else if !r.AcceptsAnswers(now.UTC()) {
		return nil, apperr.Errorf(apperr.EINVALID, "%s is not open, so there is nothing to resend.", r.Title)
	}
	var p roster.Person
	var inv Invitation
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("org_id = ? AND email = ?", orgID, email).Take(&p).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.EINVALID, "Nobody on the roster has the address %s.", email)
		} else if err != nil {
			return err
		}
		if err := tx.Where("round_id = ? AND person_id = ?", roundID, p.ID).Take(&inv).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.Errorf(apperr.EINVALID, "%s was not invited to %s.", email, r.Title)
		} else if err != nil {
			return err
		}
		if !p.Active {
			return apperr.Errorf(apperr.EINVALID, "%s has been deactivated and gets no more email.", email)
		}
		rc, err := loadRoundContext(tx, roundID)
		if err != nil {
			return err
		}
		m, err := s.newLink(tx, rc, &p, inv.ID, mail.KindReminder)
		if err != nil {
			return err
		}
		if err := auditRound(ctx, tx, audit.AuditRoundResend, roundID, "new link to "+email); err != nil {
			return err
		}
		return s.Mail.Enqueue(ctx, tx, m)
	})
	if apperr.ErrorCode(err) == apperr.EINVALID {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("resend: %w", err)
	}
	return &p, nil
}

package survey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database"
	"accord/survey/mail"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// Scheduler runs rounds by themselves: it plans one round per period of
// every active schedule, opens it on time with its invitation emails,
// reminds people who have not answered and closes it at the deadline.
//
// Every transition is a conditional UPDATE whose RowsAffected decides which
// caller does the follow-up work, in the same transaction: several
// replicas may call Tick at once and each step still happens once, and a
// crash at any point rolls back to a state the next Tick resumes from.
type Scheduler struct {
	DB      *gorm.DB
	Mail    mail.Enqueuer
	BaseURL *url.URL // public root; personal links are BaseURL/s/TOKEN
	Log     *slog.Logger
	// OnClose runs once per round inside the transaction that closes it
	// (analytics computes rollups here); an error rolls the close back so
	// the next Tick tries again.
	OnClose func(ctx context.Context, tx *gorm.DB, r *Round) error
	// Notify writes the invitation and reminder emails (survey/notify).
	Notify Notifier
}

// NewScheduler returns a scheduler writing the emails n renders through
// enq.
func NewScheduler(db *gorm.DB, enq mail.Enqueuer, n Notifier, baseURL *url.URL, log *slog.Logger) (*Scheduler, error) {
	if log == nil {
		log = slog.Default()
	}
	if enq == nil {
		return nil, errors.New("scheduler: an outbox is needed to send invitations")
	}
	if baseURL == nil || baseURL.Host == "" {
		return nil, errors.New("scheduler: a public base URL is needed for the links in emails")
	}
	if n == nil {
		return nil, errors.New("scheduler: a notifier is needed to write invitations")
	}
	return &Scheduler{DB: db, Mail: enq, Notify: n, BaseURL: baseURL, Log: log}, nil
}

// Tick does whatever is due at now: close rounds past their deadline, plan
// rounds for current and next periods, open rounds whose time has come and
// send due reminders. A failing round or schedule does not stop the others;
// their errors are returned together.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	now = now.UTC()
	return errors.Join(s.closeDue(ctx, now), s.planDue(ctx, now), s.openDue(ctx, now), s.remindDue(ctx, now))
}

// closeDue closes open rounds at their deadline. A planned round whose
// whole window passed while no scheduler ran closes without invitations:
// inviting people to a survey that has already ended would only confuse.
func (s *Scheduler) closeDue(ctx context.Context, now time.Time) error {
	var ids []int64
	err := s.DB.WithContext(ctx).Model(&Round{}).
		Where("status IN ? AND closes_at <= ?", []string{RoundScheduled, RoundOpen}, now).
		Order("closes_at").Pluck("id", &ids).Error
	if err != nil {
		return fmt.Errorf("find rounds to close: %w", err)
	}
	var errs []error
	for _, id := range ids {
		if _, err := s.close(ctx, id, now, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CloseNow closes an open round of org before its deadline. It reports
// false when the round was not open (closed already, perhaps by another
// replica a moment ago).
func (s *Scheduler) CloseNow(ctx context.Context, orgID, roundID int64, now time.Time) (bool, error) {
	if _, err := findRound(ctx, s.DB, orgID, roundID); err != nil {
		return false, err
	}
	return s.close(ctx, roundID, now.UTC(), true)
}

// close moves a round to closed and runs OnClose in the same transaction.
// early closes an open round before its deadline, which moves the deadline
// to now so that nobody can answer after the close.
func (s *Scheduler) close(ctx context.Context, id int64, now time.Time, early bool) (bool, error) {
	closed := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Round{}).Where("id = ?", id)
		if early {
			q = q.Where("status = ?", RoundOpen)
		} else {
			q = q.Where("status IN ? AND closes_at <= ?", []string{RoundScheduled, RoundOpen}, now)
		}
		res := q.Updates(map[string]any{"status": RoundClosed, "closed_at": now,
			"closes_at": gorm.Expr("CASE WHEN closes_at > ? THEN ? ELSE closes_at END", now, now)})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		closed = true
		if cancelled, err := mail.CancelForRound(ctx, tx, id); err != nil {
			return err
		} else if cancelled > 0 {
			s.Log.Info("round closed before all its emails went out; the rest are cancelled", "round", id, "cancelled", cancelled)
		}
		if early {
			if err := auditRound(ctx, tx, audit.AuditRoundClose, id, ""); err != nil {
				return err
			}
		}
		var r Round
		if err := tx.Take(&r, id).Error; err != nil {
			return err
		}
		if s.OnClose != nil {
			if err := s.OnClose(ctx, tx, &r); err != nil {
				return fmt.Errorf("on close: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("close round %d: %w", id, err)
	}
	if closed {
		s.Log.Info("round closed", "round", id, "early", early)
	}
	return closed, nil
}

// planDue creates the rounds of every active schedule's current and next
// periods. The unique (schedule_id, period_start) index with ON CONFLICT DO
// NOTHING makes this safe to run anywhere, any number of times. The
// schedules of archived organisations pause until they are restored.
func (s *Scheduler) planDue(ctx context.Context, now time.Time) error {
	var schedules []Schedule
	if err := s.DB.WithContext(ctx).Where("active = ?", true).
		Where("org_id NOT IN (?)", s.DB.Model(&Organisation{}).Select("id").Where("archived_at IS NOT NULL")).Find(&schedules).Error; err != nil {
		return fmt.Errorf("list schedules: %w", err)
	}
	var errs []error
	for i := range schedules {
		if err := s.plan(ctx, &schedules[i], now); err != nil {
			errs = append(errs, fmt.Errorf("plan schedule %d: %w", schedules[i].ID, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Scheduler) plan(ctx context.Context, sc *Schedule, now time.Time) error {
	periods, err := sc.PeriodsAround(now)
	if err != nil {
		return err
	}
	db := s.DB.WithContext(ctx)
	instrumentID, err := CurrentInstrumentID(ctx, db, sc.OrgID)
	if err != nil {
		return err
	}
	for _, p := range periods {
		if p.OpensAt.Before(sc.UpdatedAt) {
			// The period began before the schedule was (re)written. Start
			// it late only if no earlier round of this schedule was still
			// running then; otherwise editing a schedule would fire an
			// extra round at once.
			var n int64
			err := db.Model(&Round{}).Where("schedule_id = ? AND period_start <> ? AND status <> ? AND opens_at < ? AND closes_at > ?",
				sc.ID, p.Start, RoundScheduled, p.OpensAt, p.OpensAt).Count(&n).Error
			if err != nil {
				return err
			} else if n > 0 {
				continue
			}
		}
		id := sc.ID
		r := Round{OrgID: sc.OrgID, InstrumentID: instrumentID, Title: sc.RoundTitle(p),
			Status: RoundScheduled, OpensAt: p.OpensAt, ClosesAt: p.ClosesAt, ScheduleID: &id, PeriodStart: p.Start}
		err := db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "schedule_id"}, {Name: "period_start"}},
			DoNothing: true,
		}).Create(&r).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// openDue opens the planned rounds whose opening time has come.
func (s *Scheduler) openDue(ctx context.Context, now time.Time) error {
	var ids []int64
	err := s.DB.WithContext(ctx).Model(&Round{}).
		Where("status = ? AND opens_at <= ? AND closes_at > ?", RoundScheduled, now, now).
		Order("opens_at").Pluck("id", &ids).Error
	if err != nil {
		return fmt.Errorf("find rounds to open: %w", err)
	}
	var errs []error
	for _, id := range ids {
		if _, err := s.open(ctx, id, now, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// OpenNow opens a planned round of org at once, before its time. It
// reports false when the round was no longer planned.
func (s *Scheduler) OpenNow(ctx context.Context, orgID, roundID int64, now time.Time) (bool, error) {
	r, err := findRound(ctx, s.DB, orgID, roundID)
	if err != nil {
		return false, err
	}
	if r.Status == RoundScheduled && !r.ClosesAt.After(now) {
		return false, apperr.Errorf(apperr.EINVALID, "%s cannot open: its deadline has passed.", r.Title)
	}
	return s.open(ctx, roundID, now.UTC(), true)
}

// open moves a planned round to open and, in the same transaction, invites
// its audience and writes their invitation emails into the outbox.
func (s *Scheduler) open(ctx context.Context, id int64, now time.Time, early bool) (bool, error) {
	invited := 0
	opened := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Round{}).Where("id = ? AND status = ? AND closes_at > ?", id, RoundScheduled, now)
		if !early {
			q = q.Where("opens_at <= ?", now)
		}
		res := q.Updates(map[string]any{"status": RoundOpen, "open_problem": "",
			"opens_at": gorm.Expr("CASE WHEN opens_at > ? THEN ? ELSE opens_at END", now, now)})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		opened = true
		var err error
		if invited, err = s.invite(ctx, tx, id, now); err != nil || !early {
			return err
		}
		return auditRound(ctx, tx, audit.AuditRoundOpen, id, fmt.Sprintf("%d invited", invited))
	})
	if err != nil {
		var missing *MissingTranslationsError
		if errors.As(err, &missing) {
			s.recordOpenProblem(ctx, id, missing.Error())
		}
		return false, fmt.Errorf("open round %d: %w", id, err)
	}
	if opened {
		s.Log.Info("round opened", "round", id, "invited", invited, "early", early)
	}
	return opened, nil
}

// recordOpenProblem keeps why a planned round could not open, for the
// rounds page to say until it opens (a log line alone goes unseen). It is
// written outside the failed transaction, which rolled back.
func (s *Scheduler) recordOpenProblem(ctx context.Context, id int64, problem string) {
	err := s.DB.WithContext(ctx).Model(&Round{}).Where("id = ? AND status = ?", id, RoundScheduled).
		Update("open_problem", problem).Error
	if err != nil {
		s.Log.Error("record why a round could not open", "round", id, "err", err)
	}
}

// invite creates the invitations of a round that has just opened, with the
// attributes people have now, and enqueues one email per invitation.
// SentAt records when the email was handed to the outbox.
func (s *Scheduler) invite(ctx context.Context, tx *gorm.DB, roundID int64, now time.Time) (int, error) {
	rc, err := loadRoundContext(tx, roundID)
	if err != nil {
		return 0, err
	}
	if rc.actions, err = actionsTaken(tx, rc.org.ID); err != nil {
		return 0, err
	}
	// The round asks the questionnaire as it is now, and keeps that
	// version however the question bank changes while it runs.
	instrumentID, err := CurrentInstrumentID(ctx, tx, rc.org.ID)
	if err != nil {
		return 0, err
	}
	if err := tx.Model(&Round{}).Where("id = ?", roundID).Update("instrument_id", instrumentID).Error; err != nil {
		return 0, fmt.Errorf("fix the round's questionnaire: %w", err)
	}
	var people []roster.Person
	if err := rc.schedule.Audience(tx).Order("id").Find(&people).Error; err != nil {
		return 0, fmt.Errorf("load audience: %w", err)
	}
	if err := checkRoundLanguages(tx, &rc.org, instrumentID, people); err != nil {
		return 0, err
	}
	per, err := database.BatchOf(tx, &Invitation{})
	if err != nil {
		return 0, err
	}
	for start := 0; start < len(people); start += invitationBatch {
		batch := people[start:min(start+invitationBatch, len(people))]
		invs := make([]Invitation, len(batch))
		tokens := make([]string, len(batch))
		for i, p := range batch {
			tokens[i] = secrets.NewToken()
			invs[i] = Invitation{RoundID: roundID, PersonID: p.ID, TokenHash: secrets.HashToken(tokens[i]),
				Function: p.Function, Team: p.Team, Region: p.Region, TenureBand: p.TenureBand,
				Language: PersonLanguage(&batch[i], &rc.org), SentAt: &now}
		}
		if err := tx.CreateInBatches(&invs, per).Error; err != nil {
			return 0, fmt.Errorf("create invitations: %w", err)
		}
		msgs := make([]*mail.Message, len(batch))
		for i := range batch {
			msgs[i], err = s.message(rc, &batch[i], invs[i].ID, mail.KindInvitation, tokens[i])
			if err != nil {
				return 0, err
			}
		}
		if err := s.Mail.Enqueue(ctx, tx, msgs...); err != nil {
			return 0, fmt.Errorf("enqueue invitations: %w", err)
		}
	}
	if cn, ok := s.Notify.(ChatNotifier); ok && len(people) > 0 {
		ev := ChatEvent{Kind: ChatRoundOpened, Org: &rc.org, RoundTitle: rc.round.Title,
			Deadline: FormatInZone(rc.round.ClosesAt, rc.schedule.TimeZone)}
		if err := PostChat(ctx, tx, s.Mail, cn, ev); err != nil {
			return 0, fmt.Errorf("post round opened: %w", err)
		}
	}
	return len(people), nil
}

// roundContext is what emails about a round need to say.
type roundContext struct {
	round    Round
	org      Organisation
	schedule *Schedule     // for rounds made by hand, a stand-in (roundSchedule)
	actions  []ActionTaken // what invitations mention; loaded for them only
}

func loadRoundContext(tx *gorm.DB, roundID int64) (*roundContext, error) {
	rc := &roundContext{}
	if err := tx.Take(&rc.round, roundID).Error; err != nil {
		return nil, fmt.Errorf("load round: %w", err)
	}
	if err := tx.Take(&rc.org, rc.round.OrgID).Error; err != nil {
		return nil, fmt.Errorf("load organisation: %w", err)
	}
	var err error
	if rc.schedule, err = roundSchedule(tx, &rc.round, rc.org.TimeZone); err != nil {
		return nil, err
	}
	return rc, nil
}

// roundSchedule returns the schedule whose audience, reminders and zone a
// round follows: its own schedule's, or for a round started by hand a
// stand-in made of the round's audience and reminder days, in the
// organisation's zone (orgZone; UTC when empty).
func roundSchedule(tx *gorm.DB, r *Round, orgZone string) (*Schedule, error) {
	if r.ScheduleID == nil {
		if orgZone == "" {
			orgZone = "UTC"
		}
		return &Schedule{OrgID: r.OrgID, TimeZone: orgZone, Functions: r.Functions, Teams: r.Teams, ReminderDays: r.ReminderDays}, nil
	}
	var sc Schedule
	if err := tx.Take(&sc, *r.ScheduleID).Error; err != nil {
		return nil, fmt.Errorf("load schedule: %w", err)
	}
	return &sc, nil
}

// findRound returns a round of org; ENOTFOUND for another organisation's.
func findRound(ctx context.Context, db *gorm.DB, orgID, roundID int64) (*Round, error) {
	var r Round
	err := db.WithContext(ctx).Where("org_id = ? AND id = ?", orgID, roundID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such round.")
	} else if err != nil {
		return nil, fmt.Errorf("load round: %w", err)
	}
	return &r, nil
}

// link is the personal survey address for a token.
func (s *Scheduler) link(token string) string {
	return strings.TrimSuffix(s.BaseURL.String(), "/") + "/s/" + token
}

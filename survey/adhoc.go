package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/roster"
)

// Rounds started by hand ("Start a round now", `accord round open`): no
// schedule, an audience and reminders of their own, then the same
// invitation, reminder and close machinery as a schedule's rounds.

// Limits of a round started by hand.
const (
	DefaultAdHocDays = 7
	MinAdHocOpen     = time.Hour
	MaxAdHocOpen     = MaxWindowDays * 24 * time.Hour
	maxTitle         = 200
)

// AdHocRound is what a round started by hand needs: a title, how long it
// stays open and whom it invites (empty lists: everyone active), with
// reminders on whole days after it opens.
type AdHocRound struct {
	Title        string
	ClosesIn     time.Duration
	Functions    []string
	Teams        []string
	ReminderDays []int
}

// AdHocForm is an AdHocRound as typed into the form. WindowDays and
// ReminderDays read as a schedule's do.
type AdHocForm struct {
	Title, WindowDays, ReminderDays string
	Functions, Teams                []string
}

// Parse checks the form. The returned FieldErrors, keyed by form field
// name, say what to correct; the round is only complete when there are none.
func (f AdHocForm) Parse() (AdHocRound, apperr.FieldErrors) {
	var s Schedule
	errs := apperr.FieldErrors{}
	ScheduleForm{WindowDays: f.WindowDays, ReminderDays: f.ReminderDays}.parseWindow(&s, errs)
	r := AdHocRound{Title: strings.TrimSpace(f.Title), ClosesIn: time.Duration(s.WindowDays) * 24 * time.Hour,
		Functions: cleanList(f.Functions), Teams: cleanList(f.Teams), ReminderDays: s.ReminderDays}
	if err := r.checkTitle(); err != nil {
		errs["title"] = apperr.ErrorMessage(err)
	}
	if err := r.checkFunctions(); err != nil {
		errs["functions"] = apperr.ErrorMessage(err)
	}
	return r, errs
}

// DefaultTitle names a round started by hand on now's date.
func DefaultTitle(now time.Time) string { return "Pulse of " + now.UTC().Format("2 January 2006") }

// Check reports the first problem of r in words for its user, EINVALID.
func (r *AdHocRound) Check() error {
	if err := errors.Join(r.checkTitle(), r.checkFunctions()); err != nil {
		return err
	}
	switch {
	case r.ClosesIn < MinAdHocOpen:
		return apperr.Errorf(apperr.EINVALID, "A round must stay open for at least an hour; %s is too short.", r.ClosesIn)
	case r.ClosesIn > MaxAdHocOpen:
		return apperr.Errorf(apperr.EINVALID, "A round may stay open for at most %d days.", MaxWindowDays)
	}
	for _, d := range r.ReminderDays {
		if d < 1 || time.Duration(d)*24*time.Hour >= r.ClosesIn {
			return apperr.Errorf(apperr.EINVALID, "A reminder on day %d would not come before the round closes.", d)
		}
	}
	return nil
}

func (r *AdHocRound) checkTitle() error {
	switch {
	case r.Title == "":
		return apperr.Errorf(apperr.EINVALID, "Give the round a title, like %q.", DefaultTitle(time.Now()))
	case len([]rune(r.Title)) > maxTitle:
		return apperr.Errorf(apperr.EINVALID, "Please shorten the title to %d characters or fewer.", maxTitle)
	case strings.ContainsFunc(r.Title, unicode.IsControl):
		return apperr.Errorf(apperr.EINVALID, "The title contains an invisible control character (a line break or tab, say); type it on one line.")
	}
	return nil
}

func (r *AdHocRound) checkFunctions() error {
	for _, fn := range r.Functions {
		if !roster.ValidFunction(fn) {
			return apperr.Errorf(apperr.EINVALID, "%q is not a function; choose from %s.", fn, strings.Join(roster.Functions, ", "))
		}
	}
	return nil
}

// audience is the stand-in schedule that selects r's people (roundSchedule
// builds the same one from the stored round).
func (r *AdHocRound) audience(orgID int64) *Schedule {
	return &Schedule{OrgID: orgID, Functions: r.Functions, Teams: r.Teams}
}

// RoundPreview says what starting a round would do: how many people it
// invites, per function, and the problem that stops it, if any.
type RoundPreview struct {
	Invited    int
	ByFunction []FunctionCount
	Problem    error // EINVALID: why the round cannot start now
}

// FunctionCount is how many people of one function a round would invite.
type FunctionCount struct {
	Function string
	People   int
}

// PreviewRound counts the people a round started now would invite and
// checks what StartRound checks, without writing anything.
func PreviewRound(ctx context.Context, db *gorm.DB, org *Organisation, spec AdHocRound, now time.Time) (*RoundPreview, error) {
	p := &RoundPreview{Problem: spec.Check()}
	if p.Problem != nil {
		return p, nil
	}
	tx := db.WithContext(ctx)
	err := spec.audience(org.ID).Audience(tx).Select("function, COUNT(*) AS people").Group("function").Scan(&p.ByFunction).Error
	if err != nil {
		return nil, fmt.Errorf("count audience: %w", err)
	}
	slices.SortFunc(p.ByFunction, func(a, b FunctionCount) int {
		return slices.Index(roster.Functions, a.Function) - slices.Index(roster.Functions, b.Function)
	})
	for _, c := range p.ByFunction {
		p.Invited += c.People
	}
	if err := startProblem(tx, org, &spec, p.Invited, now); apperr.ErrorCode(err) == apperr.EINVALID {
		p.Problem = err
	} else if err != nil {
		return nil, err
	}
	if p.Problem == nil {
		// The questions must read in every language of the audience.
		if err := previewLanguages(tx, org, &spec); apperr.ErrorCode(err) == apperr.EINVALID {
			p.Problem = err
		} else if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// startProblem returns why a round cannot start now for invited people:
// the organisation archived, none to invite, a round still open, or a planned round that would open
// before this one closes (people would get two surveys at once), each an
// EINVALID error; any other error is internal.
func startProblem(tx *gorm.DB, org *Organisation, spec *AdHocRound, invited int, now time.Time) error {
	if org.ArchivedAt != nil {
		return apperr.Errorf(apperr.EINVALID, "%s is archived: restore it before starting a round.", org.Name)
	}
	if invited == 0 {
		what := "Nobody active on the roster"
		if len(spec.Functions) > 0 || len(spec.Teams) > 0 {
			what = "Nobody active on the roster is in the chosen functions and teams"
		}
		return apperr.Errorf(apperr.EINVALID, "%s, so there is nobody to invite. Add people or choose another audience.", what)
	}
	var open Round
	err := tx.Where("org_id = ? AND status = ?", org.ID, RoundOpen).Order("opens_at").Take(&open).Error
	if err == nil {
		return apperr.Errorf(apperr.EINVALID, "%q is still open until %s. Close it first, or wait until it closes: one round at a time keeps every answer in one place.",
			open.Title, FormatInZone(open.ClosesAt, org.TimeZone))
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("find open rounds: %w", err)
	}
	closesAt := now.Add(spec.ClosesIn)
	var next Round
	err = tx.Where("org_id = ? AND status = ? AND opens_at < ? AND closes_at > ?", org.ID, RoundScheduled, closesAt, now).
		Order("opens_at").Take(&next).Error
	if err == nil {
		return apperr.Errorf(apperr.EINVALID, "The planned round %q opens on %s, before this one would close. Keep this round open for less time, or open the planned round now instead.",
			next.Title, FormatInZone(next.OpensAt, org.TimeZone))
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("find planned rounds: %w", err)
	}
	return nil
}

// StartRound opens a round for org now and, in the same transaction,
// invites its audience and writes their invitation emails into the outbox;
// reminders and the close follow from the scheduler's Tick like a
// schedule's rounds. It is refused (EINVALID) when nobody would be invited,
// another round is open, or a planned round would open before this one
// closes. Starts for one organisation are serialised by a lock on its row,
// so two at once cannot both pass the check.
func (s *Scheduler) StartRound(ctx context.Context, org *Organisation, spec AdHocRound, now time.Time) (*Round, int, error) {
	if err := spec.Check(); err != nil {
		return nil, 0, err
	}
	now = now.UTC()
	var r *Round
	invited := 0
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE organisations SET id = id WHERE id = ?", org.ID).Error; err != nil {
			return fmt.Errorf("lock organisation: %w", err)
		}
		var n int64
		if err := spec.audience(org.ID).Audience(tx).Count(&n).Error; err != nil {
			return fmt.Errorf("count audience: %w", err)
		}
		if err := startProblem(tx, org, &spec, int(n), now); err != nil {
			return err
		}
		instrumentID, err := CurrentInstrumentID(ctx, tx, org.ID)
		if err != nil {
			return err
		}
		r = &Round{OrgID: org.ID, InstrumentID: instrumentID, Title: spec.Title, Status: RoundOpen,
			OpensAt: now, ClosesAt: now.Add(spec.ClosesIn), Functions: spec.Functions, Teams: spec.Teams, ReminderDays: spec.ReminderDays}
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		if invited, err = s.invite(ctx, tx, r.ID, now); err != nil {
			return err
		}
		return auditRound(ctx, tx, audit.AuditRoundOpen, r.ID, fmt.Sprintf("started by hand, %d invited", invited))
	})
	if apperr.ErrorCode(err) == apperr.EINVALID {
		return nil, 0, err
	} else if err != nil {
		return nil, 0, fmt.Errorf("start round: %w", err)
	}
	s.Log.Info("round started by hand", "round", r.ID, "org", org.Slug, "invited", invited)
	return r, invited, nil
}

// OpenRounds returns an organisation's open rounds, oldest first.
func OpenRounds(ctx context.Context, db *gorm.DB, orgID int64) ([]Round, error) {
	var rs []Round
	if err := db.WithContext(ctx).Where("org_id = ? AND status = ?", orgID, RoundOpen).Order("opens_at, id").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("list open rounds: %w", err)
	}
	return rs, nil
}

// RoundSummaryOf returns one round of org as its rounds page shows it;
// ENOTFOUND for another organisation's.
func RoundSummaryOf(ctx context.Context, db *gorm.DB, orgID, roundID int64) (*RoundSummary, error) {
	rs, err := RoundSummaries(ctx, db, orgID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i].ID == roundID {
			return &rs[i], nil
		}
	}
	return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such round.")
}

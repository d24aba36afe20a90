package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/roster"
	"accord/survey/textcheck"
)

// Limits of a schedule's settings.
const (
	MaxWindowDays  = 90
	MaxEveryWeeks  = 52
	MaxReminders   = 5
	defaultSchedNm = "Alignment pulse"
)

// Schedule runs rounds of an instrument for an organisation's audience on a
// fixed cadence. Times are kept as the people who set them think of them
// (a calendar date, a wall-clock time and a zone); Period turns them into
// UTC instants.
type Schedule struct {
	ID           int64     `gorm:"primaryKey"`
	OrgID        int64     `gorm:"not null;index"`
	Name         string    `gorm:"size:200;not null"`
	InstrumentID int64     `gorm:"not null"` // the questionnaire when last saved; each round takes the current one when it opens
	Cadence      string    `gorm:"size:16;not null"`
	EveryWeeks   int       `gorm:"not null;default:0"` // weekly cadence only
	StartDate    time.Time `gorm:"not null"`           // calendar date of the first period, at midnight UTC
	SendTime     string    `gorm:"size:5;not null"`    // HH:MM in TimeZone
	TimeZone     string    `gorm:"size:64;not null"`
	WindowDays   int       `gorm:"not null"`
	ReminderDays []int     `gorm:"serializer:json"` // days after opening, ascending
	Functions    []string  `gorm:"serializer:json"` // empty: every function
	Teams        []string  `gorm:"serializer:json"` // empty: every team
	Active       bool      `gorm:"not null;default:true"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ScheduleForm is a schedule as typed into the form, before it is checked.
type ScheduleForm struct {
	Name, Cadence, EveryWeeks, StartDate, SendTime, TimeZone, WindowDays, ReminderDays string
	Functions, Teams                                                                   []string
	Active                                                                             bool
}

// FormOf returns the form values that show s.
func FormOf(s *Schedule) ScheduleForm {
	days := make([]string, len(s.ReminderDays))
	for i, d := range s.ReminderDays {
		days[i] = strconv.Itoa(d)
	}
	f := ScheduleForm{Name: s.Name, Cadence: s.Cadence, StartDate: s.StartDate.UTC().Format(time.DateOnly),
		SendTime: s.SendTime, TimeZone: s.TimeZone, WindowDays: strconv.Itoa(s.WindowDays),
		ReminderDays: strings.Join(days, ", "), Functions: s.Functions, Teams: s.Teams, Active: s.Active}
	if s.Cadence == CadenceWeekly {
		f.EveryWeeks = strconv.Itoa(s.EveryWeeks)
	}
	return f
}

// Parse checks the form and fills s from it. The returned FieldErrors,
// keyed by form field name, say what to correct; s is only complete when
// there are none.
func (f ScheduleForm) Parse(s *Schedule) apperr.FieldErrors {
	errs := apperr.FieldErrors{}
	s.Name = strings.TrimSpace(f.Name)
	if s.Name == "" {
		s.Name = defaultSchedNm
	} else if len(s.Name) > 200 {
		errs["name"] = "Please shorten the name to 200 characters or fewer."
	} else if msg := textcheck.ControlMessage("The name", s.Name, false); msg != "" {
		errs["name"] = msg
	}
	s.Cadence, s.EveryWeeks = f.Cadence, 0
	switch f.Cadence {
	case CadenceMonthly, CadenceQuarterly:
	case CadenceWeekly:
		n, err := strconv.Atoi(strings.TrimSpace(f.EveryWeeks))
		if err != nil || n < 1 || n > MaxEveryWeeks {
			errs["every_weeks"] = fmt.Sprintf("Enter a whole number of weeks from 1 to %d.", MaxEveryWeeks)
		}
		s.EveryWeeks = n
	default:
		errs["cadence"] = "Choose how often rounds run: monthly, quarterly or every few weeks."
	}
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(f.StartDate)); err != nil {
		errs["start_date"] = "Enter the first day as a date like 2026-03-02."
	} else {
		s.StartDate = d
	}
	s.SendTime = strings.TrimSpace(f.SendTime)
	if _, _, err := ParseClock(s.SendTime); err != nil {
		errs["send_time"] = apperr.ErrorMessage(err)
	}
	s.TimeZone = strings.TrimSpace(f.TimeZone)
	if _, err := LoadZone(s.TimeZone); err != nil {
		errs["time_zone"] = apperr.ErrorMessage(err)
	}
	f.parseWindow(s, errs)
	s.Functions, s.Teams, s.Active = cleanList(f.Functions), cleanList(f.Teams), f.Active
	for _, team := range s.Teams {
		if msg := textcheck.ControlMessage("A team", team, false); msg != "" {
			errs["teams"] = msg
		}
	}
	for _, fn := range s.Functions {
		if !roster.ValidFunction(fn) {
			errs["functions"] = fmt.Sprintf("%q is not a function; choose from the list.", fn)
		}
	}
	return errs
}

// parseWindow reads the open window and the reminder offsets, which must
// fall inside it: a reminder on or after the deadline could not be answered.
func (f ScheduleForm) parseWindow(s *Schedule, errs apperr.FieldErrors) {
	w, err := strconv.Atoi(strings.TrimSpace(f.WindowDays))
	if err != nil || w < 1 || w > MaxWindowDays {
		errs["window_days"] = fmt.Sprintf("Keep rounds open for a whole number of days from 1 to %d.", MaxWindowDays)
	}
	s.WindowDays = w
	s.ReminderDays = nil
	for _, part := range strings.FieldsFunc(f.ReminderDays, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		d, err := strconv.Atoi(part)
		switch {
		case err != nil || d < 1:
			errs["reminder_days"] = fmt.Sprintf("%q is not a number of days: write whole days after opening, like 3, 5.", part)
			return
		case errs["window_days"] == "" && d >= w:
			errs["reminder_days"] = fmt.Sprintf("A reminder on day %d would come after the round closes on day %d; choose days from 1 to %d.", d, w, w-1)
			return
		}
		s.ReminderDays = append(s.ReminderDays, d)
	}
	slices.Sort(s.ReminderDays)
	s.ReminderDays = slices.Compact(s.ReminderDays)
	if len(s.ReminderDays) > MaxReminders {
		errs["reminder_days"] = fmt.Sprintf("Send at most %d reminders; more feel like pressure and lower trust in the survey.", MaxReminders)
	}
}

func cleanList(in []string) []string {
	var out []string
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// Describe says in words how often and when a schedule runs.
func (s *Schedule) Describe() string {
	var how string
	switch s.Cadence {
	case CadenceMonthly:
		how = "Monthly"
	case CadenceQuarterly:
		how = "Quarterly"
	case CadenceWeekly:
		how = "Every week"
		if s.EveryWeeks > 1 {
			how = fmt.Sprintf("Every %d weeks", s.EveryWeeks)
		}
	}
	return fmt.Sprintf("%s from %s at %s %s, open %d days", how, s.StartDate.UTC().Format("2 January 2006"), s.SendTime, s.TimeZone, s.WindowDays)
}

// RoundTitle names the round of period p: the schedule's name and the
// period's first day.
func (s *Schedule) RoundTitle(p Period) string {
	return s.Name + " – " + p.Start.Format("2 January 2006")
}

// ListSchedules returns an organisation's schedules, oldest first.
func ListSchedules(ctx context.Context, db *gorm.DB, orgID int64) ([]Schedule, error) {
	var ss []Schedule
	if err := db.WithContext(ctx).Where("org_id = ?", orgID).Order("id").Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	return ss, nil
}

// FindSchedule returns an organisation's schedule by ID; ENOTFOUND if it
// belongs to another organisation.
func FindSchedule(ctx context.Context, db *gorm.DB, orgID, id int64) (*Schedule, error) {
	var s Schedule
	err := db.WithContext(ctx).Where("org_id = ? AND id = ?", orgID, id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such schedule.")
	} else if err != nil {
		return nil, fmt.Errorf("load schedule: %w", err)
	}
	return &s, nil
}

// SaveSchedule creates or updates s (by its ID) for org. Rounds the old
// settings planned but that have not opened are removed in the same
// transaction, so the scheduler plans them afresh from the new settings;
// open and closed rounds keep the dates they ran with.
func SaveSchedule(ctx context.Context, db *gorm.DB, org *Organisation, s *Schedule, now time.Time) error {
	s.OrgID = org.ID
	id, err := CurrentInstrumentID(ctx, db, org.ID)
	if err != nil {
		return err
	}
	s.InstrumentID = id
	s.UpdatedAt = now.UTC()
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.ID == 0 {
			s.CreatedAt = now.UTC()
			if err := tx.Create(s).Error; err != nil {
				return fmt.Errorf("create schedule: %w", err)
			}
			return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditScheduleCreate, OrgID: &org.ID, Target: s.Name + ": " + s.Describe()})
		}
		res := tx.Model(&Schedule{}).Where("id = ? AND org_id = ?", s.ID, org.ID).Select("*").Omit("id", "org_id", "created_at").Updates(s)
		if res.Error != nil {
			return fmt.Errorf("update schedule: %w", res.Error)
		} else if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "There is no such schedule.")
		}
		if err := tx.Where("schedule_id = ? AND status = ?", s.ID, RoundScheduled).Delete(&Round{}).Error; err != nil {
			return fmt.Errorf("replan rounds: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.AuditScheduleUpdate, OrgID: &org.ID, Target: s.Name + ": " + s.Describe()})
	})
}

// Audience returns the people a schedule invites at this moment: active
// people of the organisation in one of its functions (all when none are
// chosen) and one of its teams (all when none are chosen).
func (s *Schedule) Audience(db *gorm.DB) *gorm.DB {
	q := db.Model(&roster.Person{}).Where("org_id = ? AND active = ?", s.OrgID, true)
	if len(s.Functions) > 0 {
		q = q.Where("function IN ?", s.Functions)
	}
	if len(s.Teams) > 0 {
		q = q.Where("team IN ?", s.Teams)
	}
	return q
}

// OrgTeams returns the distinct teams on an organisation's roster, for choosing an audience.
func OrgTeams(ctx context.Context, db *gorm.DB, orgID int64) ([]string, error) {
	var teams []string
	err := db.WithContext(ctx).Model(&roster.Person{}).Where("org_id = ? AND team <> ''", orgID).
		Distinct("team").Order("team").Pluck("team", &teams).Error
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return teams, nil
}

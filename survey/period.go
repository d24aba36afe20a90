package survey

import (
	"fmt"
	"time"

	"accord/survey/apperr"
)

// Cadences of a schedule.
const (
	CadenceMonthly   = "monthly"
	CadenceQuarterly = "quarterly"
	CadenceWeekly    = "weekly" // every EveryWeeks weeks
)

// Period is one run of a schedule: the civil day it starts on and the
// instants, in UTC, at which its round opens, reminds and closes.
type Period struct {
	Index int // 0 for the period on the schedule's start date
	// Start is the period's first day in the schedule's zone, stored as
	// midnight UTC of that calendar date. It is the round's key: changing
	// the send time or zone moves the instants, not the period.
	Start    time.Time
	OpensAt  time.Time
	ClosesAt time.Time
	RemindAt []time.Time // one per reminder offset, in the order of ReminderDays
}

// Period returns the k-th period of the schedule (k >= 0).
func (s *Schedule) Period(k int) (Period, error) {
	loc, err := s.Location()
	if err != nil {
		return Period{}, err
	}
	hh, mm, err := ParseClock(s.SendTime)
	if err != nil {
		return Period{}, err
	}
	y, m, d := s.periodDate(k)
	p := Period{Index: k, Start: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	p.OpensAt = WallClock(y, m, d, hh, mm, loc)
	p.ClosesAt = WallClock(y, m, d+s.WindowDays, hh, mm, loc)
	p.RemindAt = s.reminderTimes(p.OpensAt, loc)
	return p, nil
}

// ReminderTimes returns when the reminders of a round that opened at
// opensAt are due: ReminderDays later at the same wall-clock time in the
// schedule's zone, so a daylight-saving change in between moves the UTC
// instant, not the local time. A round opened early by hand reminds early.
func (s *Schedule) ReminderTimes(opensAt time.Time) ([]time.Time, error) {
	loc, err := s.Location()
	if err != nil {
		return nil, err
	}
	return s.reminderTimes(opensAt, loc), nil
}

func (s *Schedule) reminderTimes(opensAt time.Time, loc *time.Location) []time.Time {
	local := opensAt.In(loc)
	y, m, d := local.Date()
	var ts []time.Time
	for _, off := range s.ReminderDays {
		ts = append(ts, WallClock(y, m, d+off, local.Hour(), local.Minute(), loc))
	}
	return ts
}

// periodDate returns the calendar date period k starts on. Months keep the
// start date's day, clamped to the month's length: a schedule starting on
// 31 January runs on 28 (or 29) February, then 31 March.
func (s *Schedule) periodDate(k int) (int, time.Month, int) {
	y, m, d := s.StartDate.UTC().Date()
	switch s.Cadence {
	case CadenceWeekly:
		return time.Date(y, m, d+7*s.EveryWeeks*k, 0, 0, 0, 0, time.UTC).Date()
	case CadenceQuarterly:
		return addMonths(y, m, d, 3*k)
	default:
		return addMonths(y, m, d, k)
	}
}

func addMonths(y int, m time.Month, d, n int) (int, time.Month, int) {
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.Year(), first.Month(), min(d, last)
}

// PeriodsAround returns the periods a scheduler must know of at now: every
// period whose window contains now (several when windows are longer than
// the cadence), then the next one to open. They are in order of opening.
func (s *Schedule) PeriodsAround(now time.Time) ([]Period, error) {
	now = now.UTC()
	k, err := s.lastOpenedBy(now)
	if err != nil {
		return nil, err
	}
	var open []Period
	for j := k; j >= 0; j-- {
		p, err := s.Period(j)
		if err != nil {
			return nil, err
		}
		if !p.ClosesAt.After(now) {
			break // earlier periods closed earlier still
		}
		open = append([]Period{p}, open...)
	}
	next, err := s.Period(k + 1)
	if err != nil {
		return nil, err
	}
	return append(open, next), nil
}

// lastOpenedBy returns the index of the last period that opened at or
// before now, or -1 when the first has not opened yet.
func (s *Schedule) lastOpenedBy(now time.Time) (int, error) {
	opens := func(k int) (time.Time, error) { p, err := s.Period(k); return p.OpensAt, err }
	// Estimate from the calendar, then step: the estimate is off by at most one.
	start := s.StartDate.UTC()
	var k int
	switch s.Cadence {
	case CadenceWeekly:
		k = int(now.Sub(start).Hours() / 24 / float64(7*s.EveryWeeks))
	default:
		months := (now.Year()-start.Year())*12 + int(now.Month()-start.Month())
		k = months / s.monthsPerPeriod()
	}
	k = max(k, 0)
	for {
		t, err := opens(k)
		if err != nil {
			return 0, err
		}
		if !t.After(now) {
			break
		}
		if k == 0 {
			return -1, nil
		}
		k--
	}
	for {
		t, err := opens(k + 1)
		if err != nil {
			return 0, err
		}
		if t.After(now) {
			return k, nil
		}
		k++
	}
}

func (s *Schedule) monthsPerPeriod() int {
	if s.Cadence == CadenceQuarterly {
		return 3
	}
	return 1
}

// RemindersDue returns how many of a round's reminders are due at now: the
// number of reminder times that have passed while the round is still open.
// A scheduler that was down sends only the latest due reminder, never a
// burst of stale ones, because it records this number, not each reminder.
func RemindersDue(remindAt []time.Time, closesAt, now time.Time) int {
	n := 0
	for i, t := range remindAt {
		if !t.After(now) && t.Before(closesAt) {
			n = i + 1
		}
	}
	return n
}

// WallClock returns the instant the clocks in loc show hh:mm on the given
// day (the day may overflow; it is normalised). Two cases need a rule,
// because Go leaves them unspecified:
//   - a time inside a spring-forward gap (02:30 on the day Berlin moves from
//     02:00 to 03:00) does not exist: it is read with the offset before the
//     change, so it lands as far after the gap as it was into it (03:30);
//   - a time that happens twice when clocks fall back (02:30 on the last
//     Sunday of October in Berlin) is the first of the two (summer time).
func WallClock(y int, m time.Month, d, hh, mm int, loc *time.Location) time.Time {
	naive := time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
	// The offsets in force a day before and a day after cover every zone
	// whose rules change at most once in two days, which is all of them.
	_, before := naive.Add(-24 * time.Hour).In(loc).Zone()
	_, after := naive.Add(24 * time.Hour).In(loc).Zone()
	var found []time.Time
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second)
		if sameWallClock(t.In(loc), naive) {
			found = append(found, t)
		}
	}
	switch {
	case len(found) == 0: // in a gap
		return naive.Add(-time.Duration(before) * time.Second).UTC()
	case len(found) == 2 && found[1].Before(found[0]):
		return found[1].UTC()
	}
	return found[0].UTC()
}

func sameWallClock(t, naive time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := naive.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == naive.Hour() && t.Minute() == naive.Minute()
}

// ParseClock reads a time of day written HH:MM (24-hour clock).
func ParseClock(s string) (hh, mm int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, apperr.Errorf(apperr.EINVALID, "Enter the time as HH:MM on a 24-hour clock, like 09:00.")
	}
	return t.Hour(), t.Minute(), nil
}

// Location returns the schedule's time zone.
func (s *Schedule) Location() (*time.Location, error) {
	return LoadZone(s.TimeZone)
}

// LoadZone returns the IANA time zone called name. "Local" and "" are
// refused: a schedule must not depend on the server's own zone.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, apperr.Errorf(apperr.EINVALID, "Enter a time zone by its IANA name, like Europe/Berlin.")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Errorf(apperr.EINVALID, "%q is not a time zone we know. Use an IANA name like Europe/Berlin or America/New_York.", name)
	}
	return loc, nil
}

// FormatInZone writes an instant as people in zone read it, for emails and pages.
func FormatInZone(t time.Time, zone string) string {
	loc, err := LoadZone(zone)
	if err != nil {
		loc, zone = time.UTC, "UTC"
	}
	return fmt.Sprintf("%s (%s time)", t.In(loc).Format("Monday 2 January 2006, 15:04"), zone)
}

package i18n

import (
	"strconv"
	"time"
)

// Dates are written from the message files (weekday and month names, and
// each language's order: "Monday 2 January 2026", "Montag, 2. Januar
// 2026", "lundi 2 janvier 2026", "lunes, 2 de enero de 2026").

// Date writes t's day, in t's location, in the language's long form.
func (l *Localizer) Date(t time.Time) string {
	return l.T("date_long", "Weekday", l.T("weekday_"+strconv.Itoa(int(t.Weekday()))),
		"Day", t.Day(), "Month", l.T("month_"+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}

// DateTimeUTC writes t in UTC, day and time: a round's deadline on the
// respondent's page.
func (l *Localizer) DateTimeUTC(t time.Time) string {
	t = t.UTC()
	return l.T("date_time_utc", "Date", l.Date(t), "Time", t.Format("15:04"))
}

// DateTimeIn writes t in the time zone loc named zone: a deadline in an
// email, in the schedule's zone.
func (l *Localizer) DateTimeIn(t time.Time, loc *time.Location, zone string) string {
	t = t.In(loc)
	return l.T("date_time_zone", "Date", l.Date(t), "Time", t.Format("15:04"), "Zone", zone)
}

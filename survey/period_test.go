package survey_test

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"accord/survey"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

func schedule(cadence string, start time.Time, send, zone string, window int, reminders ...int) *survey.Schedule {
	s := &survey.Schedule{Cadence: cadence, StartDate: start, SendTime: send, TimeZone: zone, WindowDays: window, ReminderDays: reminders}
	if cadence == survey.CadenceWeekly {
		s.EveryWeeks = 1
	}
	return s
}

// TestPeriodInstants checks when periods open, close and remind, in UTC,
// across zones, month lengths and daylight-saving changes.
func TestPeriodInstants(t *testing.T) {
	t.Parallel()
	biweekly := schedule(survey.CadenceWeekly, date(2026, 1, 5), "10:00", "UTC", 3)
	biweekly.EveryWeeks = 2
	tests := []struct {
		name      string
		s         *survey.Schedule
		k         int
		start     time.Time
		opens     time.Time
		closes    time.Time
		reminders []time.Time
	}{
		{"Berlin in winter: 09:00 is 08:00 UTC",
			schedule(survey.CadenceMonthly, date(2026, 1, 5), "09:00", "Europe/Berlin", 7, 3, 5), 0,
			date(2026, 1, 5), utc(2026, 1, 5, 8, 0), utc(2026, 1, 12, 8, 0), []time.Time{utc(2026, 1, 8, 8, 0), utc(2026, 1, 10, 8, 0)}},
		{"Berlin in summer: 09:00 is 07:00 UTC",
			schedule(survey.CadenceMonthly, date(2026, 1, 5), "09:00", "Europe/Berlin", 7), 3,
			date(2026, 4, 5), utc(2026, 4, 5, 7, 0), utc(2026, 4, 12, 7, 0), nil},
		{"Berlin window across spring-forward keeps 09:00 local at both ends",
			schedule(survey.CadenceWeekly, date(2026, 3, 23), "09:00", "Europe/Berlin", 7, 3, 6), 0,
			date(2026, 3, 23), utc(2026, 3, 23, 8, 0), utc(2026, 3, 30, 7, 0), []time.Time{utc(2026, 3, 26, 8, 0), utc(2026, 3, 29, 7, 0)}},
		{"Berlin 02:30 on the spring-forward day does not exist: 03:30 CEST",
			schedule(survey.CadenceMonthly, date(2026, 3, 29), "02:30", "Europe/Berlin", 1), 0,
			date(2026, 3, 29), utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 0, 30), nil},
		{"Berlin 02:30 on the fall-back day happens twice: the first (CEST)",
			schedule(survey.CadenceMonthly, date(2026, 10, 25), "02:30", "Europe/Berlin", 1), 0,
			date(2026, 10, 25), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30), nil},
		{"New York before its DST change (8 March): 09:00 EST is 14:00 UTC",
			schedule(survey.CadenceWeekly, date(2026, 3, 2), "09:00", "America/New_York", 5, 2), 0,
			date(2026, 3, 2), utc(2026, 3, 2, 14, 0), utc(2026, 3, 7, 14, 0), []time.Time{utc(2026, 3, 4, 14, 0)}},
		{"New York after it: 09:00 EDT is 13:00 UTC",
			schedule(survey.CadenceWeekly, date(2026, 3, 2), "09:00", "America/New_York", 5, 2), 1,
			date(2026, 3, 9), utc(2026, 3, 9, 13, 0), utc(2026, 3, 14, 13, 0), []time.Time{utc(2026, 3, 11, 13, 0)}},
		{"New York 02:30 on 8 March is 03:30 EDT",
			schedule(survey.CadenceMonthly, date(2026, 3, 8), "02:30", "America/New_York", 2), 0,
			date(2026, 3, 8), utc(2026, 3, 8, 7, 30), utc(2026, 3, 10, 6, 30), nil},
		{"Kolkata is UTC+05:30 all year",
			schedule(survey.CadenceQuarterly, date(2026, 1, 15), "09:00", "Asia/Kolkata", 10, 4), 2,
			date(2026, 7, 15), utc(2026, 7, 15, 3, 30), utc(2026, 7, 25, 3, 30), []time.Time{utc(2026, 7, 19, 3, 30)}},
		{"quarterly crosses the year",
			schedule(survey.CadenceQuarterly, date(2026, 11, 1), "08:00", "UTC", 14), 1,
			date(2027, 2, 1), utc(2027, 2, 1, 8, 0), utc(2027, 2, 15, 8, 0), nil},
		{"31 January monthly runs on the last day of February",
			schedule(survey.CadenceMonthly, date(2026, 1, 31), "12:00", "UTC", 3), 1,
			date(2026, 2, 28), utc(2026, 2, 28, 12, 0), utc(2026, 3, 3, 12, 0), nil},
		{"… and on 31 March again",
			schedule(survey.CadenceMonthly, date(2026, 1, 31), "12:00", "UTC", 3), 2,
			date(2026, 3, 31), utc(2026, 3, 31, 12, 0), utc(2026, 4, 3, 12, 0), nil},
		{"… and on 29 February in a leap year",
			schedule(survey.CadenceMonthly, date(2026, 1, 31), "12:00", "UTC", 3), 25,
			date(2028, 2, 29), utc(2028, 2, 29, 12, 0), utc(2028, 3, 3, 12, 0), nil},
		{"every two weeks", biweekly, 3, date(2026, 2, 16), utc(2026, 2, 16, 10, 0), utc(2026, 2, 19, 10, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.s.Period(tt.k)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Start.Equal(tt.start) || !p.OpensAt.Equal(tt.opens) || !p.ClosesAt.Equal(tt.closes) {
				t.Errorf("period %d = start %s, opens %s, closes %s; want %s, %s, %s",
					tt.k, p.Start, p.OpensAt, p.ClosesAt, tt.start, tt.opens, tt.closes)
			}
			if fmt.Sprint(p.RemindAt) != fmt.Sprint(tt.reminders) {
				t.Errorf("reminders = %v, want %v", p.RemindAt, tt.reminders)
			}
		})
	}
}

// TestPeriodsAround checks which periods a scheduler sees at the
// boundaries: a period belongs to now from its opening instant up to, but
// not including, its closing instant; the next one is always known.
func TestPeriodsAround(t *testing.T) {
	t.Parallel()
	monthly := schedule(survey.CadenceMonthly, date(2026, 1, 5), "09:00", "Europe/Berlin", 7)
	long := schedule(survey.CadenceWeekly, date(2026, 1, 5), "09:00", "UTC", 10) // windows overlap
	sec := time.Second
	tests := []struct {
		name string
		s    *survey.Schedule
		now  time.Time
		want []time.Time // period starts
	}{
		{"long before the start date", monthly, utc(2025, 6, 1, 0, 0), []time.Time{date(2026, 1, 5)}},
		{"a second before the first opening", monthly, utc(2026, 1, 5, 8, 0).Add(-sec), []time.Time{date(2026, 1, 5)}},
		{"at the first opening", monthly, utc(2026, 1, 5, 8, 0), []time.Time{date(2026, 1, 5), date(2026, 2, 5)}},
		{"a second before the close", monthly, utc(2026, 1, 12, 8, 0).Add(-sec), []time.Time{date(2026, 1, 5), date(2026, 2, 5)}},
		{"at the close", monthly, utc(2026, 1, 12, 8, 0), []time.Time{date(2026, 2, 5)}},
		{"between periods", monthly, utc(2026, 1, 31, 0, 0), []time.Time{date(2026, 2, 5)}},
		{"summer opening at 07:00 UTC", monthly, utc(2026, 6, 5, 7, 0), []time.Time{date(2026, 6, 5), date(2026, 7, 5)}},
		{"summer, still before 09:00 local", monthly, utc(2026, 6, 5, 7, 0).Add(-sec), []time.Time{date(2026, 6, 5)}},
		{"years later", monthly, utc(2031, 12, 9, 0, 0), []time.Time{date(2031, 12, 5), date(2032, 1, 5)}},
		{"overlapping windows: two open", long, utc(2026, 1, 13, 9, 0), []time.Time{date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := tt.s.PeriodsAround(tt.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []time.Time
			for _, p := range ps {
				got = append(got, p.Start)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("periods at %s = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
}

func TestRemindersDue(t *testing.T) {
	t.Parallel()
	at := []time.Time{utc(2026, 3, 5, 8, 0), utc(2026, 3, 7, 8, 0), utc(2026, 3, 9, 8, 0)}
	closes := utc(2026, 3, 9, 8, 0) // the last reminder falls on the deadline: never sent
	tests := []struct {
		now  time.Time
		want int
	}{
		{utc(2026, 3, 5, 7, 59), 0},
		{utc(2026, 3, 5, 8, 0), 1},
		{utc(2026, 3, 7, 7, 0), 1},
		{utc(2026, 3, 8, 0, 0), 2}, // a scheduler down over both reminders sends the latest only
		{utc(2026, 3, 9, 9, 0), 2},
	}
	for _, tt := range tests {
		if got := survey.RemindersDue(at, closes, tt.now); got != tt.want {
			t.Errorf("RemindersDue at %s = %d, want %d", tt.now, got, tt.want)
		}
	}
}

func TestWallClockLordHoweHalfHourDST(t *testing.T) {
	t.Parallel()
	// Lord Howe Island moves its clocks by 30 minutes: 02:15 on its
	// spring-forward day (4 October 2026, 02:00 → 02:30) becomes 02:45.
	loc, err := time.LoadLocation("Australia/Lord_Howe")
	if err != nil {
		t.Fatal(err)
	}
	got := survey.WallClock(2026, 10, 4, 2, 15, loc).In(loc)
	if got.Hour() != 2 || got.Minute() != 45 {
		t.Fatalf("02:15 in the gap = %s, want 02:45", got)
	}
}

package survey_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"accord/survey"
	"accord/survey/roster"
)

// FuzzParseRoster: no file makes the CSV import panic, and every row it
// accepts is one the people form would accept too, once per email.
func FuzzParseRoster(f *testing.F) {
	f.Add([]byte("email,name,function,team\nann@acme.test,Ann,sales,East\n"))
	f.Add([]byte("\uFEFFEmail;Name;Function\nBOB@acme.test;Bob;product\n"))
	f.Add([]byte("email,function\n\"unterminated,sales\n"))
	f.Add([]byte("email,name,function\nx@y.z,=cmd,sales\nx@y.z,N\x00,sales\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf := roster.ParseRoster(data)
		if !rf.Valid() && len(rf.Errors) == 0 {
			t.Fatal("invalid without an error")
		}
		seen := map[string]bool{}
		for _, row := range rf.Rows {
			p := row.Person
			in := roster.PersonInput{Email: p.Email, Name: p.Name, Function: p.Function, Team: p.Team, Region: p.Region, TenureBand: p.TenureBand}
			if _, fields := in.Check(); fields != nil {
				t.Fatalf("line %d accepted, but the form refuses it: %v", row.Line, fields)
			}
			if seen[p.Email] {
				t.Fatalf("%s accepted twice", p.Email)
			}
			seen[p.Email] = true
		}
	})
}

// FuzzParseAnswers: whatever a respondent's browser sends, answers are
// either refused with messages or stored within their scales, as valid
// text without control characters and within the length limit.
func FuzzParseAnswers(f *testing.F) {
	qs := survey.PulseQuestions()
	for i := range qs {
		qs[i].ID = int64(i + 1)
	}
	f.Add("1", "5", "Joint pipeline reviews")
	f.Add("0", "6", "")
	f.Add(" 2 ", "x", "a\x00b\r\nc\x1b")
	f.Fuzz(func(t *testing.T, a1, likert, comment string) {
		sub := survey.Submission{}
		for _, q := range qs {
			switch q.Kind {
			case survey.KindText:
				sub[q.Key] = comment
			case survey.KindLikert:
				sub[q.Key] = likert
			default:
				sub[q.Key] = a1
			}
		}
		answers, fields := survey.ParseAnswers(qs, sub)
		if fields != nil {
			if answers != nil {
				t.Fatal("answers returned with errors")
			}
			return
		}
		for _, a := range answers {
			q := qs[a.QuestionID-1]
			switch {
			case a.Value != nil && (*a.Value < 1 || int(*a.Value) > max(len(q.Options), survey.LikertPoints)):
				t.Fatalf("%s: value %d out of range", q.Key, *a.Value)
			case a.Text != nil && (!utf8.ValidString(*a.Text) || utf8.RuneCountInString(*a.Text) > survey.MaxCommentLength):
				t.Fatalf("%s: text %q invalid or too long", q.Key, *a.Text)
			case a.Text != nil && strings.ContainsFunc(*a.Text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r > 0x9f }):
				t.Fatalf("%s: text %q keeps a control character", q.Key, *a.Text)
			case a.Text != nil && strings.ContainsFunc(*a.Text, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }):
				t.Fatalf("%s: text %q keeps a control character", q.Key, *a.Text)
			}
		}
	})
}

// zones are the time zones the period fuzzer picks from: daylight saving
// both ways, half-hour offsets, none at all.
var zones = []string{"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "America/Sao_Paulo"}

// FuzzSchedulePeriods: for any schedule the form accepts, periods follow
// one another, each opens before it closes, reminders fall inside the
// window, and a period that has just opened is among those the scheduler
// knows of.
func FuzzSchedulePeriods(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint16(60), uint8(9), uint8(0), uint8(1), uint8(7), uint8(3), uint8(2))
	f.Add(uint8(2), uint8(2), uint16(30), uint8(2), uint8(30), uint8(2), uint8(90), uint8(89), uint8(5))
	f.Fuzz(func(t *testing.T, cadence, weeks uint8, startDay uint16, hh, mm, zone, window, reminder uint8, k uint8) {
		form := survey.ScheduleForm{
			Cadence:      []string{survey.CadenceMonthly, survey.CadenceQuarterly, survey.CadenceWeekly}[int(cadence)%3],
			EveryWeeks:   fmt.Sprint(weeks),
			StartDate:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(startDay)%2000).Format(time.DateOnly),
			SendTime:     fmt.Sprintf("%02d:%02d", hh%24, mm%60),
			TimeZone:     zones[int(zone)%len(zones)],
			WindowDays:   fmt.Sprint(window),
			ReminderDays: fmt.Sprint(reminder),
			Active:       true,
		}
		var s survey.Schedule
		if errs := form.Parse(&s); len(errs) > 0 {
			return
		}
		idx := int(k % 40)
		p, err := s.Period(idx)
		if err != nil {
			t.Fatal(err)
		}
		next, err := s.Period(idx + 1)
		if err != nil {
			t.Fatal(err)
		}
		if !p.OpensAt.Before(p.ClosesAt) || !next.Start.After(p.Start) || !next.OpensAt.After(p.OpensAt) {
			t.Fatalf("period %d %+v and the next %+v are out of order", idx, p, next)
		}
		for _, r := range p.RemindAt {
			if !r.After(p.OpensAt) || !r.Before(p.ClosesAt) {
				t.Fatalf("reminder %s outside %s–%s", r, p.OpensAt, p.ClosesAt)
			}
		}
		around, err := s.PeriodsAround(p.OpensAt)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, q := range around {
			found = found || q.Index == idx
		}
		if !found {
			t.Fatalf("period %d, just opened at %s, is not among %+v", idx, p.OpensAt, around)
		}
	})
}

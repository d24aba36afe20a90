package survey_test

import (
	"fmt"
	"testing"

	"accord/survey"
)

func TestScheduleFormParse(t *testing.T) {
	t.Parallel()
	valid := survey.ScheduleForm{Name: " Pulse ", Cadence: survey.CadenceWeekly, EveryWeeks: "2", StartDate: "2026-03-02",
		SendTime: "09:30", TimeZone: "Asia/Kolkata", WindowDays: "10", ReminderDays: "5; 3 3", Functions: []string{"product", "sales"},
		Teams: []string{"North", " North", ""}, Active: true}
	var s survey.Schedule
	if errs := valid.Parse(&s); len(errs) > 0 {
		t.Fatalf("valid form: %v", errs)
	}
	got := fmt.Sprintf("%s|%s|%d|%s|%s|%s|%d|%v|%v|%v|%v", s.Name, s.Cadence, s.EveryWeeks, s.StartDate.Format("2006-01-02"),
		s.SendTime, s.TimeZone, s.WindowDays, s.ReminderDays, s.Functions, s.Teams, s.Active)
	if want := "Pulse|weekly|2|2026-03-02|09:30|Asia/Kolkata|10|[3 5]|[product sales]|[North]|true"; got != want {
		t.Fatalf("parsed %s, want %s", got, want)
	}
	if back := survey.FormOf(&s); back.ReminderDays != "3, 5" || back.EveryWeeks != "2" || back.StartDate != "2026-03-02" {
		t.Fatalf("FormOf = %+v", back)
	}

	tests := []struct {
		name  string
		edit  func(*survey.ScheduleForm)
		field string
	}{
		{"unknown cadence", func(f *survey.ScheduleForm) { f.Cadence = "daily" }, "cadence"},
		{"weeks missing", func(f *survey.ScheduleForm) { f.EveryWeeks = "" }, "every_weeks"},
		{"weeks zero", func(f *survey.ScheduleForm) { f.EveryWeeks = "0" }, "every_weeks"},
		{"date in another format", func(f *survey.ScheduleForm) { f.StartDate = "02/03/2026" }, "start_date"},
		{"time without leading zero", func(f *survey.ScheduleForm) { f.SendTime = "9:30" }, "send_time"},
		{"time past midnight", func(f *survey.ScheduleForm) { f.SendTime = "24:00" }, "send_time"},
		{"time in words", func(f *survey.ScheduleForm) { f.SendTime = "9am" }, "send_time"},
		{"unknown zone", func(f *survey.ScheduleForm) { f.TimeZone = "Europe/Atlantis" }, "time_zone"},
		{"server's own zone", func(f *survey.ScheduleForm) { f.TimeZone = "Local" }, "time_zone"},
		{"no zone", func(f *survey.ScheduleForm) { f.TimeZone = " " }, "time_zone"},
		{"window under a day", func(f *survey.ScheduleForm) { f.WindowDays = "0"; f.ReminderDays = "" }, "window_days"},
		{"window not a number", func(f *survey.ScheduleForm) { f.WindowDays = "a week"; f.ReminderDays = "" }, "window_days"},
		{"reminder on the closing day", func(f *survey.ScheduleForm) { f.ReminderDays = "3, 10" }, "reminder_days"},
		{"reminder on the opening day", func(f *survey.ScheduleForm) { f.ReminderDays = "0" }, "reminder_days"},
		{"reminder not a number", func(f *survey.ScheduleForm) { f.ReminderDays = "day 3" }, "reminder_days"},
		{"too many reminders", func(f *survey.ScheduleForm) { f.ReminderDays = "1 2 3 4 5 6" }, "reminder_days"},
		{"unknown function", func(f *survey.ScheduleForm) { f.Functions = []string{"finance"} }, "functions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := valid
			tt.edit(&f)
			errs := f.Parse(&survey.Schedule{})
			if len(errs) != 1 || errs[tt.field] == "" {
				t.Fatalf("errors = %v, want one message for %s", errs, tt.field)
			}
		})
	}
}

package survey_test

import (
	"strings"
	"testing"

	"accord/survey"
)

func TestActionInputCheck(t *testing.T) {
	t.Parallel()
	ok := survey.ActionInput{Target: "trust", Title: "Joint pipeline review", Owner: "Dana", Due: "2027-03-31", Notes: "Line one\nline two"}
	for _, c := range []struct {
		name  string
		edit  func(*survey.ActionInput)
		field string // "" when valid
		says  string
	}{
		{"valid", func(*survey.ActionInput) {}, "", ""},
		{"no due date, default status", func(in *survey.ActionInput) { in.Due, in.Status = "", "" }, "", ""},
		{"unknown target", func(in *survey.ActionInput) { in.Target = "happiness" }, "target", "Choose the measure"},
		{"no title", func(in *survey.ActionInput) { in.Title = "  " }, "title", "Say what will be done"},
		{"long title", func(in *survey.ActionInput) { in.Title = strings.Repeat("é", survey.MaxActionTitle+1) }, "title", "at most 200 characters"},
		{"control in title", func(in *survey.ActionInput) { in.Title = "Review\x1b[31m" }, "title", "U+001B"},
		{"line break in owner", func(in *survey.ActionInput) { in.Owner = "Dana\nLee" }, "owner", "U+000A"},
		{"long notes", func(in *survey.ActionInput) { in.Notes = strings.Repeat("x", survey.MaxActionNotes+1) }, "notes", "at most 4000"},
		{"NUL in notes", func(in *survey.ActionInput) { in.Notes = "a\x00b" }, "notes", "U+0000"},
		{"bad date", func(in *survey.ActionInput) { in.Due = "31/03/2027" }, "due", "year-month-day"},
		{"impossible date", func(in *survey.ActionInput) { in.Due = "2027-02-30" }, "due", "year-month-day"},
		{"far date", func(in *survey.ActionInput) { in.Due = "9999-01-01" }, "due", "between the years"},
		{"unknown status", func(in *survey.ActionInput) { in.Status = "abandoned" }, "status", "Choose a status"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			a, errs := in.Check()
			if c.field == "" {
				if errs != nil {
					t.Fatalf("errors %v", errs)
				}
				if a.Status == "" || (in.Due != "" && a.DueDate == nil) {
					t.Errorf("checked action %+v", a)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[c.field], c.says) {
				t.Errorf("errors %v, want one on %s saying %q", errs, c.field, c.says)
			}
		})
	}
}

package survey_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

func TestQuestionInputCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    survey.QuestionInput
		field string
		want  string
	}{
		{"likert", survey.QuestionInput{Kind: survey.KindLikert, Prompt: "Roadmaps are shared early."}, "", ""},
		{"choice", survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Which region?", Options: []string{"EMEA", " ", "Americas"}}, "", ""},
		{"unknown kind", survey.QuestionInput{Kind: "essay", Prompt: "Why?"}, "kind", "Choose a kind"},
		{"no prompt", survey.QuestionInput{Kind: survey.KindText, Prompt: "  "}, "prompt", "Write the question"},
		{"one option", survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Pick", Options: []string{"Only"}}, "options", "between 2 and 10"},
		{"eleven options", survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Pick", Options: strings.Split("a b c d e f g h i j k", " ")}, "options", "(now 11)"},
		{"repeated option", survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Pick", Options: []string{"Yes", "No", "Yes"}}, "options", "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, fields := tt.in.Check()
			if tt.field == "" {
				if fields != nil {
					t.Fatalf("messages %v for valid input", fields)
				}
				if q.Kind == survey.KindChoice && len(q.Options) != 2 {
					t.Fatalf("options %q, want blank lines dropped", q.Options)
				}
				return
			}
			if !strings.Contains(fields[tt.field], tt.want) {
				t.Fatalf("message for %s = %q, want %q", tt.field, fields[tt.field], tt.want)
			}
		})
	}
}

// questionsOf returns an instrument's questions, in order.
func questionsOf(tb testing.TB, db *gorm.DB, instrumentID int64) []survey.Question {
	tb.Helper()
	var qs []survey.Question
	databasetest.Must(tb, db.Where("instrument_id = ?", instrumentID).Order("position").Find(&qs).Error)
	return qs
}

func TestEditingWordingCreatesANewVersion(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		pulseID, err := survey.PulseInstrumentID(ctx, db)
		databasetest.Must(t, err)
		if id, err := survey.CurrentInstrumentID(ctx, db, org.ID); err != nil || id != pulseID {
			t.Fatalf("current instrument of a new org = %d, %v; want the built-in pulse %d", id, err, pulseID)
		}

		v2, err := survey.AddQuestion(ctx, db, org.ID, 1, survey.QuestionInput{Kind: survey.KindLikert, Prompt: "Roadmaps are shared early."})
		databasetest.Must(t, err)
		v3, err := survey.EditQuestion(ctx, db, org.ID, 2, "Q1", survey.QuestionInput{Prompt: "Roadmaps are shared with sales early."})
		databasetest.Must(t, err)
		if v2.Version != 2 || v3.Version != 3 || *v3.OrgID != org.ID || v3.Key != survey.PulseKey {
			t.Fatalf("versions %d and %d (org %v, key %s), want 2 and 3 of the org's pulse", v2.Version, v3.Version, v3.OrgID, v3.Key)
		}
		if id, _ := survey.CurrentInstrumentID(ctx, db, org.ID); id != v3.ID {
			t.Fatalf("current instrument = %d, want version 3 (%d)", id, v3.ID)
		}

		builtIn, old, cur := questionsOf(t, db, pulseID), questionsOf(t, db, v2.ID), questionsOf(t, db, v3.ID)
		if len(cur) != len(builtIn)+1 {
			t.Fatalf("version 3 has %d questions, want %d", len(cur), len(builtIn)+1)
		}
		for i, q := range builtIn {
			c := cur[i]
			if c.Key != q.Key || c.Prompt != q.Prompt || c.Kind != q.Kind || c.Index != q.Index || c.Position != q.Position || !slices.Equal(c.Options, q.Options) {
				t.Fatalf("built-in %s changed in version 3: %+v, was %+v", q.Key, c, q)
			}
		}
		if old[len(old)-1].Prompt != "Roadmaps are shared early." || cur[len(cur)-1].Prompt != "Roadmaps are shared with sales early." {
			t.Fatalf("wording: v2 %q, v3 %q", old[len(old)-1].Prompt, cur[len(cur)-1].Prompt)
		}
		if q := cur[len(cur)-1]; q.Key != "Q1" || q.Kind != survey.KindLikert || q.Index != "" {
			t.Fatalf("custom question = %+v: want key Q1, Likert, in no index", q)
		}

		dup := survey.Instrument{OrgID: &org.ID, Key: survey.PulseKey, Version: 3, Name: "copy"}
		if err := db.Omit("Questions").Create(&dup).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
			t.Fatalf("second version 3 = %v, want a unique violation", err)
		}
	})
}

func TestRunningRoundKeepsItsVersion(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, people := mustOrgWithPeople(t, db, "acme", roster.FunctionSales, roster.FunctionProduct)
		openRound := func(title string) string {
			id, err := survey.CurrentInstrumentID(ctx, db, org.ID)
			databasetest.Must(t, err)
			_, tokens, err := survey.CreateRound(ctx, db, org, id, title, t0, t0.Add(14*24*time.Hour), people[:1])
			databasetest.Must(t, err)
			return tokens[people[0].ID]
		}
		onV1 := openRound("On the built-in pulse")
		_, err := survey.AddQuestion(ctx, db, org.ID, 1, survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Which tool do you use?", Options: []string{"CRM", "Spreadsheet"}})
		databasetest.Must(t, err)
		onV2 := openRound("On version 2")
		_, err = survey.EditQuestion(ctx, db, org.ID, 2, "Q1", survey.QuestionInput{Prompt: "Which tool do you use most?", Options: []string{"CRM", "Spreadsheet", "Email"}})
		databasetest.Must(t, err)

		prompts := func(token string) string {
			s, err := survey.LoadSurvey(ctx, db, []byte("test-secret"), token, t0.Add(time.Hour))
			databasetest.Must(t, err)
			last := s.Questions[len(s.Questions)-1]
			return fmt.Sprintf("%d %s %v", len(s.Questions), last.Prompt, last.Options)
		}
		n := len(survey.PulseQuestions())
		if got, want := prompts(onV1), fmt.Sprintf("%d %s []", n, survey.PulseQuestions()[n-1].Prompt); got != want {
			t.Fatalf("round on v1 shows %q, want %q", got, want)
		}
		if got, want := prompts(onV2), fmt.Sprintf("%d Which tool do you use? [CRM Spreadsheet]", n+1); got != want {
			t.Fatalf("round on v2 shows %q, want %q", got, want)
		}
	})
}

func TestBuiltInQuestionsCannotChange(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		_, err := survey.EditQuestion(ctx, db, org.ID, 1, survey.QuestionA1, survey.QuestionInput{Prompt: "Are we aligned?"})
		if apperr.ErrorCode(err) != apperr.EFORBIDDEN || !strings.Contains(apperr.ErrorMessage(err), "built-in") {
			t.Fatalf("edit A1 = %v, want EFORBIDDEN naming the built-in pulse", err)
		}
		if _, err := survey.RemoveQuestion(ctx, db, org.ID, 1, "T1"); apperr.ErrorCode(err) != apperr.EFORBIDDEN {
			t.Fatalf("remove T1 = %v, want EFORBIDDEN", err)
		}
		var n int64
		db.Model(&survey.Instrument{}).Where("org_id = ?", org.ID).Count(&n)
		if n != 0 {
			t.Fatalf("%d versions made by refused changes", n)
		}
	})
}

func TestQuestionBankVersionsAndHistory(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		other, _ := mustOrgWithPeople(t, db, "globex")
		likert := survey.QuestionInput{Kind: survey.KindLikert, Prompt: "Roadmaps are shared early."}
		_, err := survey.AddQuestion(ctx, db, org.ID, 1, likert)
		databasetest.Must(t, err)
		if _, err := survey.AddQuestion(ctx, db, org.ID, 1, likert); apperr.ErrorCode(err) != apperr.ECONFLICT {
			t.Fatalf("change from a stale version = %v, want ECONFLICT", err)
		}
		_, err = survey.AddQuestion(ctx, db, org.ID, 2, survey.QuestionInput{Kind: survey.KindText, Prompt: "Anything else?"})
		databasetest.Must(t, err)
		same, err := survey.EditQuestion(ctx, db, org.ID, 3, "Q2", survey.QuestionInput{Prompt: "Anything else?"})
		databasetest.Must(t, err)
		if same.Version != 3 {
			t.Fatalf("an edit that changes nothing made version %d", same.Version)
		}
		_, err = survey.RemoveQuestion(ctx, db, org.ID, 3, "Q1")
		databasetest.Must(t, err)
		v5, err := survey.AddQuestion(ctx, db, org.ID, 4, likert)
		databasetest.Must(t, err)
		if keys := customKeys(v5.Questions); keys != "Q2 Q3" {
			t.Fatalf("custom keys %q, want Q2 Q3: a removed key is never reused", keys)
		}
		if _, err := survey.EditQuestion(ctx, db, other.ID, 1, "Q2", likert); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Fatalf("another organisation edits Q2 = %v, want ENOTFOUND", err)
		}

		h, err := survey.InstrumentHistory(ctx, db, org.ID)
		databasetest.Must(t, err)
		var got []string
		for _, v := range h {
			got = append(got, fmt.Sprintf("v%d %s", v.Version, strings.Join(v.Changes, "; ")))
		}
		want := []string{
			"v5 Added Q3: Roadmaps are shared early.",
			"v4 Removed Q1: Roadmaps are shared early.",
			"v3 Added Q2: Anything else?",
			"v2 Added Q1: Roadmaps are shared early.",
			"v1 The built-in Sales–Product Alignment Pulse.",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if h, _ := survey.InstrumentHistory(ctx, db, other.ID); len(h) != 1 || !h[0].BuiltIn {
			t.Fatalf("another organisation's history = %+v, want only the built-in pulse", h)
		}
	})
}

func customKeys(qs []survey.Question) string {
	var keys []string
	for _, q := range qs {
		if !survey.IsBuiltIn(q.Key) {
			keys = append(keys, q.Key)
		}
	}
	return strings.Join(keys, " ")
}

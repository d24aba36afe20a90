package survey_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/roster"
)

// TestRosterLanguageColumn: a roster file's language column is checked
// against the supported languages, line by line, saved, and exported.
func TestRosterLanguageColumn(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		org, _ := mustOrgWithPeople(t, db, "acme")
		bad := roster.ParseRoster([]byte("email,function,language\nann@acme.test,sales,DE\nbob@acme.test,product,\ncy@acme.test,sales,Italian\n"))
		if len(bad.Errors) != 1 || bad.Errors[0].Line != 4 || bad.Errors[0].Column != "language" ||
			!strings.Contains(bad.Errors[0].Message, `Unknown language "Italian": use one of en, de, fr, es`) {
			t.Fatalf("errors = %+v; want one, on line 4, naming the supported languages", bad.Errors)
		}
		f := roster.ParseRoster([]byte("email,function,language\nann@acme.test,sales,DE\nbob@acme.test,product,\ncy@acme.test,sales,fr-CA\n"))
		if _, _, err := roster.ApplyImport(ctx, db, org.ID, f); err != nil {
			t.Fatal(err)
		}
		langs := map[string]string{}
		var people []roster.Person
		databasetest.Must(t, db.Where("org_id = ?", org.ID).Find(&people).Error)
		for _, p := range people {
			langs[p.Email] = p.Language
		}
		if langs["ann@acme.test"] != "de" || langs["bob@acme.test"] != "" || langs["cy@acme.test"] != "fr" {
			t.Fatalf("languages = %v; want ann de, bob none (the organisation's), cy fr", langs)
		}
		// A file without the column leaves languages alone.
		databasetest.Must(t, applyRoster(ctx, db, org.ID, "email,function,team\nann@acme.test,sales,East\n"))
		var out bytes.Buffer
		databasetest.Must(t, roster.WriteRosterCSV(ctx, db, org.ID, &out))
		if !strings.HasPrefix(out.String(), "email,name,function,team,region,tenure_band,language,active\n") ||
			!strings.Contains(out.String(), "ann@acme.test,,sales,East,,,de,yes\n") {
			t.Fatalf("export:\n%s", out.String())
		}
		// The form's check says the same.
		_, err := roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: "dee@acme.test", Function: "sales", Language: "xx"})
		if fields := apperr.FormErrorsOf(err); !strings.Contains(fields["language"], "en, de, fr, es (English, German, French, Spanish)") {
			t.Fatalf("CreatePerson with language xx: %v", err)
		}
	})
}

func applyRoster(ctx context.Context, db *gorm.DB, orgID int64, data string) error {
	_, _, err := roster.ApplyImport(ctx, db, orgID, roster.ParseRoster([]byte(data)))
	return err
}

// TestGermanRespondent: a person whose roster language is German gets a
// German invitation, reads the survey in German (messages included) and
// their response records that it was answered in German; the English
// colleague's invitation stays English, and a person without a language
// gets the organisation's default.
func TestGermanRespondent(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		databasetest.Must(t, db.Model(w.people["sam"]).Update("language", "de").Error)
		_, _, err := w.s.StartRound(ctx, w.org, adhoc("Pulse", 5), adhocStart)
		databasetest.Must(t, err)
		inv := w.mails(t, mail.KindInvitation)
		de, en := inv["sam@acme.test"][0], inv["sue@acme.test"][0]
		if de.Subject != "Acme & Co: Pulse, eine Umfrage von zwei Minuten" || !strings.Contains(de.Text, "Hallo Sam,") ||
			!strings.Contains(de.Text, "Montag, 16. Februar 2026, 10:00 Uhr (Zeitzone UTC)") || !strings.Contains(de.HTML, `<html lang="de">`) {
			t.Errorf("German invitation: %q\n%s", de.Subject, de.Text)
		}
		if en.Subject != "Acme & Co: Pulse, a two-minute survey" || !strings.Contains(en.Text, "Hello Sue,") {
			t.Errorf("English invitation: %q\n%s", en.Subject, en.Text)
		}

		s, err := survey.LoadSurvey(ctx, db, secret, token(t, de), adhocStart)
		databasetest.Must(t, err)
		if s.DefaultLanguage() != "de" || s.Questions[0].In("de").Prompt != "Wie würden Sie die Beziehung zwischen Vertrieb und Produkt in unserem Unternehmen beschreiben?" {
			t.Fatalf("survey language %q, A1 %q", s.DefaultLanguage(), s.Questions[0].In("de").Prompt)
		}
		err = s.Submit(ctx, db, survey.Submission{"A1": "9"}, adhocStart)
		if got := survey.FieldErrorsOf(err)["A1"]; got != "Bitte wählen Sie eine der aufgeführten Antworten." {
			t.Fatalf("invalid answer message %q", got)
		}
		databasetest.Must(t, s.Submit(ctx, db, survey.Submission{"A1": "2"}, adhocStart))
		var r survey.Response
		databasetest.Must(t, db.Where("round_id = ?", s.Round.ID).Take(&r).Error)
		if r.Language != "de" {
			t.Errorf("response language %q, want de", r.Language)
		}

		// An organisation defaulting to French invites people without a
		// language in French.
		later := adhocStart.Add(7 * 24 * time.Hour)
		w.tick(t, later) // closes the first round
		databasetest.Must(t, db.Model(w.org).Update("default_language", "fr").Error)
		w.org.DefaultLanguage = "fr"
		_, _, err = w.s.StartRound(ctx, w.org, adhoc("Second", 5), later)
		databasetest.Must(t, err)
		var invs []survey.Invitation
		databasetest.Must(t, db.Order("id").Find(&invs).Error)
		byLang := map[string]int{}
		for _, i := range invs[len(invs)-5:] {
			byLang[i.Language]++
		}
		if byLang["de"] != 1 || byLang["fr"] != 4 {
			t.Errorf("second round's invitations by language %v; want Sam in German, the other four in French", byLang)
		}
	})
}

// TestRoundCannotOpenWithoutTranslations: a custom question without a
// French translation stops a round that would invite a French reader,
// with a message naming the language and the question; a round for
// English readers only opens.
func TestRoundCannotOpenWithoutTranslations(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		_, err := survey.AddQuestion(ctx, db, w.org.ID, 1, survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Which tool?", Options: []string{"CRM", "Email"}})
		databasetest.Must(t, err)
		databasetest.Must(t, db.Model(w.people["pat"]).Update("language", "fr").Error)
		_, _, err = w.s.StartRound(ctx, w.org, adhoc("Pulse", 5), adhocStart)
		msg := apperr.ErrorMessage(err)
		if apperr.ErrorCode(err) != apperr.EINVALID || !strings.Contains(msg, "French (fr): Q1 (wording, options)") || strings.Contains(msg, "A1") {
			t.Fatalf("StartRound = %v (%s); want EINVALID naming French and Q1 only", err, msg)
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Invitation{}).Count(&n).Error)
		if n != 0 {
			t.Fatalf("%d invitations after the refusal", n)
		}
		sales := adhoc("Sales pulse", 5)
		sales.Functions = []string{roster.FunctionSales}
		first, invited, err := w.s.StartRound(ctx, w.org, sales, adhocStart)
		if err != nil || invited != 2 {
			t.Fatalf("English-only round: %d invited, %v", invited, err)
		}

		// An incomplete translation is refused with a message per language.
		in := survey.QuestionInput{Prompt: "Which tool?", Options: []string{"CRM", "Email"},
			Translations: map[string]survey.QuestionText{"fr": {Prompt: "Quel outil ?", Options: []string{"CRM"}}, "de": {}}}
		_, err = survey.EditQuestion(ctx, db, w.org.ID, 2, "Q1", in)
		if fields := apperr.FormErrorsOf(err); fields["translation_fr"] != "French: give the 2 options in the same order as in English, one per line (now 1)." || len(fields) != 1 {
			t.Fatalf("incomplete translation: %v", err)
		}
		// With its French translation the question is a new version, and
		// the round that is running keeps the version it asked.
		in.Translations["fr"] = survey.QuestionText{Prompt: "Quel outil ?", Options: []string{"CRM", "E-mail"}}
		inst, err := survey.EditQuestion(ctx, db, w.org.ID, 2, "Q1", in)
		databasetest.Must(t, err)
		if inst.Version != 3 || inst.Questions[len(inst.Questions)-1].In("fr").Options[1] != "E-mail" {
			t.Fatalf("after the translation: version %d", inst.Version)
		}
		history, err := survey.InstrumentHistory(ctx, db, w.org.ID)
		databasetest.Must(t, err)
		if got := strings.Join(history[0].Changes, "; "); got != "Q1: French translation changed" {
			t.Errorf("history says %q", got)
		}
		var kept survey.Round
		databasetest.Must(t, db.Take(&kept, first.ID).Error)
		if kept.InstrumentID == inst.ID {
			t.Error("the running round took the new version")
		}
		w.tick(t, adhocStart.Add(6*24*time.Hour)) // closes it
		if _, invited, err := w.s.StartRound(ctx, w.org, adhoc("Everyone", 5), adhocStart.Add(6*24*time.Hour)); err != nil || invited != 5 {
			t.Fatalf("round with the French translation: %d invited, %v", invited, err)
		}
	})
}

// TestScheduledRoundMissingATranslationSaysWhy: a schedule's round that
// cannot open for want of a German translation stays planned and keeps
// why, which the rounds' summaries carry with the schedule's name (a log
// line alone goes unseen); once the translation is added the next tick
// opens it and the problem is gone.
func TestScheduledRoundMissingATranslationSaysWhy(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		_, err := survey.AddQuestion(ctx, db, w.org.ID, 1, survey.QuestionInput{Kind: survey.KindChoice, Prompt: "Which tool?", Options: []string{"CRM", "Email"}})
		databasetest.Must(t, err)
		databasetest.Must(t, db.Model(w.people["pat"]).Update("language", "de").Error)
		if err := w.s.Tick(ctx, open1); err == nil || !strings.Contains(err.Error(), "German (de): Q1 (wording, options)") {
			t.Fatalf("Tick = %v; want the refusal naming German and Q1", err)
		}
		summary := func() survey.RoundSummary {
			t.Helper()
			rs, err := survey.RoundSummaries(ctx, db, w.org.ID)
			databasetest.Must(t, err)
			for _, r := range rs {
				if r.OpensAt.Equal(open1) {
					return r
				}
			}
			t.Fatalf("no round opening at %s among %+v", open1, rs)
			return survey.RoundSummary{}
		}
		r := summary()
		if r.Status != survey.RoundScheduled || r.ScheduleName != "Monthly pulse" || r.Invited != 0 ||
			!strings.Contains(r.OpenProblem, "German (de): Q1 (wording, options)") || !strings.Contains(r.OpenProblem, "Add the missing translations under Questions") {
			t.Fatalf("after the refusal: %+v; want it planned, saying what is missing", r)
		}
		in := survey.QuestionInput{Prompt: "Which tool?", Options: []string{"CRM", "Email"},
			Translations: map[string]survey.QuestionText{"de": {Prompt: "Welches Werkzeug?", Options: []string{"CRM", "E-Mail"}}}}
		_, err = survey.EditQuestion(ctx, db, w.org.ID, 2, "Q1", in)
		databasetest.Must(t, err)
		w.tick(t, open1.Add(time.Minute))
		if r := summary(); r.Status != survey.RoundOpen || r.OpenProblem != "" || r.Invited != 4 {
			t.Fatalf("after the translation: %+v; want it open, with no problem", r)
		}
	})
}

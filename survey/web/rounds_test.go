package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/roster"
)

// TestRoundsPageCountsUndeliveredRemindersWithoutAddresses: staff see whose
// invitation could not be delivered, but of reminders only how many: a
// reminder's address would tell them that person had not answered.
func TestRoundsPageCountsUndeliveredRemindersWithoutAddresses(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, _ := opsServer(t, db)
		c := opsClient(t, srv, "consultant@accord.test")
		f := roundForm()
		f.Set("confirm", "yes")
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds", f), http.StatusSeeOther)
		var round survey.Round
		databasetest.Must(t, db.Take(&round).Error)
		for i, m := range []mail.Message{
			{Kind: mail.KindInvitation, To: "sales0@acme.test", Status: mail.StatusFailed, LastError: "refused"},
			{Kind: mail.KindReminder, To: "sales1@acme.test", Status: mail.StatusFailed, LastError: "refused sales1@acme.test"},
			{Kind: mail.KindReminder, To: "product2@acme.test", Status: mail.StatusHeld, LastError: "unconfirmed"},
		} {
			m.OrgID, m.RoundID, m.Subject, m.Text, m.MessageID = &acme.ID, &round.ID, "s", "t", "failed-"+string(rune('a'+i))
			databasetest.Must(t, db.Create(&m).Error)
		}
		r := c.Get("/orgs/acme/rounds")
		expectOps(t, r, http.StatusOK, "sales0@acme.test (invitation): refused", "2 reminders could not be delivered")
		for _, address := range []string{"sales1@acme.test", "product2@acme.test"} {
			if strings.Contains(r.Body, address) {
				t.Errorf("the rounds page shows the address of an undelivered reminder, %s", address)
			}
		}
	})
}

// TestRoundsPageSaysWhyAPlannedRoundDidNotOpen: a schedule's round that the
// scheduler could not open because a question lacks its German
// translation is flagged on the rounds page — the round, the schedule,
// the language and the question, with the way to Questions — until the
// translation is added and the round opens.
func TestRoundsPageSaysWhyAPlannedRoundDidNotOpen(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, sched := opsServer(t, db)
		ctx := t.Context()
		_, err := survey.AddQuestion(ctx, db, acme.ID, 1, survey.QuestionInput{Kind: survey.KindText, Prompt: "Which tool do you use?"})
		databasetest.Must(t, err)
		databasetest.Must(t, db.Model(&roster.Person{}).Where("email = ?", "sales0@acme.test").Update("language", "de").Error)
		s := &survey.Schedule{}
		form := survey.ScheduleForm{Name: "Quarterly check", Cadence: "monthly", StartDate: "2026-03-16", SendTime: "09:00", TimeZone: "UTC", WindowDays: "7", Active: true}
		if errs := form.Parse(s); len(errs) > 0 {
			t.Fatal(errs)
		}
		databasetest.Must(t, survey.SaveSchedule(ctx, db, acme, s, srv.Clock.Now()))
		databasetest.Must(t, sched.Tick(ctx, srv.Clock.Now()))
		var round survey.Round
		databasetest.Must(t, db.Order("opens_at").Take(&round).Error)
		c := opsClient(t, srv, "consultant@accord.test")
		if r := c.Get("/orgs/acme/rounds"); strings.Contains(r.Body, "open-problem-") {
			t.Fatalf("a round not yet due is flagged: %.600s", r.Body)
		}
		if err := sched.Tick(ctx, round.OpensAt); err == nil {
			t.Fatal("the round opened without its German translation")
		}
		r := c.Get("/orgs/acme/rounds")
		expectOps(t, r, http.StatusOK, `id="open-problem-`, round.Title, "(schedule “Quarterly check”)",
			"German (de): Q1 (wording)", "Add the missing translations under Questions", `href="/orgs/acme/instruments"`,
			"not opened: translations missing")
		expectOps(t, opsClient(t, srv, "lead@acme.test").Get("/orgs/acme/rounds"), http.StatusOK, "German (de): Q1 (wording)")

		_, err = survey.EditQuestion(ctx, db, acme.ID, 2, "Q1", survey.QuestionInput{Prompt: "Which tool do you use?",
			Translations: map[string]survey.QuestionText{"de": {Prompt: "Welches Werkzeug nutzen Sie?"}}})
		databasetest.Must(t, err)
		databasetest.Must(t, sched.Tick(ctx, round.OpensAt.Add(time.Minute)))
		if r := c.Get("/orgs/acme/rounds"); strings.Contains(r.Body, "open-problem-") || strings.Contains(r.Body, "translations missing") {
			t.Errorf("the round opened and is still flagged: %.600s", r.Body)
		}
	})
}

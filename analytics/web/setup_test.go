package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// setupSteps returns the checklist's steps as "Done: title" or "To do:
// title", in order, and the one marked as the current step.
func setupSteps(t *testing.T, body string) (steps []string, current string) {
	t.Helper()
	i := strings.Index(body, `<ol class="setup-steps">`)
	if i < 0 {
		return nil, ""
	}
	list := body[i:]
	list = list[:strings.Index(list, "</ol>")]
	for _, item := range strings.Split(list, "<li ")[1:] {
		state := "To do"
		if strings.HasPrefix(item, `class="done"`) {
			state = "Done"
		}
		title := item[strings.Index(item, "<strong>")+8 : strings.Index(item, "</strong>")]
		steps = append(steps, state+": "+title)
		if strings.Contains(item, `aria-current="step"`) {
			current = title
		}
	}
	return steps, current
}

// TestSetupChecklistTicksItself follows a new organisation from creation
// to its first closed round: each step ticks when its data exist, the
// delivery status comes from the outbox, and the checklist goes once
// results exist. Leaders never see it.
func TestSetupChecklistTicksItself(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := t.Context()
		srv := sitetest.NewServer(t, db)
		now := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
		srv.Clock.Set(now)
		outbox := mailtest.DevOutbox(t, db)
		sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), srv.App.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		databasetest.Must(t, err)
		cons := webtest.MustAccount(t, db, "cora@consult.test", account.RoleConsultant)
		org, err := survey.CreateOrganisation(ctx, db, cons, survey.OrgInput{Name: "Acme", TimeZone: "Europe/Berlin"})
		databasetest.Must(t, err)
		webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
		c := srv.Client(t)
		c.Login("cora@consult.test", webtest.Password)
		lead := srv.Client(t)
		lead.Login("lee@acme.test", webtest.Password)

		check := func(wantCurrent string, wantDone int, parts ...string) {
			t.Helper()
			r := c.Get("/orgs/acme")
			steps, current := setupSteps(t, r.Body)
			if r.Status != http.StatusOK || len(steps) != 4 || current != wantCurrent || strings.Count(strings.Join(steps, "|"), "Done:") != wantDone {
				t.Fatalf("status %d, steps %q, current %q; want 4 steps, %d done, current %q", r.Status, steps, current, wantDone, wantCurrent)
			}
			for _, p := range parts {
				if !strings.Contains(r.Body, p) {
					t.Errorf("checklist lacks %q:\n%s", p, r.Body)
				}
			}
			if _, s := setupSteps(t, lead.Get("/orgs/acme").Body); s != "" {
				t.Error("a leader is shown the setup checklist")
			}
		}
		check("Add the people to survey", 0, "The roster is empty.", `href="/orgs/acme/people/import"`, `href="/orgs/acme/rounds/new">Start a round now`)

		for _, email := range []string{"ann@acme.test", "bob@acme.test"} {
			_, err := roster.CreatePerson(ctx, db, org.ID, roster.PersonInput{Email: email, Function: "sales"})
			databasetest.Must(t, err)
		}
		check("Schedule rounds, or start one now", 1, "2 active people on the roster.", "No schedule and no round yet.")

		s := &survey.Schedule{}
		f := survey.ScheduleForm{Name: "Monthly", Cadence: survey.CadenceMonthly, StartDate: "2026-03-09", SendTime: "09:00",
			TimeZone: "UTC", WindowDays: "7", Active: true}
		if errs := f.Parse(s); len(errs) > 0 {
			t.Fatalf("schedule: %v", errs)
		}
		databasetest.Must(t, survey.SaveSchedule(ctx, db, org, s, now))
		databasetest.Must(t, sched.Tick(ctx, now))
		check("Invitations sent", 2, "1 active schedule, 1 round.", "No invitation has gone out yet")

		databasetest.Must(t, sched.Tick(ctx, now.Add(time.Hour))) // the round opens and invites
		mailtest.WaitSettled(t, db, 10*time.Second)
		check("Results after the round closes", 3, "2 sent, 0 waiting to be sent, 0 could not be delivered.",
			"The open round closes on Monday 16 March 2026, 10:00 (Europe/Berlin time)")

		databasetest.Must(t, sched.Tick(ctx, now.AddDate(0, 0, 8))) // the deadline passed: it closes
		if steps, _ := setupSteps(t, c.Get("/orgs/acme").Body); steps != nil {
			t.Errorf("checklist still shown after the first round closed: %q", steps)
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
)

func roundForm(kv ...string) url.Values {
	f := url.Values{"title": {"Kick-off pulse"}, "window_days": {"5"}, "reminder_days": {"2"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = append(f[kv[i]][:0:0], kv[i+1])
	}
	return f
}

// TestStartARoundNowPreviewsThenStarts: the form, a preview that counts
// the audience and writes nothing, the start with its invitations, and the
// refusals a consultant can meet.
func TestStartARoundNowPreviewsThenStarts(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, _ := opsServer(t, db)
		c := opsClient(t, srv, "consultant@accord.test")
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, `href="/orgs/acme/rounds/new"`, "Start a round now")
		expectOps(t, c.Get("/orgs/acme/rounds/new"), http.StatusOK, `value="Pulse of 10 March 2026"`, `name="functions" value="sales"`, `name="teams" value="Team 0"`)

		r := c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds/preview", roundForm("title", "", "window_days", "0"))
		expectOps(t, r, http.StatusUnprocessableEntity, "Give the round a title", "Keep rounds open for a whole number of days")
		r = c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds/preview", roundForm("functions", "sales"))
		expectOps(t, r, http.StatusOK, "2 people will be invited", "<th scope=\"row\">sales</th><td>2</td>",
			"It closes on Sunday 15 March 2026, 09:00 (UTC time);", "on day 2.", "Fewer people than the minimum group size of 5",
			`name="confirm" value="yes"`, `type="hidden" name="functions" value="sales"`, "Start the round and invite 2")
		var n int64
		databasetest.Must(t, db.Model(&survey.Round{}).Count(&n).Error)
		if n != 0 {
			t.Fatalf("the preview created %d rounds", n)
		}
		// "Change" brings the form back filled in.
		expectOps(t, c.Get("/orgs/acme/rounds/new?title=Kick-off+pulse&window_days=5&reminder_days=2&functions=sales"), http.StatusOK,
			`value="Kick-off pulse"`, `name="functions" value="sales" checked`)
		// Without the confirm field the start only shows the preview again.
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds", roundForm()), http.StatusOK, "4 people will be invited")

		f := roundForm()
		f.Set("confirm", "yes")
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds", f), http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "Kick-off pulse is open: 4 invitations are on their way.", "<td>open, 5 days left</td>", "<td>4</td>")
		var round survey.Round
		databasetest.Must(t, db.Where("title = ?", "Kick-off pulse").Take(&round).Error)
		databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ? AND round_id = ?", mail.KindInvitation, round.ID).Count(&n).Error)
		if n != 4 || round.ScheduleID != nil || len(round.ReminderDays) != 1 {
			t.Fatalf("%d invitation emails, round %+v; want 4 and a round by hand with one reminder", n, round)
		}

		r = c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds/preview", roundForm("title", "Second"))
		expectOps(t, r, http.StatusUnprocessableEntity, "This round cannot start: &#34;Kick-off pulse&#34; is still open")
		if strings.Contains(r.Body, "Start the round and invite") {
			t.Error("a refused preview still offers to start")
		}
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds", f), http.StatusUnprocessableEntity, "is still open")

		lead := opsClient(t, srv, "lead@acme.test")
		expectOps(t, lead.Get("/orgs/acme/rounds/new"), http.StatusForbidden)
		if strings.Contains(lead.Get("/orgs/acme/rounds").Body, "Start a round now") {
			t.Error("a leader is offered to start a round")
		}
	})
}

// TestCloseNowAsksFirst: "Close now" shows what will happen and closes
// only once confirmed.
func TestCloseNowAsksFirst(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, sched := opsServer(t, db)
		r, _, err := sched.StartRound(t.Context(), acme, survey.AdHocRound{Title: "Spot check", ClosesIn: 72 * time.Hour}, srv.Clock.Now())
		databasetest.Must(t, err)
		c := opsClient(t, srv, "consultant@accord.test")
		close := "/orgs/acme/rounds/" + strconv.FormatInt(r.ID, 10) + "/close"
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, `href="`+close+`"`)
		for _, page := range []func() string{
			func() string { return c.Get(close).Body },
			func() string { return c.Submit("/orgs/acme/rounds", close, nil).Body },
		} {
			body := page()
			for _, want := range []string{"Close Spot check now?", "The 4 people who have not answered yet", "from the 0 answers received (0.0% of 4 invited)",
				"its results stay hidden", `name="confirm" value="yes"`, "Close the round now"} {
				if !strings.Contains(body, want) {
					t.Fatalf("confirmation lacks %q:\n%s", want, body)
				}
			}
			databasetest.Must(t, db.Take(r, r.ID).Error)
			if r.Status != survey.RoundOpen {
				t.Fatalf("asking closed the round")
			}
		}
		expectOps(t, c.Submit(close, close, url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		databasetest.Must(t, db.Take(r, r.ID).Error)
		if r.Status != survey.RoundClosed {
			t.Fatalf("confirmed close left the round %s", r.Status)
		}
	})
}

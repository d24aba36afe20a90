package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// opsServer starts a server whose rounds page can act (a scheduler writing
// into a real, unstarted outbox) with organisations acme and globex, an
// admin, a consultant and a leader of acme, a consultant of globex, and
// acme's roster of four in sales and product.
func opsServer(t *testing.T, db *gorm.DB) (*webtest.Server, *survey.Organisation, *survey.Scheduler) {
	t.Helper()
	outbox := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), &url.URL{Scheme: "http", Host: "accord.test"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	databasetest.Must(t, err)
	srv := sitetest.NewServer(t, db, func(a *webkit.App) { a.Scheduler = sched })
	acme := webtest.MustOrg(t, db, "acme", "Acme")
	globex := webtest.MustOrg(t, db, "globex", "Globex")
	webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
	webtest.MustAccount(t, db, "consultant@accord.test", account.RoleConsultant, acme.ID)
	webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, acme.ID)
	webtest.MustAccount(t, db, "other@accord.test", account.RoleConsultant, globex.ID)
	for i, fn := range []string{"sales", "sales", "product", "product"} {
		p := roster.Person{OrgID: acme.ID, Email: fn + strconv.Itoa(i) + "@acme.test", Function: fn, Team: "Team " + strconv.Itoa(i%2)}
		databasetest.Must(t, db.Create(&p).Error)
	}
	return srv, acme, sched
}

func opsClient(t *testing.T, srv *webtest.Server, email string) *webtest.Client {
	t.Helper()
	c := srv.Client(t)
	c.Login(email, webtest.Password)
	return c
}

// expectOps checks a response's status and that its body holds parts.
func expectOps(t *testing.T, r webtest.Response, wantStatus int, parts ...string) {
	t.Helper()
	if r.Status != wantStatus {
		t.Fatalf("status %d, want %d; body: %.600s", r.Status, wantStatus, r.Body)
	}
	for _, p := range parts {
		if !strings.Contains(r.Body, p) {
			t.Fatalf("page lacks %q; body: %s", p, r.Body)
		}
	}
}

// scheduleForm is a valid form: monthly from 16 March 2026, 09:00 Berlin.
func scheduleForm(kv ...string) url.Values {
	f := url.Values{"name": {"Monthly pulse"}, "cadence": {"monthly"}, "every_weeks": {""}, "start_date": {"2026-03-16"},
		"send_time": {"09:00"}, "time_zone": {"Europe/Berlin"}, "window_days": {"7"}, "reminder_days": {"3, 5"},
		"functions": {"sales", "product"}, "active": {"on"}}
	for i := 0; i < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestSchedulePages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, _ := opsServer(t, db)
		c := opsClient(t, srv, "consultant@accord.test")
		expectOps(t, c.Get("/orgs/acme/schedules"), http.StatusOK, "has no schedule yet", "Add a schedule")

		bad := []struct{ field, value, message string }{
			{"time_zone", "Europe/Atlantis", "is not a time zone we know"},
			{"send_time", "9am", "Enter the time as HH:MM"},
			{"window_days", "0", "from 1 to 90"},
			{"reminder_days", "3, 9", "would come after the round closes on day 7"},
			{"cadence", "daily", "Choose how often rounds run"},
		}
		for _, b := range bad {
			r := c.Submit("/orgs/acme/schedules/new", "/orgs/acme/schedules", scheduleForm(b.field, b.value))
			expectOps(t, r, http.StatusBadRequest, b.message, `id="`+b.field+`-error"`, "Some fields need your attention")
			if b.field != "cadence" && !strings.Contains(r.Body, `aria-describedby="`+b.field+`-hint `+b.field+`-error" aria-invalid="true"`) {
				t.Errorf("%s: the field is not marked invalid and tied to its message", b.field)
			}
		}
		var n int64
		databasetest.Must(t, db.Model(&survey.Schedule{}).Count(&n).Error)
		if n != 0 {
			t.Fatalf("%d schedules saved from invalid forms", n)
		}

		r := c.Submit("/orgs/acme/schedules/new", "/orgs/acme/schedules", scheduleForm())
		expectOps(t, r, http.StatusSeeOther)
		// The first period opens on 16 March at 09:00 in Berlin (08:00 UTC).
		list := c.Get(r.Header.Get("Location"))
		expectOps(t, list, http.StatusOK, "Saved “Monthly pulse”. The next round opens Monday 16 March 2026, 09:00 (Europe/Berlin time).",
			"Monthly from 16 March 2026 at 09:00 Europe/Berlin, open 7 days", "day 3, 5", "functions: product, sales")

		var s survey.Schedule
		databasetest.Must(t, db.Take(&s).Error)
		edit := "/orgs/acme/schedules/" + strconv.FormatInt(s.ID, 10)
		expectOps(t, c.Get(edit+"/edit"), http.StatusOK, `value="Europe/Berlin"`, `value="3, 5"`, `value="sales" checked`)
		r = c.Submit(edit+"/edit", edit, scheduleForm("cadence", "weekly", "every_weeks", "2", "time_zone", "Asia/Kolkata", "active", ""))
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/schedules"), http.StatusOK, "It is paused", "Every 2 weeks from 16 March 2026 at 09:00 Asia/Kolkata")
	})
}

func TestLeaderSeesSchedulesAndRoundsButCannotChangeThem(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, sched := opsServer(t, db)
		s := &survey.Schedule{}
		form := survey.ScheduleForm{Name: "Pulse", Cadence: "monthly", StartDate: "2026-03-16", SendTime: "09:00", TimeZone: "UTC", WindowDays: "7", Active: true}
		if errs := form.Parse(s); len(errs) > 0 {
			t.Fatal(errs)
		}
		databasetest.Must(t, survey.SaveSchedule(t.Context(), db, acme, s, srv.Clock.Now()))
		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		var round survey.Round
		databasetest.Must(t, db.Take(&round).Error)
		rid := strconv.FormatInt(round.ID, 10)

		lead := opsClient(t, srv, "lead@acme.test")
		r := lead.Get("/orgs/acme/schedules")
		expectOps(t, r, http.StatusOK, "Pulse", "Monthly from 16 March 2026")
		if strings.Contains(r.Body, "Add a schedule") || strings.Contains(r.Body, "/edit") {
			t.Error("a leader is offered to change schedules")
		}
		r = lead.Get("/orgs/acme/rounds")
		expectOps(t, r, http.StatusOK, round.Title, "planned")
		if strings.Contains(r.Body, "Open now") || strings.Contains(r.Body, "/open") {
			t.Error("a leader is offered round actions")
		}
		expectOps(t, lead.Get("/orgs/acme/schedules/new"), http.StatusForbidden, "Only administrators and consultants")
		csrf := lead.CSRF("/orgs/acme/rounds")
		for _, path := range []string{"/orgs/acme/schedules", "/orgs/acme/rounds/" + rid + "/open", "/orgs/acme/rounds/" + rid + "/close"} {
			f := scheduleForm()
			f.Set("_csrf", csrf)
			expectOps(t, lead.PostForm(path, f), http.StatusForbidden)
		}
		databasetest.Must(t, db.Take(&round, round.ID).Error)
		if round.Status != survey.RoundScheduled {
			t.Fatalf("a leader's POST changed the round to %s", round.Status)
		}
		// Another client's consultant learns nothing about acme.
		other := opsClient(t, srv, "other@accord.test")
		expectOps(t, other.Get("/orgs/acme/rounds"), http.StatusNotFound)
		expectOps(t, other.Get("/orgs/acme/schedules"), http.StatusNotFound)
	})
}

func TestRoundsPageOpensClosesAndResends(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _, sched := opsServer(t, db)
		c := opsClient(t, srv, "consultant@accord.test")
		expectOps(t, c.Submit("/orgs/acme/schedules/new", "/orgs/acme/schedules", scheduleForm()), http.StatusSeeOther)
		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		var round survey.Round
		databasetest.Must(t, db.Take(&round).Error)
		base := "/orgs/acme/rounds/" + strconv.FormatInt(round.ID, 10)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "Monthly pulse – 16 March 2026", "planned",
			"Monday 16 March 2026, 09:00 (Europe/Berlin time)", "Monday 23 March 2026, 09:00 (Europe/Berlin time)", "Open now")

		r := c.Submit("/orgs/acme/rounds", base+"/open", nil)
		expectOps(t, r, http.StatusSeeOther)
		page := c.Get("/orgs/acme/rounds")
		expectOps(t, page, http.StatusOK, "The round is open; invitations are on their way.", "<td>open, ", "<td>4</td>", "0.0% so far", "Close now")
		var invited int64
		databasetest.Must(t, db.Model(&mail.Message{}).Where("kind = ? AND round_id = ?", mail.KindInvitation, round.ID).Count(&invited).Error)
		if invited != 4 {
			t.Fatalf("%d invitation emails in the outbox, want 4", invited)
		}

		r = c.Submit("/orgs/acme/rounds", base+"/resend", url.Values{"email": {"nobody@acme.test"}})
		expectOps(t, r, http.StatusBadRequest, "Nobody on the roster has the address nobody@acme.test.",
			`value="nobody@acme.test" aria-invalid="true" aria-describedby="resend-`)
		r = c.Submit("/orgs/acme/rounds", base+"/resend", url.Values{"email": {"sales0@acme.test"}})
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "A new personal link is on its way to sales0@acme.test.")

		// A bounced invitation shows on the round, with its address for consultants only.
		databasetest.Must(t, db.Model(&mail.Message{}).Where("to_address = ? AND kind = ?", "product3@acme.test", mail.KindInvitation).
			Updates(map[string]any{"status": mail.StatusFailed, "last_error": "550 mailbox unavailable"}).Error)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "product3@acme.test (invitation): 550 mailbox unavailable")
		// So does one held because the mail server never confirmed it (not resent, to avoid a duplicate).
		databasetest.Must(t, db.Model(&mail.Message{}).Where("to_address = ? AND kind = ?", "sales1@acme.test", mail.KindInvitation).
			Updates(map[string]any{"status": mail.StatusHeld, "last_error": "The mail server did not confirm that it received this email"}).Error)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "sales1@acme.test (invitation): The mail server did not confirm")
		lead := opsClient(t, srv, "lead@acme.test")
		if body := lead.Get("/orgs/acme/rounds").Body; strings.Contains(body, "product3@acme.test") || !strings.Contains(body, "<td>2</td>") {
			t.Error("a leader sees a failed address, or not the count of failures")
		}

		srv.Clock.Advance(time.Hour)
		expectOps(t, c.Submit("/orgs/acme/rounds", base+"/close", nil), http.StatusOK, "now?", "The results are computed now")
		expectOps(t, c.Submit("/orgs/acme/rounds", base+"/close", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "The round is closed", "<td>closed</td>")
		databasetest.Must(t, db.Take(&round, round.ID).Error)
		if round.Status != survey.RoundClosed || !round.ClosesAt.Equal(srv.Clock.Now()) {
			t.Fatalf("round after Close now: %s, closes %s; want closed at %s", round.Status, round.ClosesAt, srv.Clock.Now())
		}
	})
}

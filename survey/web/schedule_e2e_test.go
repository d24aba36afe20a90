package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
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

// TestScheduledRoundEndToEnd runs a round by itself against a real SMTP
// server: a schedule set up through the page, the invitation delivered to
// Mailpit, its link answered through the router, the reminder to the two
// who did not answer only, and the close at the deadline. Pia reads
// German: her invitation, its page and her reminder are in German.
func TestScheduledRoundEndToEnd(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		outbox, mp := mailtest.MailpitOutbox(t, db)

		srv := sitetest.NewServer(t, db)
		sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), srv.App.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		databasetest.Must(t, err)
		srv.App.Scheduler = sched
		acme := webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustAccount(t, db, "consultant@accord.test", account.RoleConsultant, acme.ID)
		for _, p := range []roster.Person{
			{Email: "sam@acme.test", Function: "sales"}, {Email: "pat@acme.test", Function: "product"},
			{Email: "pia@acme.test", Function: "product", Language: "de"}, {Email: "eve@acme.test", Function: "engineering"},
		} {
			p.OrgID = acme.ID
			databasetest.Must(t, db.Create(&p).Error)
		}
		// The clock reads Tuesday 10 March 2026, 09:00 UTC: the first
		// round opens at 10:00 in Berlin, right now.
		c := opsClient(t, srv, "consultant@accord.test")
		r := c.Submit("/orgs/acme/schedules/new", "/orgs/acme/schedules",
			scheduleForm("start_date", "2026-03-10", "send_time", "10:00", "reminder_days", "3"))
		expectOps(t, r, http.StatusSeeOther)

		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		mp.WaitFor(t, 3, 30*time.Second)
		mailtest.WaitSettled(t, db, 30*time.Second)
		invitations := mp.Messages(t)
		noDuplicates(t, invitations)
		if got, want := to(invitations), "[pat@acme.test pia@acme.test sam@acme.test]"; got != want {
			t.Fatalf("invitations delivered to %s, want %s", got, want)
		}
		sam := mp.Message(t, find(t, invitations, "sam@acme.test").ID)
		for _, want := range []string{"Acme", "Tuesday 17 March 2026, 10:00 (Europe/Berlin time)", "stored without your name or email address"} {
			if !strings.Contains(sam.Text, want) || !strings.Contains(sam.HTML, want) {
				t.Errorf("invitation bodies lack %q:\n%s", want, sam.Text)
			}
		}
		links := mailtest.Links(sam.Text)
		if len(links) != 1 {
			t.Fatalf("invitation has links %v, want one", links)
		}
		pia := mp.Message(t, find(t, invitations, "pia@acme.test").ID)
		for _, want := range []string{"Acme: Monthly pulse", "Hallo,", "Dienstag, 17. März 2026, 10:00 Uhr (Zeitzone Europe/Berlin)",
			"ohne Ihren Namen und Ihre E-Mail-Adresse gespeichert"} {
			if !strings.Contains(pia.Text, want) && !strings.Contains(pia.Subject, want) {
				t.Errorf("Pia's invitation lacks %q: %q\n%s", want, pia.Subject, pia.Text)
			}
		}
		if !strings.HasSuffix(pia.Subject, "eine Umfrage von zwei Minuten") || !strings.Contains(pia.HTML, `<html lang="de">`) {
			t.Errorf("Pia's invitation: subject %q, HTML %.200s", pia.Subject, pia.HTML)
		}
		piaLink, _ := url.Parse(mailtest.Links(pia.Text)[0])
		expectOps(t, srv.Client(t).Get(piaLink.Path), http.StatusOK, `<html lang="de">`, "Antworten absenden")
		link, _ := url.Parse(links[0])
		respondent := srv.Client(t)
		expectOps(t, respondent.Get(link.Path), http.StatusOK, "Acme")
		srv.Clock.Advance(2 * time.Hour)
		expectOps(t, respondent.Submit(link.Path, link.Path, url.Values{"A1": {"2"}, "T1": {"4"}}), http.StatusSeeOther)

		mp.Clear(t)
		srv.Clock.Set(time.Date(2026, 3, 13, 9, 0, 0, 0, time.UTC)) // day 3, 10:00 Berlin
		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		mp.WaitFor(t, 2, 30*time.Second)
		mailtest.WaitSettled(t, db, 30*time.Second)
		reminders := mp.Messages(t)
		noDuplicates(t, reminders)
		if got, want := to(reminders), "[pat@acme.test pia@acme.test]"; got != want {
			t.Fatalf("reminders delivered to %s, want %s (not Sam, who answered)", got, want)
		}
		pat := mp.Message(t, find(t, reminders, "pat@acme.test").ID)
		if !strings.HasPrefix(pat.Subject, "Reminder:") {
			t.Errorf("reminder subject %q", pat.Subject)
		}
		if s := find(t, reminders, "pia@acme.test").Subject; !strings.HasPrefix(s, "Erinnerung: ") {
			t.Errorf("Pia's reminder subject %q, want German", s)
		}
		patLink, _ := url.Parse(mailtest.Links(pat.Text)[0])
		expectOps(t, srv.Client(t).Get(patLink.Path), http.StatusOK)

		srv.Clock.Set(time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC))
		databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
		var round survey.Round
		databasetest.Must(t, db.Where("status <> ?", survey.RoundScheduled).Take(&round).Error)
		if round.Status != survey.RoundClosed {
			t.Fatalf("round is %s at its deadline, want closed", round.Status)
		}
		expectOps(t, srv.Client(t).Get(link.Path), http.StatusGone)
		c = opsClient(t, srv, "consultant@accord.test") // the first session has expired
		expectOps(t, c.Get("/orgs/acme/rounds"), http.StatusOK, "<td>closed</td>", "<td>3</td>", "<td>1</td>", "33.3%")
	})
}

func noDuplicates(t *testing.T, ms []mailtest.Summary) {
	t.Helper()
	for id, n := range mailtest.ByMessageID(ms) {
		if n != 1 {
			t.Errorf("Message-ID %s delivered %d times", id, n)
		}
	}
}

func to(ms []mailtest.Summary) string {
	var addrs []string
	for _, m := range ms {
		for _, a := range m.To {
			addrs = append(addrs, a.Address)
		}
	}
	sort.Strings(addrs)
	return fmt.Sprint(addrs)
}

func find(t *testing.T, ms []mailtest.Summary, addr string) mailtest.Summary {
	t.Helper()
	for _, m := range ms {
		if len(m.To) == 1 && m.To[0].Address == addr {
			return m
		}
	}
	t.Fatalf("no message to %s", addr)
	return mailtest.Summary{}
}

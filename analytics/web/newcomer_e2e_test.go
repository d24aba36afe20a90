package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// newcomerRoster is the client's roster as a consultant would export it
// from their HR system: six in sales, six in product, two engineers.
const newcomerRoster = "email,name,function,team\n" +
	"sara@acme.test,Sara,sales,North\nsven@acme.test,Sven,sales,North\nsiri@acme.test,Siri,sales,South\n" +
	"saul@acme.test,Saul,sales,South\nsena@acme.test,Sena,sales,North\nsami@acme.test,Sami,sales,South\n" +
	"pia@acme.test,Pia,product,Core\npat@acme.test,Pat,product,Core\npol@acme.test,Pol,product,Growth\n" +
	"pim@acme.test,Pim,product,Growth\npeg@acme.test,Peg,product,Core\npru@acme.test,Pru,product,Growth\n" +
	"eve@acme.test,Eve,engineering,Platform\neli@acme.test,Eli,engineering,Platform\n"

// TestNewcomerEndToEnd is a new user's first journey, in Chromium, on an
// empty database of each kind: log in with the first admin's printed
// password, create an organisation, import its roster, start a round now,
// let the people answer through the links in the emails Mailpit received,
// close the round after confirming, and read the results on the dashboard.
func TestNewcomerEndToEnd(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	roster := filepath.Join(t.TempDir(), "acme-people.csv")
	databasetest.Must(t, os.WriteFile(roster, []byte(newcomerRoster), 0o600))
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		srv, mp := newcomerServer(t, db)
		admin, password, err := account.EnsureAdmin(ctx, db, "", "") // what `accord serve` prints on first start
		databasetest.Must(t, err)

		p := b.Open(t, srv.URL+"/")
		p.Type("#email", admin.Email)
		p.Type("#password", password)
		submit(t, p, `form button[type="submit"]`, http.StatusOK)
		expectText(t, p, "There is no organisation yet")

		submit(t, p, `main a[href="/orgs/new"]`, http.StatusOK)
		p.Type("#name", "Acme Widgets")
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "Created Acme Widgets.")

		p.Navigate(srv.URL + "/orgs/acme-widgets/people/import")
		p.Upload("#file", roster)
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "14 to create")
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "Import saved: 14 created, 0 updated.")

		p.Navigate(srv.URL + "/orgs/acme-widgets/rounds")
		submit(t, p, `main a[href="/orgs/acme-widgets/rounds/new"]`, http.StatusOK)
		p.AssertAccessible("serious")
		p.SetValue("#title", "First pulse")
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "Start First pulse?", "14 people will be invited")
		p.AssertAccessible("serious")
		submit(t, p, `main form[action="/orgs/acme-widgets/rounds"] button.primary`, http.StatusOK)
		expectText(t, p, "First pulse is open: 14 invitations are on their way.")

		invitations := mp.WaitFor(t, 14, time.Minute)
		noDuplicates(t, invitations)
		answered := 0
		for _, m := range invitations {
			addr := m.To[0].Address
			if addr == "eli@acme.test" || addr == "sami@acme.test" || addr == "pru@acme.test" {
				continue // not everybody answers
			}
			links := mailtest.Links(mp.Message(t, m.ID).Text)
			if len(links) != 1 {
				t.Fatalf("invitation to %s has links %v, want one", addr, links)
			}
			answerInBrowser(t, b, links[0], strings.HasPrefix(addr, "p"))
			answered++
		}

		p.Navigate(srv.URL + "/orgs/acme-widgets/rounds")
		expectText(t, p, fmt.Sprint(answered))
		for _, path := range []string{"/orgs/acme-widgets/rounds/new", "/orgs/acme-widgets/rounds"} {
			phone := b.Open(t, srv.URL+path, browsertest.Phone())
			if phone.ScrollsSideways() {
				t.Errorf("%s scrolls sideways on a phone: %v", path, phone.Overflowing())
			}
			phone.AssertAccessible("serious")
		}
		submit(t, p, `main a[href$="/close"]`, http.StatusOK)
		expectText(t, p, "Close First pulse now?", "The 3 people who have not answered yet", "from the 11 answers received")
		p.AssertAccessible("serious")
		if phone := b.Open(t, p.URL(), browsertest.Phone()); phone.ScrollsSideways() {
			t.Errorf("the confirmation scrolls sideways on a phone: %v", phone.Overflowing())
		}
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "The round is closed")

		p.Navigate(srv.URL + "/orgs/acme-widgets")
		expectText(t, p, "Completely aligned", "Response rate", "78.6%")
		p.AssertAccessible("serious")
		if text := p.Text("main"); strings.Contains(text, "No results yet") {
			t.Errorf("the dashboard shows no results after the close:\n%s", text)
		}
		p.AssertNoErrors()
		var rollups int64
		databasetest.Must(t, db.Model(&analytics.RollupRound{}).Count(&rollups).Error)
		if rollups != 1 {
			t.Errorf("%d rounds with rollups after the close, want 1", rollups)
		}
	})
}

// newcomerServer is the whole application on db: survey and analytics
// pages, a scheduler whose emails go through the outbox to a real Mailpit
// and whose closes compute the rollups, links pointing at the server.
func newcomerServer(t *testing.T, db *gorm.DB) (*webtest.Server, *mailtest.Mailpit) {
	t.Helper()
	outbox, mp := mailtest.MailpitOutbox(t, db)
	srv := sitetest.NewServer(t, db)
	base, _ := url.Parse(srv.URL)
	sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), base, slog.New(slog.NewTextHandler(io.Discard, nil)))
	databasetest.Must(t, err)
	sched.OnClose = analytics.ComputeOnClose
	srv.App.Scheduler, srv.App.Mail = sched, outbox
	return srv, mp
}

// answerInBrowser opens an emailed link and answers: product sees trust
// and process better than sales does.
func answerInBrowser(t *testing.T, b *browsertest.Browser, link string, product bool) {
	t.Helper()
	p := b.Open(t, link)
	level, agree := "3", "2"
	if product {
		level, agree = "2", "4"
	}
	p.Click(`input[name="A1"][value="` + level + `"]`)
	for _, item := range []string{"T1", "T2", "T3", "T4", "P1", "P2", "P3", "P4", "I1", "I2"} {
		p.Click(`input[name="` + item + `"][value="` + agree + `"]`)
	}
	submit(t, p, `main form button.primary`, http.StatusOK)
	expectText(t, p, "Thank you")
}

func noDuplicates(t *testing.T, ms []mailtest.Summary) {
	t.Helper()
	for id, n := range mailtest.ByMessageID(ms) {
		if n != 1 {
			t.Errorf("Message-ID %s delivered %d times", id, n)
		}
	}
}

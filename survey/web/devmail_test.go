package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/secrets"
	"accord/survey/webkit/webtest"
)

func TestDevMailShowsMailToAdminsOnly(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		org := webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustAccount(t, db, "admin@acme.test", account.RoleAdmin)
		webtest.MustAccount(t, db, "leader@acme.test", account.RoleLeader, org.ID)

		outbox := mailtest.DevOutbox(t, db) // no SMTP server: the development outbox
		link := "http://accord.test/s/" + secrets.NewToken()
		m := &mail.Message{Kind: mail.KindInvitation, To: "ana@acme.test", Subject: "Acme: how well do sales and product work together?",
			Text: "Hello <Ana>,\n\nYour personal link:\n" + link + "\n", HTML: "<p>unused</p>"}
		if err := outbox.EnqueueNow(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		mailtest.WaitSettled(t, db, 20*time.Second)

		if r := srv.Client(t).Get("/dev/mail"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Fatalf("anonymous /dev/mail = %d to %q, want a redirect to the login page", r.Status, r.Header.Get("Location"))
		}
		leader := srv.Client(t)
		leader.Login("leader@acme.test", webtest.Password)
		if r := leader.Get("/dev/mail"); r.Status != http.StatusNotFound || strings.Contains(r.Body, link) {
			t.Fatalf("leader /dev/mail = %d, want 404 without the link", r.Status)
		}
		admin := srv.Client(t)
		admin.Login("admin@acme.test", webtest.Password)
		r := admin.Get("/dev/mail")
		if r.Status != http.StatusOK {
			t.Fatalf("admin /dev/mail = %d", r.Status)
		}
		for _, want := range []string{"ana@acme.test", "Acme: how well do sales and product work together?",
			"http://accord.test" + mail.RespondentLinkWithheld, "Hello &lt;Ana&gt;,", "server log"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("/dev/mail does not show %q", want)
			}
		}
		// The survey link would let the admin read Ana's answers: it is
		// neither shown nor stored anywhere.
		token := strings.TrimPrefix(link, "http://accord.test/s/")
		if strings.Contains(r.Body, token) {
			t.Error("/dev/mail shows a respondent's survey link")
		}
		if found := scanDatabase(t, db, [][]byte{[]byte(token)}); found[token] != "" {
			t.Errorf("the survey link is stored in %s", found[token])
		}
	})
}

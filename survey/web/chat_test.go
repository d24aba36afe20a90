package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// TestChatWebhookSettings: a consultant connects Slack and Teams on the
// settings page; the page shows the addresses masked, the database holds
// them sealed (no part of the URL in the raw row), a leader sees only
// whether each is connected, a bad or plain-http address is refused with
// a message, and an address can be disconnected.
func TestChatWebhookSettings(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		org := webtest.MustOrg(t, db, "acme", "Acme")
		webtest.MustAccount(t, db, "cons@acme.test", account.RoleConsultant, org.ID)
		webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, org.ID)
		c := srv.Client(t)
		c.Login("cons@acme.test", webtest.Password)
		const slack = "https://hooks.slack.com/services/T0AAA/B0BBB/s3cretTokenXYZ9"
		const teams = "https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/d3f/s3cret"

		r := c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"slack": {slack}, "teams": {teams}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save = %d: %.500s", r.Status, r.Body)
		}
		page := c.Get("/orgs/acme/settings").Body
		for _, want := range []string{"https://hooks.slack.com/••••XYZ9", "https://acme.webhook.office.com/••••cret", "Disconnect Slack"} {
			if !strings.Contains(page, want) {
				t.Errorf("settings page lacks %q", want)
			}
		}
		for _, secret := range []string{"s3cretTokenXYZ9", "B0BBB", "IncomingWebhook"} {
			if strings.Contains(page, secret) {
				t.Errorf("settings page shows %q of a webhook URL", secret)
			}
		}
		var raw []string
		databasetest.Must(t, db.Raw("SELECT sealed_url FROM chat_webhooks ORDER BY service").Scan(&raw).Error)
		if len(raw) != 2 {
			t.Fatalf("%d webhook rows", len(raw))
		}
		for _, v := range raw {
			for _, part := range []string{"hooks.slack.com", "s3cret", "webhook.office.com", "https"} {
				if strings.Contains(v, part) {
					t.Errorf("stored webhook %q contains %q: not encrypted", v, part)
				}
			}
		}
		urls, err := survey.ChatWebhookURLs(t.Context(), db, org.ID)
		if err != nil || urls[survey.ChatSlack] != slack || urls[survey.ChatTeams] != teams {
			t.Errorf("opened webhooks = %v, %v", urls, err)
		}
		var audited int64
		databasetest.Must(t, db.Table("audit_entries").Where("action = ? AND target LIKE ?", survey.AuditChatWebhook, "%s3cret%").Count(&audited).Error)
		if audited != 0 {
			t.Error("the audit log holds a webhook URL")
		}

		lead := srv.Client(t)
		lead.Login("lead@acme.test", webtest.Password)
		lp := lead.Get("/orgs/acme/settings").Body
		if !strings.Contains(lp, "connected") || strings.Contains(lp, "hooks.slack.com") || strings.Contains(lp, "/settings/chat") {
			t.Errorf("leader's settings page: %.2000s", lp)
		}
		if r := lead.PostForm("/orgs/acme/settings/chat", url.Values{"_csrf": {lead.CSRF("/orgs/acme/settings")}, "slack": {""}, "remove_slack": {"true"}}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("a leader changed the webhooks: %d", r.Status)
		}

		for _, bad := range []string{"not a url", "http://hooks.slack.com/services/x", "http://127.0.0.1:9/slack", "https://user:pw@hooks.slack.com/x"} {
			r := c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"slack": {bad}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter the webhook") {
				t.Errorf("webhook %q: %d", bad, r.Status)
			}
		}
		r = c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"remove_slack": {"true"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("disconnect = %d", r.Status)
		}
		if urls, _ := survey.ChatWebhookURLs(t.Context(), db, org.ID); urls[survey.ChatSlack] != "" || urls[survey.ChatTeams] != teams {
			t.Errorf("after disconnecting Slack: %v", urls)
		}
	})
}

// TestChatWebhookLoopbackOnlyWithTestHook: http to a loopback address is
// accepted only when the server's ChatPolicy allows it, which only tests do.
func TestChatWebhookLoopbackOnlyWithTestHook(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db, func(a *webkit.App) { a.ChatPolicy.AllowLoopbackHTTP = true })
	webtest.MustOrg(t, db, "acme", "Acme")
	webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	c := srv.Client(t)
	c.Login("admin@accord.test", webtest.Password)
	if r := c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"teams": {"http://127.0.0.1:9/teams"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("loopback webhook with the test hook = %d", r.Status)
	}
	if r := c.Submit("/orgs/acme/settings", "/orgs/acme/settings/chat", url.Values{"teams": {"http://10.0.0.1/teams"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("non-loopback http webhook = %d", r.Status)
	}
}

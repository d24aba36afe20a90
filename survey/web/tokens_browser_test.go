package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accord/analytics/site/sitetest"
	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// TestBrowserTokensPage creates and revokes a token in a real browser on a
// phone and a desktop: no errors, no sideways scroll (the long token
// included), no serious accessibility violation, before and after.
func TestBrowserTokensPage(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv := sitetest.NewServer(t, db)
	twoTenants(t, db)
	for _, view := range []struct {
		name string
		opts []browsertest.Option
	}{{"phone", []browsertest.Option{browsertest.Phone()}}, {"desktop", nil}} {
		t.Run(view.name, func(t *testing.T) {
			p := browsertest.New(t).Open(t, srv.URL+"/login?next=/account/tokens", view.opts...)
			p.Type("#email", "lead-a@acme.test")
			p.Type("#password", webtest.Password)
			if status := p.ClickAndWait("button.primary"); status != http.StatusOK {
				t.Fatalf("log in: status %d", status)
			}
			if p.Text("h1") != "API tokens" {
				t.Fatalf("after login: %q", p.Text("h1"))
			}
			p.AssertAccessible("serious")
			p.Type("#name", "board report "+view.name)
			p.SetValue("#expires", "365")
			if status := p.ClickAndWait(`form[action="/account/tokens"] button.primary`); status != http.StatusCreated {
				t.Fatalf("create: status %d", status)
			}
			token := browsertest.Eval[string](p, `document.querySelector("#new-token").value`)
			if !strings.HasPrefix(token, "accord_") {
				t.Fatalf("new token %q", token)
			}
			if p.ScrollsSideways() {
				t.Errorf("the page with the new token scrolls sideways: %v", p.Overflowing())
			}
			p.AssertAccessible("serious")
			shoot(t, p, view.name+"_account_tokens")
			if status := p.ClickAndWait(`form[action="/account/tokens/revoke"] button`); status != http.StatusOK || !strings.Contains(p.Text("h1"), "Revoke the token") {
				t.Fatalf("revoke: status %d, %q; want the confirmation page", status, p.Text("h1"))
			}
			p.AssertAccessible("serious")
			if status := p.ClickAndWait(`form[action="/account/tokens/revoke"] button.primary`); status != http.StatusOK {
				t.Fatalf("confirm revoke: status %d", status)
			}
			if !strings.Contains(p.Text("main"), "The token is revoked") || p.Count("#new-token") != 0 {
				t.Errorf("after revoking: %q", p.Text("main"))
			}
			p.AssertNoErrors()
		})
	}
}

package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// TestBrowserAccountPages opens the account, audit and password pages on a
// phone and a desktop as a person would: logged in through the form, every
// page without errors or CSP violations, none scrolling sideways, no
// serious accessibility violation, the current page marked in the
// navigation. With ACCORD_TEST_SCREENSHOTS=dir it leaves screenshots.
func TestBrowserAccountPages(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv := accountServer(t, db)
	twoTenants(t, db)
	for _, view := range []struct {
		name string
		opts []browsertest.Option
	}{{"phone", []browsertest.Option{browsertest.Phone()}}, {"desktop", nil}} {
		t.Run(view.name, func(t *testing.T) {
			b := browsertest.New(t)
			p := b.Open(t, srv.URL+"/login", view.opts...)
			p.Type("#email", "admin@accord.test")
			p.Type("#password", webtest.Password)
			if status := p.ClickAndWait("button.primary"); status != http.StatusOK {
				t.Fatalf("log in: status %d", status)
			}
			for _, page := range []struct{ path, current string }{
				{"/orgs/acme/rounds", "Rounds"}, {"/accounts", "Accounts"}, {"/accounts/new", "Accounts"},
				{"/audit", "Audit log"}, {"/account/password", "Change password"},
			} {
				if status := p.Navigate(srv.URL + page.path); status != http.StatusOK {
					t.Fatalf("%s: status %d", page.path, status)
				}
				current := browsertest.Eval[string](p, `[...document.querySelectorAll("header [aria-current=page]")].map(e => e.textContent).join("|")`)
				if !strings.Contains(current, page.current) && !strings.Contains(p.Text(`header [aria-current="true"]`), page.current) {
					t.Errorf("%s: current page link %q, want %q", page.path, current, page.current)
				}
				if p.ScrollsSideways() {
					t.Errorf("%s scrolls sideways: %v", page.path, p.Overflowing())
				}
				p.AssertAccessible("serious")
				shoot(t, p, view.name+strings.ReplaceAll(page.path, "/", "_"))
			}
			p.AssertNoErrors()
			// The forgot-password page, logged out.
			q := browsertest.New(t).Open(t, srv.URL+"/password/forgot", view.opts...)
			q.Type("#email", "lead-a@acme.test")
			if status := q.ClickAndWait("button.primary"); status != http.StatusOK {
				t.Fatalf("forgot: status %d", status)
			}
			if !strings.Contains(q.Text("main"), "is on its way") {
				t.Errorf("forgot password answer: %q", q.Text("main"))
			}
			q.AssertAccessible("serious")
			q.AssertNoErrors()
		})
	}
}

func shoot(t *testing.T, p *browsertest.Page, name string) {
	if dir := os.Getenv("ACCORD_TEST_SCREENSHOTS"); dir != "" {
		p.Screenshot(filepath.Join(dir, name+".png"))
	}
}

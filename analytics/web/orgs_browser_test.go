package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// expectText fails unless the page's main text contains every part.
func expectText(t *testing.T, p *browsertest.Page, parts ...string) {
	t.Helper()
	text := p.Text("main")
	for _, part := range parts {
		if !strings.Contains(text, part) {
			t.Fatalf("%s: page lacks %q; it reads:\n%s", p.URL(), part, text)
		}
	}
}

// submit clicks sel, which submits a form, and checks the status of the page it leads to.
func submit(t *testing.T, p *browsertest.Page, sel string, want int) {
	t.Helper()
	if status := p.ClickAndWait(sel); status != want {
		t.Fatalf("%s on %s: status %d, want %d; page reads:\n%s", sel, p.URL(), status, want, p.Text("main"))
	}
}

// TestBrowserOrganisationLifecycle: a consultant with no client yet creates
// one through the form (a mistake first, then with a logo), changes its
// settings, archives and restores it, and deletes it after typing its slug.
// Every page is accessible and free of script errors.
func TestBrowserOrganisationLifecycle(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	logo := filepath.Join(t.TempDir(), "logo.png")
	databasetest.Must(t, os.WriteFile(logo, webtest.PNG(60, 20), 0o600))
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		webtest.MustAccount(t, db, "cora@consult.test", account.RoleConsultant)
		p := b.Open(t, srv.URL+"/orgs")
		p.Type("#email", "cora@consult.test")
		p.Type("#password", webtest.Password)
		submit(t, p, `form button[type="submit"]`, http.StatusOK)
		expectText(t, p, "There is no organisation yet")

		submit(t, p, `main a[href="/orgs/new"]`, http.StatusOK)
		p.AssertAccessible("serious")
		submit(t, p, `main form button.primary`, http.StatusUnprocessableEntity)
		expectText(t, p, "Some fields need your attention.", "Enter the organisation's name.")
		p.AssertAccessible("serious")

		p.Type("#name", "Acme Widgets")
		p.SetValue("#time_zone", "Europe/Berlin")
		p.Upload("#logo", logo)
		submit(t, p, `main form button.primary`, http.StatusOK)
		if !strings.HasSuffix(p.URL(), "/orgs/acme-widgets") {
			t.Fatalf("after creating: at %s, want the new organisation's page", p.URL())
		}
		expectText(t, p, "Created Acme Widgets.")
		p.AssertAccessible("serious")

		submit(t, p, `nav.org-nav a[href="/orgs/acme-widgets/settings"]`, http.StatusOK)
		if n := browsertest.Eval[int](p, `document.querySelector("img.org-logo").naturalWidth`); n != 60 {
			t.Errorf("the uploaded logo shows %d pixels wide, want 60", n)
		}
		p.SetValue("#min_group_size", "7")
		p.SetValue("#comment_threshold", "8")
		p.SetValue("#accent_color", "#7c3aed")
		submit(t, p, `main form button.primary`, http.StatusOK)
		expectText(t, p, "Saved the settings of Acme Widgets.")
		if v := browsertest.Eval[string](p, `document.querySelector("#min_group_size").value`); v != "7" {
			t.Errorf("minimum group size shows %q after saving 7", v)
		}
		p.AssertAccessible("serious")

		submit(t, p, `form[action$="/archive"] button`, http.StatusOK)
		expectText(t, p, "Archived Acme Widgets", "There is no organisation yet")
		if status := p.Navigate(srv.URL + "/portfolio"); status != http.StatusOK || strings.Contains(p.Text("main"), "Acme Widgets") {
			t.Errorf("portfolio (status %d) still lists the archived organisation", status)
		}
		p.Navigate(srv.URL + "/orgs")
		submit(t, p, `main a[href="/orgs/archived"]`, http.StatusOK)
		p.AssertAccessible("serious")
		submit(t, p, `form[action$="/restore"] button`, http.StatusOK)
		expectText(t, p, "Restored Acme Widgets.")

		submit(t, p, `nav.org-nav a[href="/orgs/acme-widgets/settings"]`, http.StatusOK)
		p.Type("#confirm", "Acme Widgets")
		submit(t, p, `button.danger`, http.StatusUnprocessableEntity)
		expectText(t, p, "Type acme-widgets exactly to confirm; nothing was deleted.")
		p.AssertAccessible("serious")
		p.SetValue("#confirm", "acme-widgets")
		submit(t, p, `button.danger`, http.StatusOK)
		expectText(t, p, "Deleted Acme Widgets and everything of it", "There is no organisation yet")
		p.AssertNoErrors()
	})
}

// TestBrowserOrganisationPagesOnPhone: the organisation pages fit a phone
// (no sideways scroll) and are accessible, the leader's read-only settings
// included.
func TestBrowserOrganisationPagesOnPhone(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db)
	org, err := survey.CreateOrganisation(t.Context(), db, nil, survey.OrgInput{Name: "Acme Widgets International", AccentColor: "#7c3aed", Logo: webtest.PNG(300, 100)})
	databasetest.Must(t, err)
	webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
	for who, pages := range map[string][]string{
		"root@accord.test": {"/orgs", "/orgs/new", "/orgs/" + org.Slug + "/settings", "/orgs/archived", "/orgs/" + org.Slug},
		"lee@acme.test":    {"/orgs/" + org.Slug + "/settings"},
	} {
		// A browser each: its tabs would share the first one's session.
		p := browsertest.New(t).Open(t, srv.URL+"/login", browsertest.Phone())
		logInAs(t, p, who)
		for _, page := range pages {
			if status := p.Navigate(srv.URL + page); status != http.StatusOK {
				t.Fatalf("%s as %s: status %d", page, who, status)
			}
			if p.ScrollsSideways() {
				t.Errorf("%s as %s scrolls sideways on a phone: %v", page, who, p.Overflowing())
			}
			p.AssertAccessible("serious")
			screenshot(t, p, "phone-"+strings.Split(who, "@")[0]+strings.ReplaceAll(page, "/", "_"))
		}
		p.AssertNoErrors()
	}
}

package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

var breadcrumb = regexp.MustCompile(`<p class="breadcrumb">(.*?)</p>`)

// TestOrgPagesBreadcrumbs: the organisation's top pages lead back to its
// dashboard, not to one another; pages below them lead to their parent.
func TestOrgPagesBreadcrumbs(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv, _ := rosterServer(t, db)
	c := rosterClient(t, srv, "consultant@accord.test")
	for page, want := range map[string]string{
		"/orgs/acme/rounds":        `<a href="/orgs/acme">Acme</a>`,
		"/orgs/acme/schedules":     `<a href="/orgs/acme">Acme</a>`,
		"/orgs/acme/instruments":   `<a href="/orgs/acme">Acme</a>`,
		"/orgs/acme/people":        `<a href="/orgs/acme">Acme</a>`,
		"/orgs/acme/settings":      `<a href="/orgs/acme">Acme</a>`,
		"/orgs/acme/schedules/new": `<a href="/orgs/acme">Acme</a> › <a href="/orgs/acme/schedules">Schedules</a>`,
		"/orgs/acme/people/new":    `<a href="/orgs/acme">Acme</a> › <a href="/orgs/acme/people">People</a>`,
	} {
		r := c.Get(page)
		m := breadcrumb.FindStringSubmatch(r.Body)
		if r.Status != http.StatusOK || m == nil || m[1] != want {
			t.Errorf("%s: status %d, breadcrumb %q, want %q", page, r.Status, m, want)
		}
	}
}

// TestFunctionsReadAsNames: the roster stores "sales"; people read "Sales".
func TestFunctionsReadAsNames(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, database.SQLite)
	srv, acme := rosterServer(t, db)
	_, err := roster.CreatePerson(t.Context(), db, acme.ID, roster.PersonInput{Email: "ann@acme.test", Function: "sales"})
	databasetest.Must(t, err)
	c := rosterClient(t, srv, "consultant@accord.test")
	expectPage(t, c.Get("/orgs/acme/people"), http.StatusOK, "<td>Sales</td>", `<option value="product">Product</option>`)
	expectPage(t, c.Get("/orgs/acme/people/new"), http.StatusOK, `<option value="sales">Sales</option>`)
	expectPage(t, c.Get("/orgs/acme/schedules/new"), http.StatusOK, `value="engineering"> <span>Engineering</span>`)
}

package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// twoTenants is Acme and Beta with a consultant and a leader each, and an admin.
func twoTenants(t *testing.T, db *gorm.DB) (*survey.Organisation, *survey.Organisation) {
	t.Helper()
	acme, beta := webtest.MustOrg(t, db, "acme", "Acme"), webtest.MustOrg(t, db, "beta", "Beta")
	webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	webtest.MustAccount(t, db, "cons-a@accord.test", account.RoleConsultant, acme.ID)
	webtest.MustAccount(t, db, "lead-a@acme.test", account.RoleLeader, acme.ID)
	webtest.MustAccount(t, db, "lead-b@beta.test", account.RoleLeader, beta.ID)
	return acme, beta
}

func TestAdminInvitesAndChangesAccounts(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := accountServer(t, db)
		acme, beta := twoTenants(t, db)
		c := opsClient(t, srv, "admin@accord.test")
		expectOps(t, c.Get("/accounts/new"), http.StatusOK, `value="admin"`, `value="consultant"`, `value="leader"`, ">Acme<", ">Beta<")
		r := c.Submit("/accounts/new", "/accounts", url.Values{"email": {""}, "role": {"leader"}})
		expectOps(t, r, http.StatusUnprocessableEntity, `id="email-error"`, `aria-invalid="true"`, "Choose the organisation this leader will see.")
		r = c.Submit("/accounts/new", "/accounts", url.Values{"email": {"New.Cons@accord.test"}, "role": {"consultant"},
			"orgs": {fmt.Sprint(acme.ID), fmt.Sprint(beta.ID)}})
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, c.Get("/accounts"), http.StatusOK, "Invitation sent to new.cons@accord.test", "new.cons@accord.test", "Acme, Beta", "Invited, no password yet")
		emailedLink(t, db, "new.cons@accord.test")
		r = c.Submit("/accounts/new", "/accounts", url.Values{"email": {"lead-a@acme.test"}, "role": {"leader"}, "orgs": {fmt.Sprint(acme.ID)}})
		expectOps(t, r, http.StatusConflict, "An account for lead-a@acme.test already exists.")

		var lead account.Account
		databasetest.Must(t, db.Where("email = ?", "lead-a@acme.test").Take(&lead).Error)
		edit := fmt.Sprintf("/accounts/%d/edit", lead.ID)
		r = c.Submit(edit, fmt.Sprintf("/accounts/%d", lead.ID), url.Values{"role": {"consultant"}, "orgs": {fmt.Sprint(beta.ID)}})
		expectOps(t, r, http.StatusSeeOther)
		leadC := opsClient(t, srv, "lead-a@acme.test")
		expectOps(t, leadC.Get("/orgs/beta/people"), http.StatusOK)
		expectOps(t, leadC.Get("/orgs/acme"), http.StatusNotFound)
		r = c.Submit(edit, fmt.Sprintf("/accounts/%d/remove", lead.ID), nil)
		expectOps(t, r, http.StatusOK, "Remove lead-a@acme.test?", "deleted: they are logged out at once")
		expectOps(t, leadC.Get("/orgs/beta/people"), http.StatusOK) // asking removed nothing
		r = c.Submit(edit, fmt.Sprintf("/accounts/%d/remove", lead.ID), url.Values{"confirm": {"yes"}})
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, leadC.Get("/orgs"), http.StatusSeeOther)
	})
}

func TestConsultantManagesTheLeadersOfTheirOrganisations(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := accountServer(t, db)
		acme, beta := twoTenants(t, db)
		c := opsClient(t, srv, "cons-a@accord.test")
		form := c.Get("/accounts/new")
		expectOps(t, form, http.StatusOK, `<input type="hidden" name="role" value="leader">`, ">Acme<")
		for _, absent := range []string{">Beta<", `value="admin"`, `value="consultant"`} {
			if strings.Contains(form.Body, absent) {
				t.Errorf("consultant's invite form offers %s", absent)
			}
		}
		r := c.Submit("/accounts/new", "/accounts", url.Values{"email": {"x@beta.test"}, "role": {"leader"}, "orgs": {fmt.Sprint(beta.ID)}})
		expectOps(t, r, http.StatusUnprocessableEntity, "Choose among the organisations listed.")
		r = c.Submit("/accounts/new", "/accounts", url.Values{"email": {"x@acme.test"}, "role": {"consultant"}, "orgs": {fmt.Sprint(acme.ID)}})
		expectOps(t, r, http.StatusUnprocessableEntity, "As a consultant you can invite leaders only.")
		list := c.Get("/accounts")
		expectOps(t, list, http.StatusOK, "lead-a@acme.test")
		main := list.Body[strings.Index(list.Body, "<main"):] // the header names the viewer
		for _, absent := range []string{"lead-b@beta.test", "admin@accord.test", "cons-a@accord.test"} {
			if strings.Contains(main, absent) {
				t.Errorf("consultant's account list shows %s", absent)
			}
		}
		var leadA, leadB account.Account
		db.Where("email = ?", "lead-a@acme.test").Take(&leadA)
		db.Where("email = ?", "lead-b@beta.test").Take(&leadB)
		expectOps(t, c.Get(fmt.Sprintf("/accounts/%d/edit", leadB.ID)), http.StatusNotFound)
		r = c.Submit("/accounts", fmt.Sprintf("/accounts/%d", leadA.ID), url.Values{"role": {"consultant"}, "orgs": {fmt.Sprint(acme.ID)}})
		expectOps(t, r, http.StatusForbidden, "Only administrators can change")
		r = c.Submit(fmt.Sprintf("/accounts/%d/edit", leadA.ID), fmt.Sprintf("/accounts/%d/remove", leadA.ID), url.Values{"confirm": {"yes"}})
		expectOps(t, r, http.StatusSeeOther)
		r = srv.Client(t).Submit("/login", "/login", url.Values{"email": {"lead-a@acme.test"}, "password": {webtest.Password}})
		expectOps(t, r, http.StatusUnauthorized)
	})
}

// navLinks returns the header's links with their aria-current values.
func navLinks(body string) map[string]string {
	header := body[:strings.Index(body, "</header>")]
	links := map[string]string{}
	for _, m := range regexp.MustCompile(`<a href="([^"]+)"(?: aria-current="([a-z]+)")?>([^<]+)</a>`).FindAllStringSubmatch(header, -1) {
		links[m[3]] = m[2]
	}
	return links
}

func TestNavigationFollowsTheRole(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		twoTenants(t, db)
		for _, c := range []struct {
			who, page string
			want      map[string]string // link label → aria-current
			absent    []string
		}{
			{"lead-a@acme.test", "/orgs/acme/rounds",
				map[string]string{"Organisations": "true", "Dashboard": "", "Rounds": "page", "Schedules": "", "Change password": ""},
				[]string{"People", "Questions", "Accounts", "Audit log", "Dev mail"}},
			{"cons-a@accord.test", "/orgs/acme/people/new",
				map[string]string{"Dashboard": "", "People": "true", "Questions": "", "Accounts": "", "Audit log": ""},
				[]string{"Dev mail"}},
			{"admin@accord.test", "/accounts",
				map[string]string{"Accounts": "page", "Audit log": "", "Dev mail": ""},
				[]string{"Dashboard", "Rounds"}}, // no organisation on this page
		} {
			r := opsClient(t, srv, c.who).Get(c.page)
			expectOps(t, r, http.StatusOK)
			links := navLinks(r.Body)
			for label, current := range c.want {
				if got, ok := links[label]; !ok || got != current {
					t.Errorf("%s on %s: link %q aria-current %q (present %v), want %q", c.who, c.page, label, got, ok, current)
				}
			}
			for _, label := range c.absent {
				if _, ok := links[label]; ok {
					t.Errorf("%s on %s: link %q shown", c.who, c.page, label)
				}
			}
		}
	})
}

func TestAuditPage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		_, beta := twoTenants(t, db)
		cons := opsClient(t, srv, "cons-a@accord.test")
		for i := range audit.PerPage {
			r := cons.Submit("/orgs/acme/people/new", "/orgs/acme/people", url.Values{"email": {fmt.Sprintf("p%02d@acme.test", i)}, "function": {"sales"}})
			expectOps(t, r, http.StatusSeeOther)
		}
		_, err := roster.CreatePerson(t.Context(), db, beta.ID, roster.PersonInput{Email: "pat@beta.test", Function: "product"})
		databasetest.Must(t, err)
		expectOps(t, cons.Get("/orgs/acme/people.csv"), http.StatusOK)
		page := cons.Get("/audit")
		expectOps(t, page, http.StatusOK, "roster.export", "roster.create", "p49@acme.test", "cons-a@accord.test", "127.0.0.1", `rel="next"`)
		if strings.Contains(page.Body, "pat@beta.test") || strings.Contains(page.Body, "account.login") {
			t.Error("a consultant reads another tenant's or instance-wide entries")
		}
		older := cons.Get("/audit?page=2")
		expectOps(t, older, http.StatusOK, "p00@acme.test", `rel="prev"`)
		expectOps(t, cons.Get("/audit?org=beta"), http.StatusNotFound)
		admin := opsClient(t, srv, "admin@accord.test")
		expectOps(t, admin.Get("/audit?org=beta"), http.StatusOK, "pat@beta.test")
		expectOps(t, admin.Get("/audit"), http.StatusOK, "account.login")
		expectOps(t, opsClient(t, srv, "lead-a@acme.test").Get("/audit"), http.StatusNotFound)
	})
}

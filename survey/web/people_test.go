package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// rosterServer starts a server with organisation acme, an admin, a
// consultant and a leader of acme, and a consultant of another organisation.
func rosterServer(t *testing.T, db *gorm.DB) (*webtest.Server, *survey.Organisation) {
	t.Helper()
	srv := sitetest.NewServer(t, db)
	acme := webtest.MustOrg(t, db, "acme", "Acme")
	globex := webtest.MustOrg(t, db, "globex", "Globex")
	webtest.MustAccount(t, db, "root@accord.test", account.RoleAdmin)
	webtest.MustAccount(t, db, "consultant@accord.test", account.RoleConsultant, acme.ID)
	webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, acme.ID)
	webtest.MustAccount(t, db, "other@accord.test", account.RoleConsultant, globex.ID)
	return srv, acme
}

func rosterClient(t *testing.T, srv *webtest.Server, email string) *webtest.Client {
	t.Helper()
	c := srv.Client(t)
	c.Login(email, webtest.Password)
	return c
}

func expectPage(t *testing.T, r webtest.Response, wantStatus int, parts ...string) {
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

func TestRosterPages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _ := rosterServer(t, db)
		c := rosterClient(t, srv, "consultant@accord.test")
		expectPage(t, c.Get("/orgs/acme/people"), http.StatusOK, "The roster is empty")

		add := func(form url.Values) webtest.Response {
			return c.Submit("/orgs/acme/people/new", "/orgs/acme/people", form)
		}
		r := add(url.Values{"email": {"ann.acme.test"}, "name": {"Ann"}, "function": {"wizard"}})
		expectPage(t, r, http.StatusUnprocessableEntity,
			`id="email-error">&#34;ann.acme.test&#34; is not a valid email address`,
			`id="function-error">Unknown function &#34;wizard&#34;`,
			`aria-invalid="true"`, `value="Ann"`)

		r = add(url.Values{"email": {"Ann@Acme.test"}, "name": {"Ann"}, "function": {"sales"}, "team": {"East"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs/acme/people" {
			t.Fatalf("add = %d to %q", r.Status, r.Header.Get("Location"))
		}
		expectPage(t, c.Get("/orgs/acme/people"), http.StatusOK, "Added ann@acme.test to the roster.", "ann@acme.test", "East")

		r = add(url.Values{"email": {"ANN@acme.test"}, "function": {"product"}})
		expectPage(t, r, http.StatusConflict, `id="email-error">ann@acme.test is already on this roster.`)

		var ann roster.Person
		databasetest.Must(t, db.Where("email = ?", "ann@acme.test").Take(&ann).Error)
		edit := "/orgs/acme/people/" + rosterID(ann.ID)
		expectPage(t, c.Get(edit+"/edit"), http.StatusOK, `value="ann@acme.test"`, `<option value="sales" selected>`)
		r = c.Submit(edit+"/edit", edit, url.Values{"email": {"ann@acme.test"}, "name": {"Ann Lee"}, "function": {"product"}, "team": {"Platform"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("edit = %d: %.400s", r.Status, r.Body)
		}
		expectPage(t, c.Get("/orgs/acme/people?function=product"), http.StatusOK, "Ann Lee", "Platform", "Changes apply to rounds that start from now on.")

		r = c.Submit("/orgs/acme/people", edit+"/active", url.Values{"active": {"false"}, "return": {"/orgs/acme/people?status=inactive"}})
		expectPage(t, r, http.StatusOK, "Deactivate ann@acme.test?", "gets no more invitations or reminders", `name="confirm" value="yes"`,
			`name="return" value="/orgs/acme/people?status=inactive"`)
		r = c.Submit("/orgs/acme/people", edit+"/active", url.Values{"active": {"false"}, "return": {"/orgs/acme/people?status=inactive"}, "confirm": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs/acme/people?status=inactive" {
			t.Fatalf("deactivate = %d to %q", r.Status, r.Header.Get("Location"))
		}
		expectPage(t, c.Get("/orgs/acme/people?status=inactive"), http.StatusOK, "is deactivated and gets no more invitations", "<strong>Deactivated</strong>", "Reactivate")
		databasetest.Must(t, db.Take(&ann, ann.ID).Error)
		if ann.Active {
			t.Fatal("person still active after deactivation")
		}

		other := rosterClient(t, srv, "other@accord.test")
		if r := other.Get("/orgs/acme/people"); r.Status != http.StatusNotFound {
			t.Fatalf("consultant of another organisation sees the roster: %d", r.Status)
		}
		if r := other.Submit("/orgs", edit+"/active", url.Values{"active": {"true"}}); r.Status != http.StatusNotFound {
			t.Fatalf("consultant of another organisation reactivates: %d", r.Status)
		}
	})
}

func TestRosterIsPaginated(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		people := make([]roster.Person, 130)
		for i := range people {
			people[i] = roster.Person{OrgID: acme.ID, Email: "p" + rosterID(int64(1000+i)) + "@acme.test", Name: "P" + rosterID(int64(1000+i)), Function: "sales", Active: true}
		}
		databasetest.Must(t, db.Create(&people).Error)
		c := rosterClient(t, srv, "root@accord.test")
		r := c.Get("/orgs/acme/people")
		expectPage(t, r, http.StatusOK, "130 people, page 1 of 3", `href="/orgs/acme/people?page=2" rel="next"`, "P1049")
		if strings.Contains(r.Body, "P1050") {
			t.Fatal("first page lists more than 50 people")
		}
		expectPage(t, c.Get("/orgs/acme/people?q=p11&page=1"), http.StatusOK, "30 people match.")
	})
}

func TestLeaderNeverSeesThePeoplePages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		p, err := roster.CreatePerson(t.Context(), db, acme.ID, roster.PersonInput{Email: "ann@acme.test", Function: "sales"})
		databasetest.Must(t, err)
		c := rosterClient(t, srv, "lead@acme.test")
		for _, path := range []string{"/orgs/acme/people", "/orgs/acme/people.csv", "/orgs/acme/people/new",
			"/orgs/acme/people/import", "/orgs/acme/people/" + rosterID(p.ID) + "/edit"} {
			if r := c.Get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "ann@acme.test") {
				t.Errorf("leader GET %s = %d, want 404 without the roster", path, r.Status)
			}
		}
		for _, path := range []string{"/orgs/acme/people", "/orgs/acme/people/" + rosterID(p.ID), "/orgs/acme/people/" + rosterID(p.ID) + "/active"} {
			r := c.Submit("/orgs", path, url.Values{"email": {"x@acme.test"}, "function": {"sales"}, "active": {"false"}})
			if r.Status != http.StatusNotFound {
				t.Errorf("leader POST %s = %d, want 404", path, r.Status)
			}
		}
		var n int64
		db.Model(&roster.Person{}).Where("active = ?", true).Count(&n)
		if n != 1 {
			t.Fatalf("leader changed the roster: %d active people", n)
		}
	})
}

// uploadRoster posts content as the file field of the import form, with the
// CSRF token a browser would send.
func uploadRoster(t *testing.T, srv *webtest.Server, c *webtest.Client, name string, content []byte) webtest.Response {
	t.Helper()
	token := c.CSRF("/orgs/acme/people/import")
	return c.PostMultipart("/orgs/acme/people/import", url.Values{"_csrf": {token}}, "file", name, content)
}

var rosterDraftField = regexp.MustCompile(`name="draft" value="([^"]+)"`)

func TestImportPreviewThenSave(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		_, err := roster.CreatePerson(t.Context(), db, acme.ID, roster.PersonInput{Email: "ann@acme.test", Name: "Ann", Function: "sales", Team: "East"})
		databasetest.Must(t, err)
		c := rosterClient(t, srv, "root@accord.test")
		file := "\uFEFFEmail;Name;Function;Team\nANN@ACME.TEST;Ann;product;East\nbob@acme.test;Bob;engineering;Platform\n"
		r := uploadRoster(t, srv, c, "roster.csv", []byte(file))
		expectPage(t, r, http.StatusOK, "Preview of roster.csv", "1 to create", "1 to update", "0 unchanged",
			"bob@acme.test", "function: “sales” → “product”", "Confirm import")
		var n int64
		db.Model(&roster.Person{}).Count(&n)
		if n != 1 {
			t.Fatalf("the preview saved something: %d people", n)
		}
		m := rosterDraftField.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no draft in the confirm form")
		}
		r = c.Submit("/orgs/acme/people", "/orgs/acme/people/import/confirm", url.Values{"draft": {m[1]}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirm = %d: %.500s", r.Status, r.Body)
		}
		expectPage(t, c.Get("/orgs/acme/people"), http.StatusOK, "Import saved: 1 created, 1 updated.")
		var people []roster.Person
		databasetest.Must(t, db.Order("email").Find(&people).Error)
		if len(people) != 2 || people[0].Function != "product" || people[1].Team != "Platform" {
			t.Fatalf("roster after import = %+v", people)
		}
	})
}

func TestImportOfABadFileShowsEveryErrorAndSavesNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		c := rosterClient(t, srv, "consultant@accord.test")
		bad := "email,name,function,team\n" +
			"ann@acme.test,Ann,sales,East\n" +
			",Bob,product,West\n" +
			"carl@acme.test,Carl,wizard,East\n" +
			"ANN@acme.test,Ann B,sales,East\n" +
			"dora@acme.test,=cmd|' /C calc'!A0,product,East\n"
		r := uploadRoster(t, srv, c, "bad.csv", []byte(bad))
		expectPage(t, r, http.StatusUnprocessableEntity, "0 to create", "5 problems", "Nothing can be saved",
			"<td>2</td><td>email</td><td>ann@acme.test appears again on line 5",
			"<td>3</td><td>email</td><td>The email address is missing.",
			"<td>4</td><td>function</td><td>Unknown function &#34;wizard&#34;",
			"<td>5</td><td>email</td><td>ann@acme.test already appears on line 2",
			"<td>6</td><td>name</td><td>Starts with &#34;=&#34;: spreadsheet programs treat such a cell as a formula")
		if strings.Contains(r.Body, "Confirm import") || strings.Contains(r.Body, `name="draft"`) {
			t.Fatal("a file with problems can be confirmed")
		}

		// Even a correctly signed draft of a bad file is refused, and so is
		// one that was not signed by the server.
		signed, err := roster.SealImport(webtest.Secret, acme.ID, srv.Clock.Now(), []byte(bad))
		databasetest.Must(t, err)
		for name, draft := range map[string]string{"signed": signed, "unsigned": bad} {
			r := c.Submit("/orgs/acme/people", "/orgs/acme/people/import/confirm", url.Values{"draft": {draft}})
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s confirm of a bad file = %d, want 400", name, r.Status)
			}
		}
		var n int64
		db.Model(&roster.Person{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d people saved from a bad file", n)
		}
	})
}

func TestImportRefusesLargeAndMissingFiles(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _ := rosterServer(t, db)
		c := rosterClient(t, srv, "root@accord.test")
		big := append([]byte("email,function\n"), bytes.Repeat([]byte("x"), roster.MaxImportBytes)...)
		expectPage(t, uploadRoster(t, srv, c, "big.csv", big), http.StatusRequestEntityTooLarge,
			`id="file-error">big.csv is 5.0 MB; files up to 5 MB are accepted.`)
		r := c.Submit("/orgs/acme/people/import", "/orgs/acme/people/import", nil)
		expectPage(t, r, http.StatusUnprocessableEntity, "Choose a CSV file to upload.")
	})
}

func TestExportNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		databasetest.Must(t, db.Create(&roster.Person{OrgID: acme.ID, Email: "ann@acme.test", Name: "=cmd|' /C calc'!A0",
			Function: "sales", Team: "Team, \"A\"", Active: true}).Error)
		c := rosterClient(t, srv, "consultant@accord.test")
		r := c.Get("/orgs/acme/people.csv")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			r.Header.Get("Content-Disposition") != `attachment; filename=acme-people-2026-03-10.csv` {
			t.Fatalf("export = %d, %q, %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("export is not valid CSV: %v", err)
		}
		if len(records) != 2 || records[1][1] != "'=cmd|' /C calc'!A0" || records[1][3] != `Team, "A"` {
			t.Fatalf("export records = %q", records)
		}
	})
}

func rosterID(id int64) string { return strconv.FormatInt(id, 10) }

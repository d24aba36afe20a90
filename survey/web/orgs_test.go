package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// postOrgForm posts the create or settings form as a browser would:
// multipart, with the page's CSRF token and, when logo is set, a file.
func postOrgForm(c *webtest.Client, page, action string, form url.Values, logoName string, logo []byte) webtest.Response {
	f := c.Hidden(page)
	for k, v := range form {
		f[k] = v
	}
	field := ""
	if logo != nil {
		field = "logo"
	}
	return c.PostMultipart(action, f, field, logoName, logo)
}

func expectRedirect(t *testing.T, r webtest.Response, to string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != to {
		t.Fatalf("status %d to %q, want 303 to %q; body: %.600s", r.Status, r.Header.Get("Location"), to, r.Body)
	}
}

func TestCreateOrganisation(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, _ := rosterServer(t, db)
		c := rosterClient(t, srv, "consultant@accord.test")
		expectPage(t, c.Get("/orgs"), http.StatusOK, `href="/orgs/new"`)

		r := postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {" "}, "time_zone": {"Mars/Base"}, "min_group_size": {"2"},
			"comment_threshold": {"x"}, "accent_color": {"blue"}}, "", nil)
		expectPage(t, r, http.StatusUnprocessableEntity, `id="name-error">Enter the organisation`, `id="time_zone-error">&#34;Mars/Base&#34; is not a time zone`,
			`id="min_group_size-error">The minimum group size must be a whole number from 3 to 100`, `id="comment_threshold-error"`,
			`id="accent_color-error"`, `aria-invalid="true"`, `value="Mars/Base"`)
		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Café"}, "min_group_size": {"7"}, "comment_threshold": {"6"}}, "", nil)
		expectPage(t, r, http.StatusUnprocessableEntity, `id="comment_threshold-error">The comment threshold must be at least the minimum group size (7)`)
		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Café"}}, "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
		expectPage(t, r, http.StatusUnprocessableEntity, `id="logo-error">Upload the logo as a PNG or JPEG image`)

		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Café Déjà Vu"}, "time_zone": {"Europe/Berlin"},
			"min_group_size": {"6"}, "comment_threshold": {""}, "accent_color": {"#1D4ED8"}}, "logo.png", webtest.PNG(40, 20))
		expectRedirect(t, r, "/orgs/cafe-deja-vu")
		var org survey.Organisation
		databasetest.Must(t, db.Where("slug = ?", "cafe-deja-vu").Take(&org).Error)
		if org.Name != "Café Déjà Vu" || org.TimeZone != "Europe/Berlin" || org.MinGroupSize != 6 || org.CommentThreshold != 6 || org.AccentColor != "#1d4ed8" {
			t.Errorf("created %+v", org)
		}
		// The consultant who created it is its consultant: it is in their list.
		expectPage(t, c.Get("/orgs"), http.StatusOK, `<a href="/orgs/cafe-deja-vu">Café Déjà Vu</a>`)
		logo := c.Get("/orgs/cafe-deja-vu/logo")
		if logo.Status != http.StatusOK || logo.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(logo.Body, "\x89PNG") {
			t.Errorf("logo: status %d, type %q", logo.Status, logo.Header.Get("Content-Type"))
		}
		var audit audit.Entry
		databasetest.Must(t, db.Where("action = ? AND org_id = ?", survey.AuditOrgCreate, org.ID).Take(&audit).Error)

		// The same name again gets the next free slug; a typed slug that is taken is refused.
		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Cafe deja vu"}}, "", nil)
		expectRedirect(t, r, "/orgs/cafe-deja-vu-2")
		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Other"}, "slug": {"acme"}}, "", nil)
		expectPage(t, r, http.StatusConflict, `id="slug-error">Another organisation already uses &#34;acme&#34;`)
		r = postOrgForm(c, "/orgs/new", "/orgs", url.Values{"name": {"Other"}, "slug": {"new"}}, "", nil)
		expectPage(t, r, http.StatusUnprocessableEntity, `id="slug-error">&#34;new&#34; is the name of a page`)

		// Leaders create nothing; the other tenant's consultant does not see it.
		lead := rosterClient(t, srv, "lead@acme.test")
		expectPage(t, lead.Get("/orgs/new"), http.StatusForbidden, "Only administrators and consultants can create organisations")
		other := rosterClient(t, srv, "other@accord.test")
		expectPage(t, other.Get("/orgs/cafe-deja-vu/settings"), http.StatusNotFound)
		expectPage(t, other.Get("/orgs/cafe-deja-vu/logo"), http.StatusNotFound)
	})
}

func TestOrganisationSettings(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		c := rosterClient(t, srv, "consultant@accord.test")
		expectPage(t, c.Get("/orgs/acme/settings"), http.StatusOK, `value="Acme"`, `id="slug"`, `enctype="multipart/form-data"`)

		r := postOrgForm(c, "/orgs/acme/settings", "/orgs/acme/settings", url.Values{"name": {"Acme Europe"}, "slug": {"acme-eu"},
			"time_zone": {"Europe/Paris"}, "min_group_size": {"8"}, "comment_threshold": {"9"}}, "", nil)
		expectRedirect(t, r, "/orgs/acme-eu/settings")
		expectPage(t, c.Get("/orgs/acme-eu/settings"), http.StatusOK, "Saved the settings of Acme Europe.", `value="8"`, `value="9"`, `value="Europe/Paris"`)
		// New schedules start in the organisation's time zone.
		expectPage(t, c.Get("/orgs/acme-eu/schedules/new"), http.StatusOK, `name="time_zone" type="text" list="zones" autocomplete="off" value="Europe/Paris"`)
		var e audit.Entry
		databasetest.Must(t, db.Where("action = ? AND org_id = ?", survey.AuditOrgUpdate, acme.ID).Take(&e).Error)
		for _, want := range []string{"minimum group size 5 → 8", "comment threshold 5 → 9", "address acme → acme-eu"} {
			if !strings.Contains(e.Target, want) {
				t.Errorf("audit entry %q lacks %q", e.Target, want)
			}
		}

		// After the first round the slug is fixed.
		databasetest.Must(t, db.Create(&survey.Round{OrgID: acme.ID, InstrumentID: 1, Title: "R1", Status: survey.RoundScheduled,
			OpensAt: srv.Clock.Now(), ClosesAt: srv.Clock.Now().AddDate(0, 0, 7)}).Error)
		expectPage(t, c.Get("/orgs/acme-eu/settings"), http.StatusOK, "It no longer changes", `value="acme-eu" autocomplete="off" readonly`)
		r = postOrgForm(c, "/orgs/acme-eu/settings", "/orgs/acme-eu/settings", url.Values{"name": {"Acme Europe"}, "slug": {"acme"}}, "", nil)
		expectPage(t, r, http.StatusUnprocessableEntity, "The address name can no longer change")

		// Leaders read the settings and change nothing.
		lead := rosterClient(t, srv, "lead@acme.test")
		r = lead.Get("/orgs/acme-eu/settings")
		expectPage(t, r, http.StatusOK, "Only administrators and consultants can change these settings.", "<dd>8: no score is shown")
		if strings.Contains(r.Body, `action="/orgs/acme-eu/delete"`) || strings.Contains(r.Body, `name="name"`) {
			t.Error("a leader is shown a form to change or delete the organisation")
		}
		r = lead.PostForm("/orgs/acme-eu/settings", url.Values{"_csrf": {lead.CSRF("/orgs/acme-eu/settings")}, "name": {"Hacked"}})
		expectPage(t, r, http.StatusForbidden)
	})
}

func TestArchiveRestoreDeleteOrganisation(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		_, err := roster.CreatePerson(t.Context(), db, acme.ID, roster.PersonInput{Email: "ann@acme.test", Function: "sales"})
		databasetest.Must(t, err)
		c := rosterClient(t, srv, "root@accord.test")
		r := c.Submit("/orgs/acme/settings", "/orgs/acme/archive", nil)
		expectRedirect(t, r, "/orgs")
		r = c.Get("/orgs")
		expectPage(t, r, http.StatusOK, "Archived Acme", "Globex")
		if strings.Contains(r.Body, `href="/orgs/acme"`) {
			t.Error("an archived organisation is still listed")
		}
		expectPage(t, c.Get("/orgs/archived"), http.StatusOK, `action="/orgs/acme/restore"`)
		lead := rosterClient(t, srv, "lead@acme.test")
		if strings.Contains(lead.Get("/orgs").Body, `href="/orgs/acme"`) {
			t.Error("an archived organisation is still listed for its leader")
		}
		expectRedirect(t, c.Submit("/orgs/archived", "/orgs/acme/restore", nil), "/orgs/acme")
		expectPage(t, c.Get("/orgs"), http.StatusOK, `href="/orgs/acme"`)

		r = c.Submit("/orgs/acme/settings", "/orgs/acme/delete", url.Values{"confirm": {"Acme"}})
		expectPage(t, r, http.StatusUnprocessableEntity, `id="confirm-error">Type acme exactly to confirm; nothing was deleted.`)
		r = c.Submit("/orgs/acme/settings", "/orgs/acme/delete", url.Values{"confirm": {"acme"}})
		expectRedirect(t, r, "/orgs")
		expectPage(t, c.Get("/orgs"), http.StatusOK, "Deleted Acme and everything of it: 1 person, 0 rounds and 0 responses.")
		expectPage(t, c.Get("/orgs/acme"), http.StatusNotFound)
		var e audit.Entry
		databasetest.Must(t, db.Where("action = ?", survey.AuditOrgDelete).Take(&e).Error)
		if e.OrgID != nil || !strings.Contains(e.Target, "Acme (acme)") {
			t.Errorf("deletion audited as %+v", e)
		}
	})
}

package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/export/exporttest"
	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// evilName is an organisation named like a script.
const evilName = "</script><script>alert(1)</script>"

// portfolioWorld is three client organisations (one named like a script),
// a consultant of the first two, a leader of the first and an admin.
type portfolioWorld struct {
	srv  *webtest.Server
	orgs []*survey.Organisation
}

func newPortfolioWorld(t *testing.T, db *gorm.DB) *portfolioWorld {
	t.Helper()
	w := &portfolioWorld{}
	for _, c := range []exporttest.Client{
		{Slug: "acme", Name: "Acme Widgets", Seed: 1, Aligned: 0.05},
		{Slug: "evil", Name: evilName, Team: evilName, Seed: 2, Aligned: 0.3},
		{Slug: "other", Name: "Other Client", Seed: 3},
	} {
		w.orgs = append(w.orgs, exporttest.MustClient(t, db, c))
	}
	webtest.MustAccount(t, db, "con@accord.test", account.RoleConsultant, w.orgs[0].ID, w.orgs[1].ID)
	webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, w.orgs[0].ID)
	webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	w.srv = sitetest.NewServer(t, db)
	return w
}

// rolledUp computes the organisations' rollups before a browser first
// reads them, as the server's background loop and earlier readers would
// have: a layout test then does not hang on the first computation racing
// the page deadline on a loaded machine.
func (w *portfolioWorld) rolledUp(t *testing.T) *portfolioWorld {
	t.Helper()
	databasetest.Must(t, analytics.RollupAll(t.Context(), w.srv.DB, w.srv.Clock.Now()))
	return w
}

func (w *portfolioWorld) as(t *testing.T, email string) *webtest.Client {
	t.Helper()
	c := w.srv.Client(t)
	c.Login(email, webtest.Password)
	return c
}

var rowLabels = regexp.MustCompile(`<th scope="row">(?:<a href="[^"]*">)?([^<]*)`)

func labels(body string) []string {
	var out []string
	for _, m := range rowLabels.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestPortfolioPage(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPortfolioWorld(t, db)
		con := w.as(t, "con@accord.test")
		r := con.Get("/portfolio")
		if r.Status != http.StatusOK {
			t.Fatalf("GET /portfolio: %d %s", r.Status, r.Body)
		}
		escaped := "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
		if got := labels(r.Body)[:2]; got[0] != escaped || got[1] != "Acme Widgets" {
			t.Errorf("rows %q, want the consultant's two organisations by name (the script-like name escaped)", got)
		}
		if strings.Contains(r.Body, "Other Client") || strings.Contains(r.Body, "<script>alert") {
			t.Error("the page shows another consultant's client, or an unescaped script")
		}
		if !strings.Contains(r.Body, `href="/orgs/acme"`) || !strings.Contains(r.Body, `<svg class="spark"`) {
			t.Error("rows link to dashboards and draw sparklines")
		}

		// Sorting is a link: by share, highest first, puts the 30% client on top.
		r = con.Get("/portfolio?sort=share&dir=desc")
		if got := labels(r.Body); got[0] != escaped || !strings.Contains(r.Body, `aria-sort="descending"`) {
			t.Errorf("sorted by share, highest first: %q", got)
		}
		r = con.Get("/portfolio?sort=share")
		if got := labels(r.Body); got[0] != "Acme Widgets" {
			t.Errorf("sorted by share, lowest first: %q", got)
		}

		// Anonymous labels: no name, slug or round title left.
		r = con.Get("/portfolio?labels=anonymous")
		if got := labels(r.Body)[:2]; got[0] != "Client A" || got[1] != "Client B" {
			t.Errorf("anonymous rows %q, want Client A, Client B", got)
		}
		for _, leak := range []string{"Acme", "/orgs/acme", "/orgs/evil", "alert(1)", "Pulse 4"} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("the anonymised portfolio shows %q", leak)
			}
		}

		if r := w.as(t, "lee@acme.test").Get("/portfolio"); r.Status != http.StatusNotFound {
			t.Errorf("a leader's /portfolio: status %d, want 404", r.Status)
		}
		if got := labels(w.as(t, "admin@accord.test").Get("/portfolio").Body); len(got) < 3 {
			t.Errorf("the admin sees %q, want all three organisations", got)
		}
	})
}

// TestExportDownloads: who may download what, as what.
func TestExportDownloads(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPortfolioWorld(t, db)
		lee, con := w.as(t, "lee@acme.test"), w.as(t, "con@accord.test")
		today := w.srv.Clock.Now().Format(time.DateOnly)
		for _, tc := range []struct {
			who    *webtest.Client
			path   string
			status int
			file   string
		}{
			{lee, "/orgs/acme/export?format=xlsx", 200, "acme-aggregates-" + today + ".xlsx"},
			{lee, "/orgs/acme/export?format=csv", 200, "acme-aggregates-" + today + ".csv"},
			{lee, "/orgs/evil/export?format=csv", 404, ""},           // the leader of A cannot export B
			{lee, "/orgs/acme/export/responses?format=csv", 404, ""}, // leaders never get responses
			{lee, "/portfolio/export?format=xlsx", 404, ""},          // nor a portfolio
			{con, "/orgs/acme/export/responses?format=json", 200, "acme-responses-" + today + ".json"},
			{con, "/orgs/other/export?format=json", 404, ""},
			{con, "/orgs/acme/export?format=pdf", 400, ""},
			{con, "/portfolio/export?format=xlsx", 200, "portfolio-aggregates-" + today + ".xlsx"},
		} {
			r := tc.who.Get(tc.path)
			cd := r.Header.Get("Content-Disposition")
			if r.Status != tc.status {
				t.Errorf("GET %s: status %d, want %d", tc.path, r.Status, tc.status)
			}
			if tc.file == "" {
				if cd != "" {
					t.Errorf("GET %s: an error page arrives as a download (%s)", tc.path, cd)
				}
				continue
			}
			if want := fmt.Sprintf("attachment; filename=%s", tc.file); cd != want {
				t.Errorf("GET %s: Content-Disposition %q, want %q", tc.path, cd, want)
			}
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(con.Get("/portfolio/export?format=xlsx").Body)))
		databasetest.Must(t, err)
		defer f.Close()
		rows, err := f.GetRows("Aggregates")
		databasetest.Must(t, err)
		orgs := map[string]bool{}
		for _, r := range rows[1:] {
			orgs[r[0]] = true
		}
		if len(orgs) != 2 || !orgs["acme"] || !orgs["evil"] {
			t.Errorf("the portfolio workbook holds %v, want the consultant's two organisations", orgs)
		}
		var n int64
		databasetest.Must(t, db.Model(&audit.Entry{}).Where("action = ?", audit.AuditExport).Count(&n).Error)
		if n != 7 { // two by the leader, one of responses, two portfolio exports of two organisations
			t.Errorf("%d export audit entries, want 7", n)
		}
	})
}

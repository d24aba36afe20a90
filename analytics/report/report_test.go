package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/export/exporttest"
	"accord/analytics/report"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// scriptName is a name that would run if it reached a script unescaped.
const scriptName = "</script><script>alert(1)</script>"

func build(t *testing.T, db *gorm.DB, org *survey.Organisation) *report.Report {
	t.Helper()
	r, err := report.Build(t.Context(), db, org, 0, now)
	if err != nil {
		t.Fatalf("build report: %v", err)
	}
	return r
}

func render(t *testing.T, r *report.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatalf("write HTML: %v", err)
	}
	return buf.String()
}

// TestReportContents: every section is there with numbers from the
// dashboard, names are escaped, and the summary speaks plainly.
func TestReportContents(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Slug: "acme", Name: "Acme " + scriptName, Team: scriptName, Seed: 1})
		r := build(t, db, org)
		var ids []string
		for _, s := range r.Sections {
			ids = append(ids, s.ID)
		}
		if want := "comparison statements drivers trend indices gap groups rates"; strings.Join(ids, " ") != want {
			t.Errorf("sections %v, want %s", ids, want)
		}
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, now)
		databasetest.Must(t, err)
		m := d.Current.Measures
		first := fmt.Sprintf("In %s, %d of the %d people who answered (%.1f%%)", d.Round.Title, m.A1[0], m.A1N, 100*m.Share.Estimate)
		if !strings.HasPrefix(r.Summary[0], first) {
			t.Errorf("summary starts %q, want %q…", r.Summary[0], first)
		}
		page := render(t, r)
		if strings.Contains(page, "<script>alert(1)") {
			t.Error("a script-like name reaches the page unescaped")
		}
		if n := strings.Count(page, "<script>"); n != 2 {
			t.Errorf("%d inline scripts, want 2 (echarts and charts.js)", n)
		}
		for _, want := range []string{"Executive summary", "Against the benchmark", survey.BenchmarkSource,
			"&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "Methods", "I trust the other side to act in the company&#39;s best interest."} {
			if !strings.Contains(page, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		for _, c := range r.Comments {
			for _, text := range c.Texts {
				found := false
				for _, w := range exporttest.Comments {
					found = found || w == text
				}
				if !found {
					t.Errorf("unexpected comment %q", text)
				}
			}
		}
		if len(r.Comments) == 0 {
			t.Error("the whole organisation's comments are missing")
		}
	})
}

// TestReportWithoutResults: an organisation without a closed round gets a
// report that says so, with the methods, rather than an error.
func TestReportWithoutResults(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	org := webtest.MustOrg(t, db, "new", "New Client")
	page := render(t, build(t, db, org))
	if !strings.Contains(page, "New Client has no closed round yet.") || !strings.Contains(page, "Statistical methods") {
		t.Error("the empty report does not explain itself")
	}
}

// TestReportCrossClient: an organisation that takes part sees other
// clients beside the study once at least five others take part; one that
// does not take part never does.
func TestReportCrossClient(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	var orgs []*survey.Organisation
	for i := range 6 {
		orgs = append(orgs, exporttest.MustClient(t, db, exporttest.Client{Slug: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Client %d", i), Seed: uint64(i)}))
	}
	databasetest.Must(t, analytics.RollupAll(t.Context(), db, now))
	for _, o := range orgs[1:] {
		databasetest.Must(t, db.Model(o).Update("benchmark_opt_in", true).Error)
	}
	if page := render(t, build(t, db, orgs[0])); strings.Contains(page, "Other Accord clients (") {
		t.Error("an organisation that does not take part sees other clients")
	}
	databasetest.Must(t, db.Model(orgs[0]).Update("benchmark_opt_in", true).Error)
	orgs[0].BenchmarkOptIn = true
	if page := render(t, build(t, db, orgs[0])); !strings.Contains(page, "Other Accord clients (5)") {
		t.Error("with five others taking part, the comparison lacks them")
	}
	orgs[1].BenchmarkOptIn = true
	databasetest.Must(t, db.Model(orgs[5]).Update("benchmark_opt_in", false).Error)
	if page := render(t, build(t, db, orgs[1])); strings.Contains(page, "Other Accord clients (") {
		t.Error("with four others taking part, other clients are shown")
	}
}

// TestReportBrand: an organisation's logo and accent colour mark its
// report; a colour that is not a plain hex value never reaches its style sheet.
func TestReportBrand(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Slug: "acme", Name: "Acme", Seed: 1})
		html := render(t, build(t, db, org))
		if strings.Contains(html, `class="logo"`) || strings.Contains(html, "--brand:") {
			t.Error("a report without branding shows a logo or an accent")
		}
		org, err := survey.UpdateOrganisation(t.Context(), db, org, survey.OrgInput{Name: "Acme", AccentColor: "#7C3AED", Logo: webtest.PNG(8, 4)})
		databasetest.Must(t, err)
		html = render(t, build(t, db, org))
		for _, want := range []string{`:root { --brand: #7c3aed; }`, `<img class="logo" src="data:image/png;base64,iVBORw0KGgo`, `alt="Logo of Acme"`} {
			if !strings.Contains(html, want) {
				t.Errorf("branded report lacks %q", want)
			}
		}
		databasetest.Must(t, db.Model(org).Update("accent_color", "red;}*{").Error)
		org.AccentColor = "red;}*{"
		if html = render(t, build(t, db, org)); strings.Contains(html, "red;}") || strings.Contains(html, "--brand:") {
			t.Error("a stored colour that is not #rrggbb reached the report's style sheet")
		}
	})
}

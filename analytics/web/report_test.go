package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/report"
	"accord/survey"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
)

func TestReportsPageAndReport(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newPortfolioWorld(t, db)
		lee, con := w.as(t, "lee@acme.test"), w.as(t, "con@accord.test")

		if r := lee.Get("/orgs/acme"); !strings.Contains(r.Body, `href="/orgs/acme/reports"`) {
			t.Error("the dashboard does not link to the reports page")
		}
		r := lee.Get("/orgs/acme/reports")
		if r.Status != http.StatusOK || strings.Contains(r.Body, "Anonymised responses") || strings.Contains(r.Body, "reports/settings") {
			t.Errorf("leader's reports page: status %d; it must offer neither responses nor the settings form", r.Status)
		}
		if !strings.Contains(r.Body, "Acme Widgets does not take part.") {
			t.Error("the leader does not see the sharing settings")
		}

		r = lee.Get("/orgs/acme/report")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment; filename=acme-report-") ||
			!strings.Contains(r.Body, "Executive summary") {
			t.Fatalf("report download: status %d, %q", r.Status, r.Header.Get("Content-Disposition"))
		}
		if r := lee.Get("/orgs/evil/report"); r.Status != http.StatusNotFound {
			t.Errorf("the leader of A gets B's report: status %d", r.Status)
		}
		if r := lee.Get("/orgs/acme/report?format=docx"); r.Status != http.StatusBadRequest || r.Header.Get("Content-Disposition") != "" {
			t.Errorf("an unknown format: status %d %q, want a 400 page", r.Status, r.Header.Get("Content-Disposition"))
		}

		// The consultant records the client's consent; the leader may not.
		page := "/orgs/acme/reports"
		if r := lee.Submit("/orgs/acme/reports", "/orgs/acme/reports/settings", url.Values{"benchmark_opt_in": {"on"}}); r.Status != http.StatusForbidden {
			t.Errorf("a leader changes sharing settings: status %d", r.Status)
		}
		r = con.Submit(page, "/orgs/acme/reports/settings", url.Values{"benchmark_opt_in": {"on"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save settings: status %d %s", r.Status, r.Body)
		}
		var org survey.Organisation
		databasetest.Must(t, db.Where("slug = ?", "acme").Take(&org).Error)
		if !org.BenchmarkOptIn || org.AllowCommentExport {
			t.Errorf("settings saved as opt-in %v, comments %v; want true, false", org.BenchmarkOptIn, org.AllowCommentExport)
		}
		if r := con.Get(page); !strings.Contains(r.Body, "Sharing settings saved.") || !strings.Contains(r.Body, `name="benchmark_opt_in" checked`) {
			t.Error("after saving, the page neither confirms nor shows the setting")
		}
		var entries []audit.Entry
		databasetest.Must(t, db.Where("org_id = ? AND action IN ?", org.ID, []string{audit.AuditExport, "setting.sharing"}).Order("id").Find(&entries).Error)
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action+": "+e.Target)
		}
		want := []string{"export: benchmark report (html)", "setting.sharing: cross-client benchmark: yes; comments in response exports: no"}
		if strings.Join(actions, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit log %q, want %q", actions, want)
		}
	})
}

// TestReportPDFDownload: with Chromium the report downloads as a PDF;
// without it the reports page says what to do instead.
func TestReportPDFDownload(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	w := newPortfolioWorld(t, db)
	con := w.as(t, "con@accord.test")
	if _, err := report.FindChromium(os.Getenv); err == nil {
		r := con.Get("/orgs/acme/report?format=pdf")
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
			t.Errorf("PDF download: status %d, type %q", r.Status, r.Header.Get("Content-Type"))
		}
	}
	t.Setenv("ACCORD_CHROMIUM", "/nonexistent/chromium")
	r := con.Get("/orgs/acme/report?format=pdf")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/orgs/acme/reports" {
		t.Fatalf("PDF without Chromium: status %d to %q, want back to the reports page", r.Status, r.Header.Get("Location"))
	}
	if body := con.Get("/orgs/acme/reports").Body; !strings.Contains(body, "PDF reports need Chromium on the server") || strings.Contains(body, "Download as PDF") {
		t.Error("the reports page does not explain the missing PDF")
	}
}

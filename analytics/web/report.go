package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/report"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/webkit"
)

// auditSharing is the audit action of a change to what an organisation shares.
const auditSharing = "setting.sharing"

// reportsView is what templates/reports.html receives.
type reportsView struct {
	Org                 *survey.Organisation
	K                   int // the minimum group size
	Aggregates, Answers []exportLink
	CanAnswers          bool // may download anonymised responses
	CanChange           bool // may change the sharing settings
	PDF                 bool // Chromium is installed, so PDFs can be printed
}

// Reports lists what can be taken away from an organisation, and its
// sharing settings: GET /orgs/{slug}/reports.
func (h *Pages) Reports(c echo.Context) error {
	org, err := h.app.Org(c, account.ViewOrg)
	if err != nil {
		return err
	}
	acc := webkit.CurrentAccount(c)
	base := "/orgs/" + org.Slug
	_, noPDF := h.chromium()
	v := reportsView{Org: org, K: analytics.MinGroupSize(org), Aggregates: aggregateLinks(base + "/export"), Answers: aggregateLinks(base + "/export/responses"),
		CanAnswers: account.Can(acc, account.ExportAnswers), CanChange: account.Can(acc, account.ChangeSetup), PDF: noPDF == nil}
	return h.app.Render.Page(c, http.StatusOK, "reports", webkit.View{Title: "Reports and exports · " + org.Name, Data: v})
}

// chromium finds the browser that prints PDFs: ACCORD_CHROMIUM, or
// chromium on PATH.
func (h *Pages) chromium() (string, error) { return report.FindChromium(os.Getenv) }

// Report downloads the benchmark report: GET /orgs/{slug}/report?format=
// html|pdf[&round=ID]. Without Chromium a PDF request goes back to the
// reports page, which says how to get one.
func (h *Pages) Report(c echo.Context) error {
	org, err := h.app.Org(c, account.ViewOrg)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "pdf" {
		return apperr.Errorf(apperr.EINVALID, "Unknown report format %q: choose html or pdf.", format)
	}
	var chromium string
	if format == "pdf" {
		if chromium, err = h.chromium(); err != nil {
			h.app.Log.Warn("PDF report asked for without Chromium", "err", err)
			webkit.SetFlash(c, "PDF reports need Chromium on the server, which is not installed. Download the HTML report and print it to PDF from your browser: it has a print layout.")
			return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/reports")
		}
	}
	roundID, _ := strconv.ParseInt(c.QueryParam("round"), 10, 64)
	ctx := c.Request().Context()
	r, err := report.Build(ctx, h.app.DB, org, roundID, h.app.Now())
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, h.app.DB, audit.Entry{Action: audit.AuditExport, OrgID: &org.ID,
		Target: fmt.Sprintf("benchmark report (%s)", format)}); err != nil {
		return err
	}
	if format == "html" {
		w := newDownload(c, "text/html; charset=utf-8", fileName(org.Slug, "report", h.app, "html"))
		return h.finish(c, w, r.WriteHTML(w))
	}
	return h.printPDF(ctx, c, r, org.Slug, chromium)
}

// printPDF prints one report at a time: each print starts a Chromium,
// which needs a core and a few hundred megabytes while it works.
func (h *Pages) printPDF(ctx context.Context, c echo.Context, r *report.Report, slug, chromium string) error {
	select {
	case h.pdfSlot <- struct{}{}:
		defer func() { <-h.pdfSlot }()
	case <-ctx.Done():
		return ctx.Err()
	}
	w := newDownload(c, "application/pdf", fileName(slug, "report", h.app, "pdf"))
	return h.finish(c, w, r.WritePDF(ctx, chromium, w))
}

// SaveSharing records what the organisation agreed to share: POST
// /orgs/{slug}/reports/settings with benchmark_opt_in and
// allow_comment_export checkboxes.
func (h *Pages) SaveSharing(c echo.Context) error {
	org, err := h.app.Org(c, account.ChangeSetup)
	if err != nil {
		return err
	}
	optIn, comments := c.FormValue("benchmark_opt_in") == "on", c.FormValue("allow_comment_export") == "on"
	ctx := c.Request().Context()
	err = h.app.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&survey.Organisation{}).Where("id = ?", org.ID).
			Updates(map[string]any{"benchmark_opt_in": optIn, "allow_comment_export": comments}).Error
		if err != nil {
			return fmt.Errorf("save sharing settings: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: auditSharing, OrgID: &org.ID,
			Target: fmt.Sprintf("cross-client benchmark: %s; comments in response exports: %s", yesNo(optIn), yesNo(comments))})
	})
	if err != nil {
		return err
	}
	webkit.SetFlash(c, "Sharing settings saved.")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/reports")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

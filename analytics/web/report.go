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
	sweb "accord/survey/web"
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

// reports lists what can be taken away from an organisation, and its
// sharing settings: GET /orgs/{slug}/reports.
func (h *handler) reports(c echo.Context) error {
	org, err := h.app.Org(c, survey.ViewOrg)
	if err != nil {
		return err
	}
	acc := sweb.CurrentAccount(c)
	base := "/orgs/" + org.Slug
	_, noPDF := h.chromium()
	v := reportsView{Org: org, K: analytics.MinGroupSize(org), Aggregates: aggregateLinks(base + "/export"), Answers: aggregateLinks(base + "/export/responses"),
		CanAnswers: survey.Can(acc, survey.ExportAnswers), CanChange: survey.Can(acc, survey.ChangeSetup), PDF: noPDF == nil}
	return h.app.Render.Page(c, http.StatusOK, "reports", sweb.View{Title: "Reports and exports · " + org.Name, Data: v})
}

// chromium finds the browser that prints PDFs: ACCORD_CHROMIUM, or
// chromium on PATH.
func (h *handler) chromium() (string, error) { return report.FindChromium(os.Getenv) }

// report downloads the benchmark report: GET /orgs/{slug}/report?format=
// html|pdf[&round=ID]. Without Chromium a PDF request goes back to the
// reports page, which says how to get one.
func (h *handler) report(c echo.Context) error {
	org, err := h.app.Org(c, survey.ViewOrg)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "pdf" {
		return survey.Errorf(survey.EINVALID, "Unknown report format %q: choose html or pdf.", format)
	}
	var chromium string
	if format == "pdf" {
		if chromium, err = h.chromium(); err != nil {
			h.app.Log.Warn("PDF report asked for without Chromium", "err", err)
			sweb.SetFlash(c, "PDF reports need Chromium on the server, which is not installed. Download the HTML report and print it to PDF from your browser: it has a print layout.")
			return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/reports")
		}
	}
	roundID, _ := strconv.ParseInt(c.QueryParam("round"), 10, 64)
	ctx := c.Request().Context()
	r, err := report.Build(ctx, h.app.DB, org, roundID, h.app.Now())
	if err != nil {
		return err
	}
	if acc := sweb.CurrentAccount(c); acc.Role == survey.RoleConsultant {
		r.PreparedBy = displayName(acc) // who downloads it hands it over
	}
	if err := survey.Audit(ctx, h.app.DB, survey.AuditEntry{Action: survey.AuditExport, OrgID: &org.ID,
		Target: fmt.Sprintf("benchmark report (%s)", format)}); err != nil {
		return err
	}
	if format == "html" {
		w := newDownload(c, "text/html; charset=utf-8", fileName(org.Slug, "report", h.app, "html"))
		return h.finish(c, w, r.WriteHTML(w))
	}
	return h.printPDF(ctx, c, r, fileName(org.Slug, "report", h.app, "pdf"), chromium)
}

// ConcurrentPrints bounds the PDFs printed at once: each tab of Chromium
// needs a core and a hundred megabytes or more while it lays out a report.
const ConcurrentPrints = 2

// printPDF prints doc with the process's one Chromium, started at the
// first print and kept warm (report.Printer), under the filename name.
func (h *handler) printPDF(ctx context.Context, c echo.Context, doc report.Document, name, chromium string) error {
	h.printerOnce.Do(func() { h.printer = report.NewPrinter(chromium, ConcurrentPrints) })
	w := newDownload(c, "application/pdf", name)
	return h.finish(c, w, h.printer.Print(ctx, doc, w))
}

// saveSharing records what the organisation agreed to share: POST
// /orgs/{slug}/reports/settings with benchmark_opt_in and
// allow_comment_export checkboxes.
func (h *handler) saveSharing(c echo.Context) error {
	org, err := h.app.Org(c, survey.ChangeSetup)
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
		return survey.Audit(ctx, tx, survey.AuditEntry{Action: auditSharing, OrgID: &org.ID,
			Target: fmt.Sprintf("cross-client benchmark: %s; comments in response exports: %s", yesNo(optIn), yesNo(comments))})
	})
	if err != nil {
		return err
	}
	sweb.SetFlash(c, "Sharing settings saved.")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/reports")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// displayName is how an account is named on a report's cover.
func displayName(acc *survey.Account) string {
	if acc.Name != "" {
		return acc.Name
	}
	return acc.Email
}

// portfolioReport downloads a consultant's portfolio report, every client
// in one document: GET /portfolio/report?format=html|pdf[&labels=anonymous].
// Leaders have no portfolio, so the page does not exist for them.
func (h *handler) portfolioReport(c echo.Context) error {
	acc := sweb.CurrentAccount(c)
	if acc.Role == survey.RoleLeader {
		return survey.Errorf(survey.ENOTFOUND, "There is no such page.")
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "pdf" {
		return survey.Errorf(survey.EINVALID, "Unknown report format %q: choose html or pdf.", format)
	}
	var chromium string
	var err error
	if format == "pdf" {
		if chromium, err = h.chromium(); err != nil {
			sweb.SetFlash(c, "PDF reports need Chromium on the server, which is not installed. Download the HTML report and print it to PDF from your browser.")
			return c.Redirect(http.StatusSeeOther, "/portfolio")
		}
	}
	ctx := c.Request().Context()
	orgs, err := survey.VisibleOrgs(ctx, h.app.DB, acc)
	if err != nil {
		return err
	}
	p, err := report.BuildPortfolio(ctx, h.app.DB, orgs, report.PortfolioOptions{PreparedBy: displayName(acc),
		Anonymise: c.QueryParam("labels") == "anonymous"}, h.app.Now())
	if err != nil {
		return err
	}
	if err := survey.Audit(ctx, h.app.DB, survey.AuditEntry{Action: survey.AuditExport,
		Target: fmt.Sprintf("portfolio report of %d organisations (%s)", len(orgs), format)}); err != nil {
		return err
	}
	name := fileName("portfolio", "report", h.app, format)
	if format == "html" {
		w := newDownload(c, "text/html; charset=utf-8", name)
		return h.finish(c, w, p.WriteHTML(w))
	}
	return h.printPDF(ctx, c, p, name, chromium)
}

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
	if acc := webkit.CurrentAccount(c); acc.Role == account.RoleConsultant {
		r.PreparedBy = displayName(acc) // who downloads it hands it over
	}
	if err := audit.Record(ctx, h.app.DB, audit.Entry{Action: audit.AuditExport, OrgID: &org.ID,
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
func (h *Pages) printPDF(ctx context.Context, c echo.Context, doc report.Document, name, chromium string) error {
	h.printerOnce.Do(func() { h.printer = report.NewPrinter(chromium, ConcurrentPrints) })
	w := newDownload(c, "application/pdf", name)
	return h.finish(c, w, h.printer.Print(ctx, doc, w))
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

// displayName is how an account is named on a report's cover.
func displayName(acc *account.Account) string {
	if acc.Name != "" {
		return acc.Name
	}
	return acc.Email
}

// PortfolioReport downloads a consultant's portfolio report, every client
// in one document: GET /portfolio/report?format=html|pdf[&labels=anonymous].
// Leaders have no portfolio, so the page does not exist for them.
func (h *Pages) PortfolioReport(c echo.Context) error {
	acc := webkit.CurrentAccount(c)
	if acc.Role == account.RoleLeader {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such page.")
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "pdf" {
		return apperr.Errorf(apperr.EINVALID, "Unknown report format %q: choose html or pdf.", format)
	}
	var chromium string
	var err error
	if format == "pdf" {
		if chromium, err = h.chromium(); err != nil {
			webkit.SetFlash(c, "PDF reports need Chromium on the server, which is not installed. Download the HTML report and print it to PDF from your browser.")
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
	if err := audit.Record(ctx, h.app.DB, audit.Entry{Action: audit.AuditExport,
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

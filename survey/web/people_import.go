package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/audit"
	"accord/survey/roster"
	"accord/survey/webkit"
)

// Roster import and export. An upload is parsed and previewed without
// saving anything. When the file has no problem, the preview carries it to
// the confirm form sealed with an HMAC (survey.SealImport): the server keeps
// no draft, and confirming saves exactly the previewed file, re-checked, in
// one transaction. A file with problems gets no confirm button, and a
// confirm of such a file is refused anyway.

// previewListLimit caps the rows listed per section of a preview; the counts
// always cover the whole file, and every problem is always listed.
const previewListLimit = 200

type importData struct {
	Org     *survey.Organisation
	Error   string
	Columns []string
	MaxMB   int
}

// ImportForm serves GET /orgs/:slug/people/import.
func (a *App) ImportForm(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	return a.renderImportForm(c, http.StatusOK, org, "")
}

func (a *App) renderImportForm(c echo.Context, status int, org *survey.Organisation, msg string) error {
	return a.Render.Page(c, status, "people_import", webkit.View{Title: "Import people · " + org.Name,
		Data: importData{Org: org, Error: msg, Columns: roster.RosterColumns, MaxMB: roster.MaxImportBytes >> 20}})
}

type previewData struct {
	Org       *survey.Organisation
	FileName  string
	Plan      *roster.ImportPlan
	Create    []roster.RosterRow
	Update    []roster.PersonChange
	MoreRows  bool
	Sealed    string // the confirm form's draft; empty when the file cannot be saved
	Unchanged int
}

// PreviewImport serves POST /orgs/:slug/people/import.
func (a *App) PreviewImport(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil { // no file chosen, or not sent as a file upload
		return a.renderImportForm(c, http.StatusUnprocessableEntity, org, "Choose a CSV file to upload.")
	}
	if fh.Size > roster.MaxImportBytes {
		return a.renderImportForm(c, http.StatusRequestEntityTooLarge, org, fmt.Sprintf(
			"%s is %.1f MB; files up to %d MB are accepted. Split the roster into several files and import them one after the other.",
			fh.Filename, float64(fh.Size)/(1<<20), roster.MaxImportBytes>>20))
	}
	file, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, roster.MaxImportBytes+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	f := roster.ParseRoster(data)
	plan, err := roster.PlanImport(c.Request().Context(), a.DB, org.ID, f)
	if err != nil {
		return err
	}
	d := previewData{Org: org, FileName: fh.Filename, Plan: plan, Unchanged: len(plan.Unchanged),
		Create: plan.Create[:min(len(plan.Create), previewListLimit)],
		Update: plan.Update[:min(len(plan.Update), previewListLimit)]}
	d.MoreRows = len(d.Create) < len(plan.Create) || len(d.Update) < len(plan.Update)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		status = http.StatusOK
		if d.Sealed, err = roster.SealImport(a.Secret, org.ID, a.Now(), data); err != nil {
			return err
		}
	}
	return a.Render.Page(c, status, "people_preview", webkit.View{Title: "Preview import · " + org.Name, Data: d})
}

// ConfirmImport serves POST /orgs/:slug/people/import/confirm.
func (a *App) ConfirmImport(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	data, err := roster.OpenImport(a.Secret, org.ID, a.Now(), c.FormValue("draft"))
	if err != nil {
		return err
	}
	created, updated, err := roster.ApplyImport(c.Request().Context(), a.DB, org.ID, roster.ParseRoster(data))
	if err != nil {
		return err
	}
	webkit.SetFlash(c, fmt.Sprintf("Import saved: %d created, %d updated.", created, updated))
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/people")
}

// ExportPeople streams the roster as CSV. It starts with a UTF-8 byte order
// mark so that spreadsheet programs show accented names correctly; the
// import accepts it.
func (a *App) ExportPeople(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	if err := audit.Record(c.Request().Context(), a.DB, audit.Entry{Action: audit.AuditRosterExport, OrgID: &org.ID, Target: "people.csv"}); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-people-%s.csv", org.Slug, a.Now().UTC().Format("2006-01-02"))
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.WriteString(c.Response(), "\uFEFF"); err != nil {
		return nil // the client went away
	}
	if err := roster.WriteRosterCSV(c.Request().Context(), a.DB, org.ID, c.Response()); err != nil {
		// The status is sent; all that is left is to log and cut the file short.
		a.Log.Error("export roster", "org", org.Slug, "err", err)
	}
	return nil
}

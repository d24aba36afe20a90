package api

import (
	"github.com/labstack/echo/v4"

	"accord/analytics/export"
	"accord/survey"
)

// ExportOrg streams an organisation's published aggregates (every round,
// group and measure) as JSON, through the same exporter as the pages'
// downloads: hidden groups are left out, the export is audited. Headers
// are sent with the first bytes, so an error before them (the audit entry,
// the rollups) still gets the JSON error shape; one after them cuts the
// document short, which a client notices as invalid JSON.
func (h *Handlers) ExportOrg(c echo.Context) error {
	if err := checkParams(c); err != nil {
		return err
	}
	org, err := h.org(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, export.JSON.ContentType())
	return export.Aggregates(ctx(c), h.app.DB, []survey.Organisation{*org}, h.app.Now(), export.JSON, c.Response())
}

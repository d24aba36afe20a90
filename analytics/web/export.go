package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/analytics/export"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/webkit"
)

// ExportOrg downloads one organisation's aggregates:
// /orgs/{slug}/export?format=csv|xlsx|json. Whoever may see the dashboard
// may take its numbers away.
func (h *Pages) ExportOrg(c echo.Context) error {
	return h.orgDownload(c, account.ViewOrg, "aggregates", func(org *survey.Organisation, f export.Format, w io.Writer) error {
		return export.Aggregates(c.Request().Context(), h.app.DB, []survey.Organisation{*org}, h.app.Now(), f, w)
	})
}

// ExportResponses downloads an organisation's anonymised responses, for
// its admins and consultants: /orgs/{slug}/export/responses?format=….
func (h *Pages) ExportResponses(c echo.Context) error {
	// ExportAnswers is checked again by the export itself.
	return h.orgDownload(c, account.ExportAnswers, "responses", func(org *survey.Organisation, f export.Format, w io.Writer) error {
		return export.Responses(c.Request().Context(), h.app.DB, webkit.CurrentAccount(c), org.Slug, h.app.Now(), f, w)
	})
}

// orgDownload downloads what of the organisation named by :slug, for those
// who may do action there, in the format ?format= names: write makes the file.
func (h *Pages) orgDownload(c echo.Context, action account.Action, what string,
	write func(org *survey.Organisation, f export.Format, w io.Writer) error) error {
	org, err := h.app.Org(c, action)
	if err != nil {
		return err
	}
	f, err := export.ParseFormat(c.QueryParam("format"))
	if err != nil {
		return err
	}
	w := newDownload(c, f.ContentType(), fileName(org.Slug, what, h.app, string(f)))
	return h.finish(c, w, write(org, f, w))
}

// ExportPortfolio downloads the aggregates of every organisation in the
// account's portfolio: /portfolio/export?format=…; in XLSX one sheet each.
func (h *Pages) ExportPortfolio(c echo.Context) error {
	acc := webkit.CurrentAccount(c)
	if err := account.Authorize(acc, account.ViewPortfolio); err != nil {
		return err
	}
	f, err := export.ParseFormat(c.QueryParam("format"))
	if err != nil {
		return err
	}
	orgs, err := survey.VisibleOrgs(c.Request().Context(), h.app.DB, acc)
	if err != nil {
		return err
	}
	w := newDownload(c, f.ContentType(), fileName("portfolio", "aggregates", h.app, string(f)))
	return h.finish(c, w, export.Aggregates(c.Request().Context(), h.app.DB, orgs, h.app.Now(), f, w))
}

// fileName is "acme-aggregates-2026-03-10.xlsx", with the slug reduced to
// characters every file system accepts.
func fileName(slug, what string, app *webkit.App, ext string) string {
	slug = unsafeFileChars.ReplaceAllString(slug, "-")
	return fmt.Sprintf("%s-%s-%s.%s", slug, what, app.Now().UTC().Format("2006-01-02"), ext)
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// download is the response body of a file download. Its headers are set
// at the first byte, so that an error found before any output (no access,
// a bad parameter) still gets an error page rather than a downloaded one.
type download struct {
	c           echo.Context
	contentType string
	name        string
	started     bool
}

func newDownload(c echo.Context, contentType, name string) *download {
	return &download{c: c, contentType: contentType, name: name}
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		hd := d.c.Response().Header()
		hd.Set(echo.HeaderContentType, d.contentType)
		hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": d.name}))
		hd.Set("Cache-Control", "no-store")
		d.c.Response().WriteHeader(http.StatusOK)
		n, err := d.c.Response().Write(p)
		// The first bytes (a CSV header, the JSON head) go to the client
		// at once rather than after the server's buffer fills: a large
		// export is seen to start. Not every writer flushes (a test
		// recorder may not); that is no error.
		_ = http.NewResponseController(d.c.Response().Writer).Flush()
		return n, err
	}
	return d.c.Response().Write(p)
}

// finish ends a download: an error before the first byte becomes the usual
// error page; once the file has started, the status is sent and cannot
// change, so the error is logged and the connection is cut (the standard
// http.ErrAbortHandler), which the browser reports as a failed download
// rather than saving a truncated file as if it were whole.
func (h *Pages) finish(c echo.Context, w *download, err error) error {
	if err == nil {
		if !w.started { // an empty body still downloads as a file
			_, err = w.Write(nil)
		}
		return err
	}
	if !w.started {
		return err
	}
	h.app.Log.Error("download failed after it started", "path", c.Request().URL.Path, "file", w.name, "err", err)
	panic(http.ErrAbortHandler)
}

var _ io.Writer = (*download)(nil)

// exportLink is a download link of an export.
type exportLink struct {
	Href, Label string
}

// aggregateLinks links base in every table format.
func aggregateLinks(base string) []exportLink {
	var out []exportLink
	for _, f := range export.Formats {
		out = append(out, exportLink{Href: base + "?format=" + string(f), Label: strings.ToUpper(string(f))})
	}
	return out
}

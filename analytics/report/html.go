package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sync"
	"unicode/utf8"

	"accord/static"
	"accord/templates"
)

// EchartsAsset is the vendored echarts build the report inlines.
const EchartsAsset = "vendor/echarts-5.6.0.min.js"

// The stylesheets the report inlines: the site's, and the report's own
// layout and print rules on top of it.
const (
	SiteCSSAsset   = "css/accord.css"
	ReportCSSAsset = "css/report.css"
)

// page is templates/report.html with the scripts it inlines, parsed and
// read once.
var page = sync.OnceValues(func() (*pageTemplate, error) {
	t, err := template.New("").Funcs(template.FuncMap{"wraps": wraps, "wrapsHead": wrapsHead}).ParseFS(templates.FS, "report.html")
	if err != nil {
		return nil, fmt.Errorf("parse report template: %w", err)
	}
	echarts, err := static.FS.ReadFile(EchartsAsset)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", EchartsAsset, err)
	}
	chartsJS, err := static.FS.ReadFile("js/charts.js")
	if err != nil {
		return nil, fmt.Errorf("read charts.js: %w", err)
	}
	// One stylesheet source: the site's own, which the report's layout
	// and print rules refine, both inlined so the file opens offline.
	siteCSS, err := static.FS.ReadFile(SiteCSSAsset)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", SiteCSSAsset, err)
	}
	reportCSS, err := static.FS.ReadFile(ReportCSSAsset)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ReportCSSAsset, err)
	}
	// Trusted, vendored scripts: template.JS inserts them as they are.
	// Nothing from the database goes into a script; the charts' data sits
	// in data-chart attributes, which html/template escapes.
	return &pageTemplate{t: t, echarts: template.JS(echarts), chartsJS: template.JS(chartsJS),
		siteCSS: template.CSS(siteCSS), reportCSS: template.CSS(reportCSS)}, nil
})

// wraps reports whether a table cell may break over lines. Short cells
// (a share, an interval, a count, a verdict) stay on one line, so that a
// table never grows a row taller to break "19.5%–45.7%" while there is room
// elsewhere; longer text, a statement or a note, wraps as usual.
func wraps(cell string) bool { return utf8.RuneCountInString(cell) > shortCell }

// shortCell is the longest cell that never wraps: "[−11.9, +23.8]",
// "70.0% (7/10)" and "no clear change" fit; a statement does not.
const shortCell = 16

// wrapsHead reports whether a row's head may break over lines: a group or
// a round ("5 Mar 2026 (open)", "Region: North America") stays on one line
// as the row's label; a long one (an organisation and its round) wraps
// rather than pushing the table past the page.
func wrapsHead(head string) bool { return utf8.RuneCountInString(head) > longHead }

const longHead = 30

type pageTemplate struct {
	t                  *template.Template
	echarts, chartsJS  template.JS
	siteCSS, reportCSS template.CSS
}

// WriteHTML writes the report as one self-contained HTML file. It renders
// to memory first (the page is at most a few megabytes, most of it
// echarts) so that a template error never leaves half a file.
func (r *Report) WriteHTML(w io.Writer) error {
	p, err := page()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	data := struct {
		*Report
		Echarts, ChartsJS  template.JS
		SiteCSS, ReportCSS template.CSS
	}{r, p.echarts, p.chartsJS, p.siteCSS, p.reportCSS}
	if err := p.t.ExecuteTemplate(&buf, "report", data); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	_, err = buf.WriteTo(w)
	return err
}

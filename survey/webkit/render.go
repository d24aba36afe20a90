package webkit

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/labstack/echo/v4"

	"accord/static"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/roster"
)

// Renderer holds every page template. Each page's own file is parsed at
// start, so that a missing or broken template fails the start, never a
// request; the page is joined to the layout and partials (a clone of them,
// which html/template escapes per page) on its first use, so that a server
// keeps only the pages it serves: the clones of all pages were most of the
// heap of an idle server.
type Renderer struct {
	base  *template.Template // layout.html and partials, never executed
	pages map[string]*page
	// PasswordsOff reports whether password login is switched off
	// (ACCORD_PASSWORD_LOGIN=off): pages then offer no password links.
	PasswordsOff func() bool
}

// page is one page template: its own file's parse trees from the start,
// and the template with the layout once built.
type page struct {
	name  string
	trees []*parse.Tree
	once  sync.Once
	t     *template.Template
	err   error
}

// View is what every page template receives: site-wide fields plus the
// page's own Data.
type View struct {
	Title     string
	BodyClass string
	Account   *account.Account
	CSRF      string
	Flash     string
	Data      any
	// Org is the organisation the page is about, for the navigation;
	// Page fills it from Org(c) when the handler leaves it nil.
	Org  *survey.Organisation
	Path string // the request path, to mark the current link
	// Lang is the language of a respondent page (survey/i18n); empty on
	// staff pages, which are in English.
	Lang string
	// Languages is a respondent page's language switcher; nil: none.
	Languages []LanguageLink
	// PasswordsOff: password login is switched off, staff sign in through
	// single sign-on only, so no page offers to set or change a password.
	PasswordsOff bool
}

// Funcs are the helpers every template may call.
var Funcs = template.FuncMap{
	"asset": func(name string) string { return "/static/" + name + "?v=" + static.Version() },
	"pct":   func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
	"inc":   func(i int) int { return i + 1 },
	// function names a roster function for people ("sales" reads "Sales").
	"function": roster.FunctionLabel,
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	},
}

// standaloneReport is the template of the downloadable report.
const standaloneReport = "report.html"

// NewRenderer parses layout.html and partials, and each page template of
// fsys on its own (text/template's parser: html/template escapes at the
// first execution, which builds the page, not at parse).
func NewRenderer(fsys fs.FS) (*Renderer, error) {
	base, err := template.New("").Funcs(Funcs).ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	r := &Renderer{base: base, pages: map[string]*page{}}
	for _, name := range names {
		// report.html is no page of the site: it is a self-contained
		// document that analytics/report parses with its own helpers.
		if name == "layout.html" || name == standaloneReport {
			continue
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		t, err := texttemplate.New(path.Base(name)).Funcs(texttemplate.FuncMap(Funcs)).Parse(string(text))
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		p := &page{name: name}
		for _, d := range t.Templates() {
			if d.Tree != nil {
				p.trees = append(p.trees, d.Tree)
			}
		}
		r.pages[strings.TrimSuffix(path.Base(name), ".html")] = p
	}
	return r, nil
}

// build joins the page's trees to a clone of the layout and partials,
// once.
func (p *page) build(base *template.Template) (*template.Template, error) {
	p.once.Do(func() {
		t, err := base.Clone()
		if err == nil {
			for _, tree := range p.trees {
				if _, err = t.AddParseTree(tree.Name, tree); err != nil {
					break
				}
			}
		}
		if err != nil {
			p.err = fmt.Errorf("parse %s: %w", p.name, err)
			return
		}
		p.t, p.trees = t, nil
	})
	return p.t, p.err
}

// Has reports whether a page template exists.
func (r *Renderer) Has(page string) bool { _, ok := r.pages[page]; return ok }

// Page renders page inside the layout. The whole page is rendered to a buffer
// first so a template error becomes a clean 500, not half a page.
func (r *Renderer) Page(c echo.Context, status int, page string, v View) error {
	t, err := r.template(page)
	if err != nil {
		return err
	}
	if v.Account == nil {
		v.Account = CurrentAccount(c)
	}
	if v.CSRF == "" {
		v.CSRF, _ = c.Get(csrfContextKey).(string)
	}
	if v.Flash == "" {
		v.Flash = takeFlash(c)
	}
	if v.Org == nil {
		v.Org, _ = c.Get(orgContextKey).(*survey.Organisation)
	}
	v.Path = c.Request().URL.Path
	v.PasswordsOff = r.PasswordsOff != nil && r.PasswordsOff()
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes()) // written out before the buffer goes back
}

// pageBuffers recycles the buffers pages are rendered into: growing a
// fresh one to a page's size was most of what a respondent's request
// allocated.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putPageBuffer recycles buf unless a long page (a big roster) grew it:
// the pool would keep that memory for the small pages most requests are.
func putPageBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 256<<10 {
		pageBuffers.Put(buf)
	}
}

// Fragment renders the template called name, defined in page's file, on
// its own: HTML that a handler may keep and pass back into the page.
func (r *Renderer) Fragment(page, name string, data any) (template.HTML, error) {
	t, err := r.template(page)
	if err != nil {
		return "", err
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return "", fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	return template.HTML(buf.String()), nil // escaped by html/template as it rendered
}

// template is the parsed file of page, with the layout and partials.
func (r *Renderer) template(page string) (*template.Template, error) {
	p, ok := r.pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no page template %q", page)
	}
	return p.build(r.base)
}

// flashCookie carries a one-time message across a post/redirect/get.
const flashCookie = "accord_flash"

// SetFlash stores a message shown once on the next page.
func SetFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: encodeFlash(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func takeFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return decodeFlash(ck.Value)
}

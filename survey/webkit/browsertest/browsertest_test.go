package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"accord/survey/webkit/browsertest"
)

// The harness must see what a person or an auditor would: blocked inline
// code, script errors, inaccessible markup, and no script at all when
// JavaScript is off. Each page below has one such flaw.
var pages = map[string]string{
	"/clean": `<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1>
<form method="post" action="/sent"><label for="name">Name</label><input id="name" name="name">
<button type="submit">Send</button></form></main></body></html>`,
	"/flawed": `<!doctype html><html lang="en"><head><title>Flawed</title><link rel="stylesheet" href="/missing.css"></head><body><main><h1>Flawed</h1>
<p style="color: red">inline style</p><script>document.title = "inline ran"</script>
<script src="/boom.js"></script><input id="unlabelled"></main>
<noscript><p id="noscript">No script</p></noscript></body></html>`,
	"/wide": `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wide</title><link rel="stylesheet" href="/wide.css"></head><body><main><h1>Wide</h1><div class="wide">x</div></main></body></html>`,
}

func server(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	for path, body := range pages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		})
	}
	mux.HandleFunc("GET /gone", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>Gone</title></head><body><main><h1>Gone</h1></main></body></html>`))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /boom.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`console.error("boom"); document.body.dataset.ran = "yes";`))
	})
	mux.HandleFunc("GET /wide.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write([]byte(`.wide { width: 600px }`))
	})
	mux.HandleFunc("POST /sent", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>Sent</title></head><body><main><h1 id="who">` +
			r.FormValue("name") + `</h1></main></body></html>`))
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestBrowserHarness(t *testing.T) {
	ts := server(t)
	b := browsertest.New(t)

	t.Run("clean page, typing and submitting", func(t *testing.T) {
		p := b.Open(t, ts.URL+"/clean")
		if vs := p.Axe(); len(vs) > 0 {
			t.Errorf("axe violations on a clean page: %v", vs)
		}
		p.Type("#name", "Ada")
		if status := p.ClickAndWait("button"); status != http.StatusOK {
			t.Errorf("submit: status %d", status)
		}
		if got := p.Text("#who"); got != "Ada" {
			t.Errorf("after submit: %q, want Ada", got)
		}
		p.AssertNoErrors()
	})

	t.Run("flawed page", func(t *testing.T) {
		p := b.Open(t, ts.URL+"/flawed")
		if p.Title() == "inline ran" {
			t.Error("the inline script ran despite the CSP")
		}
		if csp := p.CSPViolations(); len(csp) != 2 {
			t.Errorf("CSP violations: %v, want the inline style and the inline script", csp)
		}
		var boom bool
		for _, m := range p.Errors() {
			boom = boom || (m.Source == "console" && m.Text == "boom")
		}
		if !boom {
			t.Errorf("console.error not reported; errors: %v", p.Errors())
		}
		var missing bool
		for _, m := range p.Errors() {
			missing = missing || strings.Contains(m.Text+m.URL, "/missing.css")
		}
		if !missing {
			t.Errorf("the missing stylesheet is not reported; errors: %v", p.Errors())
		}
		var label bool
		for _, v := range p.Axe() {
			label = label || (v.ID == "label" && strings.Contains(v.Nodes[0].HTML, "unlabelled"))
		}
		if !label {
			t.Errorf("axe did not report the unlabelled input: %v", p.Axe())
		}
	})

	t.Run("error status of the page itself", func(t *testing.T) {
		p := b.Open(t, ts.URL+"/gone")
		if status := p.Navigate(ts.URL + "/gone"); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
		if errs := p.Errors(); len(errs) > 0 {
			t.Errorf("a 404 page that loads fine reports errors: %v", errs)
		}
	})

	t.Run("no script", func(t *testing.T) {
		p := b.Open(t, ts.URL+"/flawed", browsertest.NoScript())
		if ran := browsertest.Eval[string](p, `document.body.dataset.ran || ""`); ran != "" {
			t.Error("the external script ran with JavaScript disabled")
		}
		if p.Count("#noscript") != 1 {
			t.Error("the <noscript> content is not shown with JavaScript disabled")
		}
	})

	t.Run("phone", func(t *testing.T) {
		p := b.Open(t, ts.URL+"/wide", browsertest.Phone())
		if w := browsertest.Eval[int](p, `document.documentElement.clientWidth`); w != 375 {
			t.Errorf("layout viewport %dpx wide, want 375", w)
		}
		if !p.ScrollsSideways() {
			t.Error("a 600px element does not make a 375px phone scroll sideways")
		}
	})
}

// TestBrowsersShareNothing: browsers of one test binary run in one warm
// Chromium, but a cookie set in one is seen by its other tabs and never
// by another browser, as with a Chromium process each.
func TestBrowsersShareNothing(t *testing.T) {
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>Cookie</title></head><body><main><h1 id="c">` + body + `</h1></main></body></html>`))
	}
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
		page(w, "set")
	})
	mux.HandleFunc("GET /show", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("who")
		if err != nil {
			page(w, "none")
			return
		}
		page(w, c.Value)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	first := browsertest.New(t)
	first.Open(t, ts.URL+"/set")
	if got := first.Open(t, ts.URL+"/show").Text("#c"); got != "first" {
		t.Errorf("another tab of the same browser sees cookie %q, want first", got)
	}
	if got := browsertest.New(t).Open(t, ts.URL+"/show").Text("#c"); got != "none" {
		t.Errorf("a second browser sees cookie %q, want none", got)
	}
}

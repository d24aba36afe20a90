package webkit

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func testTemplates(pages map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"layout.html":        {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{template "foot" .}}{{end}}`)},
		"partials/foot.html": {Data: []byte(`{{define "foot"}}<footer>{{inc 1}}</footer>{{end}}`)},
		"report.html":        {Data: []byte(`{{define "standalone"}}{{nosuchhelper}}{{end}}`)},
	}
	for name, text := range pages {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// TestRendererBuildsPagesOnFirstUse: every page file is parsed at start,
// but joined to the layout only when first rendered, so that an idle
// server holds no page it has not served; each page still sees its own
// content, escaped.
func TestRendererBuildsPagesOnFirstUse(t *testing.T) {
	r, err := NewRenderer(testTemplates(map[string]string{
		"one.html": `{{define "content"}}<p title="{{.}}">one {{.}}</p>{{end}}`,
		"two.html": `{{define "content"}}<p>two</p>{{end}}`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has("one") || !r.Has("two") || r.Has("layout") || r.Has("report") {
		t.Fatalf("pages %v", r.pages)
	}
	for name, p := range r.pages {
		if p.t != nil {
			t.Errorf("page %s built at start", name)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := r.Fragment("one", "layout", `<b>&"`)
			if err != nil {
				t.Error(err)
				return
			}
			want := `<main><p title="&lt;b&gt;&amp;&#34;">one &lt;b&gt;&amp;&#34;</p></main><footer>2</footer>`
			if string(got) != want {
				t.Errorf("page one: %s, want %s", got, want)
			}
		})
	}
	wg.Wait()
	if r.pages["one"].t == nil || r.pages["two"].t != nil {
		t.Errorf("after rendering one: one built %v, two built %v", r.pages["one"].t != nil, r.pages["two"].t != nil)
	}
	if got, err := r.Fragment("two", "layout", nil); err != nil || string(got) != "<main><p>two</p></main><footer>2</footer>" {
		t.Errorf("page two: %s, %v", got, err)
	}
	if _, err := r.Fragment("three", "layout", nil); err == nil {
		t.Error("no error for a page that does not exist")
	}
}

// TestBrokenPageFailsTheStart: a page with a syntax error or an unknown
// helper fails NewRenderer, naming the file, not a later request.
func TestBrokenPageFailsTheStart(t *testing.T) {
	for name, text := range map[string]string{
		"syntax.html":   `{{define "content"}}{{if}}{{end}}`,
		"unclosed.html": `{{define "content"}}{{range .}}{{end}}`,
		"helper.html":   `{{define "content"}}{{nosuchhelper .}}{{end}}`,
	} {
		_, err := NewRenderer(testTemplates(map[string]string{"ok.html": `{{define "content"}}ok{{end}}`, name: text}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}

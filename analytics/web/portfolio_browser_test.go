package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
)

// TestBrowserPortfolio: the portfolio in Chromium, on a desktop and on a
// phone, with and without JavaScript: the table scrolls inside its own
// region (the page never sideways), the sort form works by keyboard, and
// axe finds nothing serious.
func TestBrowserPortfolio(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	db := databasetest.Open(t, "sqlite")
	w := newPortfolioWorld(t, db).rolledUp(t)
	for _, tc := range []struct {
		name string
		opts []browsertest.Option
	}{
		{"desktop", nil},
		{"phone", []browsertest.Option{browsertest.Phone()}},
		{"phone without JavaScript", []browsertest.Option{browsertest.Phone(), browsertest.NoScript()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := b.Open(t, w.srv.URL+"/portfolio", tc.opts...)
			if strings.Contains(p.URL(), "/login") {
				p.Type("#email", "con@accord.test")
				p.Type("#password", "correct horse battery staple")
				if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
					t.Fatalf("log in: status %d", status)
				}
			}
			if n := p.Count("svg.spark"); n != 2 {
				t.Errorf("%d sparklines, want one per organisation", n)
			}
			if p.ScrollsSideways() {
				t.Errorf("the portfolio scrolls sideways: %v", p.Overflowing())
			}
			p.AssertNoErrors()
			p.AssertAccessible("serious")

			// Sort by share, highest first, and anonymise, with the form.
			p.SetValue("#p-sort", "share")
			p.SetValue("#p-dir", "desc")
			p.Click("#p-labels")
			if status := p.ClickAndWait(`.filters button[type="submit"]`); status != http.StatusOK {
				t.Fatalf("submit the form: status %d", status)
			}
			if got := p.Text("tbody th"); !strings.HasPrefix(got, "Client B") {
				t.Errorf("first row %q, want Client B (the script-named client, created second, with the higher share)", got)
			}
			if !strings.Contains(p.URL(), "labels=anonymous") {
				t.Errorf("URL %s does not keep the choice", p.URL())
			}
		})
	}
}

// TestBrowserReportsPage: the reports page with its settings form, on a
// phone, with nothing serious for axe and no sideways scroll.
func TestBrowserReportsPage(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	db := databasetest.Open(t, "sqlite")
	w := newPortfolioWorld(t, db).rolledUp(t)
	p := b.Open(t, w.srv.URL+"/orgs/acme/reports", browsertest.Phone())
	p.Type("#email", "con@accord.test")
	p.Type("#password", "correct horse battery staple")
	if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK || !strings.HasSuffix(p.URL(), "/orgs/acme/reports") {
		t.Fatalf("log in: status %d at %s", status, p.URL())
	}
	if p.ScrollsSideways() {
		t.Errorf("the reports page scrolls sideways: %v", p.Overflowing())
	}
	p.AssertNoErrors()
	p.AssertAccessible("serious")
	p.Click("#s-comments")
	if status := p.ClickAndWait(`form[action$="/reports/settings"] button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("save: status %d", status)
	}
	if !p.Checked("#s-comments") || !strings.Contains(p.Text(".flash"), "saved") {
		t.Error("the setting is not saved, or not confirmed")
	}
}

// TestBrowserPDFProgress: asking for the PDF report, the page says in its
// status region that the file is being made, then that it is ready, and
// the link is inert meanwhile; nothing serious for axe.
func TestBrowserPDFProgress(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	db := databasetest.Open(t, "sqlite")
	w := newPortfolioWorld(t, db).rolledUp(t)
	p := b.Open(t, w.srv.URL+"/orgs/acme/reports")
	p.Type("#email", "con@accord.test")
	p.Type("#password", "correct horse battery staple")
	if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
		t.Fatalf("log in: status %d", status)
	}
	if p.Count(`a[data-progress="pdf-progress"]`) != 1 {
		t.Skip("no Chromium on the server's PATH, so the page offers no PDF")
	}
	p.Click(`a[data-progress="pdf-progress"]`)
	p.WaitFor(`!document.getElementById("pdf-progress").hidden && document.querySelector("#pdf-progress [data-progress-text]").textContent.startsWith("Making the PDF")`)
	if got := browsertest.Eval[string](p, `document.querySelector('a[data-progress="pdf-progress"]').getAttribute("aria-disabled")`); got != "true" {
		t.Errorf("the link stays active while the PDF is made (aria-disabled %q)", got)
	}
	p.AssertAccessible("serious")
	p.WaitFor(`document.querySelector("#pdf-progress [data-progress-text]").textContent.startsWith("Ready in")`)
	p.AssertNoErrors()
}

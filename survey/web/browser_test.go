package web_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
	"accord/survey/webkit/webtest"
)

// These tests drive a real Chromium through the pages, as respondents and
// leaders use them: without JavaScript, with the keyboard only, on a phone,
// and with axe-core checking every state for WCAG problems. Each top-level
// test starts one browser; every subtest opens its own tabs.

// assertSound checks what every page state must satisfy: no axe violation,
// no console error, failed request or CSP violation.
func assertSound(t *testing.T, p *browsertest.Page) {
	t.Helper()
	p.AssertAccessible("minor")
	p.AssertNoErrors()
}

func TestBrowserSurveyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		p := b.Open(t, r.srv.URL+r.page, browsertest.NoScript())
		assertSound(t, p)

		p.Click("#q-A1-2")
		p.Click(`label[for="q-T1-4"]`) // the label is the large tap target
		p.Type("#q-C1", "Shared pipeline reviews")
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("submit: status %d, want the thank-you page", status)
		}
		if url := p.URL(); !strings.HasSuffix(url, r.page+"/thanks") {
			t.Fatalf("after submit at %s, want %s/thanks", url, r.page)
		}
		if h := p.Text("h1"); !strings.Contains(h, "Thank you") {
			t.Errorf("thank-you heading %q", h)
		}
		assertSound(t, p)
		_, answers := r.stored(t)
		if answers["A1"] != "2" || answers["T1"] != "4" || answers["C1"] != "Shared pipeline reviews" {
			t.Errorf("stored answers %v, want A1=2 T1=4 and the comment", answers)
		}
	})
}

// tabTo presses Tab until the focused element matches sel, as a keyboard
// user moves through the page, and returns the ids it passed.
func tabTo(t *testing.T, p *browsertest.Page, sel string) []string {
	t.Helper()
	var passed []string
	for range 60 {
		p.Press("\t")
		if browsertest.Eval[bool](p, `!!document.activeElement && document.activeElement.matches(`+strconv.Quote(sel)+`)`) {
			assertFocusVisible(t, p)
			return passed
		}
		passed = append(passed, p.Focused())
	}
	t.Fatalf("60 presses of Tab never reached %s; passed %v", sel, passed)
	return nil
}

// awaitErrorSummaryFocus fails unless the error summary takes focus. The
// browser applies autofocus at its next rendering update, a moment after the
// page has loaded, so the test waits for it rather than looking at once.
func awaitErrorSummaryFocus(t *testing.T, p *browsertest.Page) {
	t.Helper()
	deadline := time.Now().Add(browsertest.ActionTimeout)
	for !browsertest.Eval[bool](p, `!!document.activeElement && document.activeElement.matches(".error-summary")`) {
		if time.Now().After(deadline) {
			t.Fatalf("after an invalid submit focus is on %q, want the error summary", p.Focused())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertFocusVisible fails unless the focused element shows a focus outline.
func assertFocusVisible(t *testing.T, p *browsertest.Page) {
	t.Helper()
	if !browsertest.Eval[bool](p, `(e => e.matches(":focus-visible") && getComputedStyle(e).outlineStyle !== "none")(document.activeElement)`) {
		t.Errorf("focused element %q shows no focus outline", p.Focused())
	}
}

func TestBrowserSurveyKeyboardOnly(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		p := b.Open(t, r.srv.URL+r.page)

		// Every question is one Tab stop on the way to the button.
		passed := tabTo(t, p, `form button[type="submit"]`)
		for _, id := range []string{"q-A1-1", "q-T1-1", "q-C1"} {
			if !slices.Contains(passed, id) {
				t.Errorf("Tab skipped %s; focus order %v", id, passed)
			}
		}
		// Sending without the required A1 shows the error summary first.
		if status := p.PressAndWait("\r"); status != http.StatusUnprocessableEntity {
			t.Fatalf("Enter on the button without A1: status %d, want 422", status)
		}
		if title := p.Title(); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("title %q does not announce the error", title)
		}
		if p.Count(`.error-summary[role="alert"] a[href="#q-A1-1"]`) != 1 {
			t.Fatal("no error summary linking to question 1")
		}
		assertSound(t, p)
		awaitErrorSummaryFocus(t, p)

		// Its link is reachable by Tab and takes focus to the first answer.
		tabTo(t, p, `.error-summary a`)
		p.Press("\r")
		if f := p.Focused(); f != "q-A1-1" {
			t.Fatalf("after following the error link focus is on %q, want q-A1-1", f)
		}
		p.Press(" ")
		if !p.Checked("#q-A1-1") {
			t.Fatal("Space did not choose the focused answer")
		}
		tabTo(t, p, `form button[type="submit"]`)
		if status := p.PressAndWait("\r"); status != http.StatusOK || !strings.HasSuffix(p.URL(), "/thanks") {
			t.Fatalf("Enter on the button: status %d at %s, want the thank-you page", status, p.URL())
		}
		assertSound(t, p)
		if _, answers := r.stored(t); answers["A1"] != "1" {
			t.Errorf("stored A1 %q, want 1", answers["A1"])
		}
	})
}

// legendsOnBorder lists the question titles whose top is above the inside
// of their fieldset's top border.
const legendsOnBorder = `[...document.querySelectorAll("form fieldset")].filter(f => {
	const l = f.querySelector("legend").getBoundingClientRect(), b = f.getBoundingClientRect();
	return l.top < b.top + parseFloat(getComputedStyle(f).borderTopWidth) - 0.5;
}).map(f => f.querySelector("legend").textContent.trim().slice(0, 40))`

func TestBrowserSurveyOnPhone(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		p := b.Open(t, r.srv.URL+r.page, browsertest.Phone())
		noSidewaysScroll := func(state string) {
			t.Helper()
			if p.ScrollsSideways() {
				w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`)
				t.Errorf("%s is %dpx wide on a 375px phone: it scrolls sideways; too wide: %v", state, w, p.Overflowing())
			}
		}
		noSidewaysScroll("the survey")
		// Question titles wrap on a phone; they stay inside their card
		// instead of straddling its top border.
		if straddling := browsertest.Eval[[]string](p, legendsOnBorder); len(straddling) > 0 {
			t.Errorf("question titles drawn across their card's top border: %q", straddling)
		}
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusUnprocessableEntity {
			t.Fatalf("submit without A1: status %d, want 422", status)
		}
		noSidewaysScroll("the error state")
		// Focus moves to the error summary, so that it is read out and the
		// next Tab reaches its links.
		awaitErrorSummaryFocus(t, p)
		p.Click(`label[for="q-A1-3"]`)
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("submit: status %d", status)
		}
		noSidewaysScroll("the thank-you page")
		assertSound(t, p)
	})
}

func TestBrowserLoginAndOrganisations(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme Widgets")
		webtest.MustAccount(t, db, "lee@acme.test", account.RoleLeader, org.ID)
		srv := sitetest.NewServer(t, db)

		// An anonymous visitor is sent to the login form, which passes axe.
		p := b.Open(t, srv.URL+"/orgs")
		if !strings.Contains(p.URL(), "/login") {
			t.Fatalf("anonymous /orgs shows %s, want the login page", p.URL())
		}
		assertSound(t, p)

		// A wrong password is announced and marks both fields.
		p.Type("#email", "lee@acme.test")
		p.Type("#password", "wrong password")
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d, want 401", status)
		}
		if p.Count(`[role="alert"]#login-error`) != 1 || p.Count(`#password[aria-invalid="true"][aria-describedby="login-error"]`) != 1 {
			t.Error("the login error is not announced or not tied to the fields")
		}
		assertSound(t, p)

		p.SetValue("#password", "")
		p.Type("#password", webtest.Password)
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK {
			t.Fatalf("log in: status %d", status)
		}
		if !strings.HasSuffix(p.URL(), "/orgs") || p.Text("h1") != "Organisations" {
			t.Fatalf("after login at %s (%q), want the organisation list", p.URL(), p.Text("h1"))
		}
		if got := p.Text(".org-list"); got != "Acme Widgets" {
			t.Errorf("organisations listed: %q", got)
		}
		assertSound(t, p)

		// Browsers that ignore <link rel="icon"> still find the icon.
		if status := p.Navigate(srv.URL + "/favicon.ico"); status != http.StatusOK || browsertest.Eval[string](p, `document.contentType`) != "image/svg+xml" {
			t.Errorf("/favicon.ico: status %d, type %s; want the SVG icon", status, browsertest.Eval[string](p, `document.contentType`))
		}
	})
}

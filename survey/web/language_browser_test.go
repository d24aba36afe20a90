package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
	"accord/survey/webkit/browsertest"
)

// TestBrowserSurveyInGerman: a German respondent reads and answers the
// whole survey in German in a real browser, the page, its error state and
// the thank-you page free of axe violations, then switches the link to
// English and finds it English on the next visit.
func TestBrowserSurveyInGerman(t *testing.T) {
	b := browsertest.New(t)
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondentIn(t, db, "de")
		p := b.Open(t, r.srv.URL+r.page)
		if lang := browsertest.Eval[string](p, `document.documentElement.lang`); lang != "de" {
			t.Fatalf("html lang %q, want de", lang)
		}
		for sel, want := range map[string]string{
			"#confidential-heading":         "So bleiben Ihre Antworten vertraulich",
			`label[for="q-T1-5"]`:           "Stimme voll und ganz zu",
			"#q-A1 legend":                  "Wie würden Sie die Beziehung zwischen Vertrieb und Produkt",
			`label[for="q-A1-1"]`:           "Vollständig abgestimmt",
			`form button[type="submit"]`:    "Antworten absenden",
			`.language-nav a[aria-current]`: "Deutsch",
			`form > p.hint`:                 "Nur die erste Frage ist Pflicht",
		} {
			if got := p.Text(sel); !strings.Contains(got, want) {
				t.Errorf("%s reads %q, want %q", sel, got, want)
			}
		}
		assertSound(t, p)

		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusUnprocessableEntity {
			t.Fatalf("submit without A1: status %d, want 422", status)
		}
		if title := p.Title(); !strings.HasPrefix(title, "Fehler: ") {
			t.Errorf("title %q does not announce the error in German", title)
		}
		if got := p.Text(".error-summary"); !strings.Contains(got, "Bitte prüfen Sie Ihre Antworten") || !strings.Contains(got, "Frage 1: Bitte wählen Sie die Antwort, die am besten passt.") {
			t.Errorf("error summary %q", got)
		}
		assertSound(t, p)

		p.Click(`label[for="q-A1-2"]`)
		p.Click(`label[for="q-T1-4"]`)
		p.Type("#q-C1", "Gemeinsame Pipeline-Reviews")
		if status := p.ClickAndWait(`form button[type="submit"]`); status != http.StatusOK || !strings.HasSuffix(p.URL(), "/thanks") {
			t.Fatalf("submit: status %d at %s, want the thank-you page", status, p.URL())
		}
		if h := p.Text("h1"); h != "Vielen Dank: Ihre Antworten sind gespeichert" {
			t.Errorf("thank-you heading %q", h)
		}
		assertSound(t, p)
		rs, answers := r.stored(t)
		if len(rs) != 1 || rs[0].Language != "de" || answers["A1"] != "2" || answers["T1"] != "4" || answers["C1"] != "Gemeinsame Pipeline-Reviews" {
			t.Fatalf("stored %+v %v; want the German answers", rs, answers)
		}

		// The switcher: English, and it sticks for this link.
		if status := p.ClickAndWait(`.language-nav a[hreflang="en"]`); status != http.StatusOK {
			t.Fatalf("switch to English: status %d", status)
		}
		if h := p.Text("h1"); h != "Thank you: your answers are saved" {
			t.Errorf("after switching, heading %q", h)
		}
		p.Navigate(r.srv.URL + r.page)
		if lang := browsertest.Eval[string](p, `document.documentElement.lang`); lang != "en" || !strings.Contains(p.Text(`form button[type="submit"]`), "Save my changes") {
			t.Errorf("back on the survey: lang %q, button %q; want English", lang, p.Text(`form button[type="submit"]`))
		}
		assertSound(t, p)
	})
}

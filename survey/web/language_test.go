package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// TestSurveyInTheRespondentsLanguage: a German reader's link opens in
// German, with the lang attribute, German dates, labels and messages; the
// switcher's choice sticks for that link in that browser (and nowhere
// else), the answers record the language they were given in, and the
// error pages of a link speak the chosen language, or the browser's.
func TestSurveyInTheRespondentsLanguage(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondentIn(t, db, "de")
		c := r.srv.Client(t)
		expectOps(t, c.Get(r.page), http.StatusOK, `<html lang="de">`, "So bleiben Ihre Antworten vertraulich",
			"Gruppen von mindestens 5 Personen", "Montag, 23. März 2026 um 09:00 Uhr UTC", "<h2>Vertrauen</h2>",
			"Wie würden Sie die Beziehung zwischen Vertrieb und Produkt", "Stimme voll und ganz zu", "Antworten absenden",
			`<a href="/s/`+r.token+`?lang=fr" lang="fr" hreflang="fr">Français</a>`, `name="_lang" value="de"`)

		res := c.Submit(r.page, r.page, form("T1", "4"))
		expectOps(t, res, http.StatusUnprocessableEntity, "<title>Fehler: March pulse · Accord</title>",
			"Frage 1: Bitte wählen Sie die Antwort, die am besten passt.", `<span class="visually-hidden">Fehler:</span>`)

		// The switcher: French from now on, for this link in this browser.
		expectOps(t, c.Get(r.page+"?lang=fr"), http.StatusOK, `<html lang="fr">`, "Envoyer mes réponses", "lundi 23 mars 2026 à 09:00 UTC")
		expectOps(t, c.Get(r.page), http.StatusOK, `<html lang="fr">`, `name="_lang" value="fr"`)
		expectOps(t, r.srv.Client(t).Get(r.page), http.StatusOK, `<html lang="de">`)
		expectOps(t, c.Get(r.page+"?lang=xx"), http.StatusOK, `<html lang="fr">`)

		res = c.Submit(r.page, r.page, form("A1", "2"))
		expectOps(t, res, http.StatusSeeOther)
		expectOps(t, c.Get(r.page+"/thanks"), http.StatusOK, "Merci : vos réponses sont enregistrées", "d’au moins 5 personnes")
		if rs, _ := r.stored(t); len(rs) != 1 || rs[0].Language != "fr" {
			t.Fatalf("responses %+v; want one, answered in French", rs)
		}

		databasetest.Must(t, survey.CloseRound(t.Context(), db, r.round.ID, r.srv.Clock.Now()))
		expectOps(t, c.Get(r.page), http.StatusGone, `<html lang="fr">`, "Cette enquête est close")
		expectOps(t, r.srv.Client(t).Get(r.page), http.StatusGone, `<html lang="en">`, "This survey has closed")

		req, err := http.NewRequest(http.MethodGet, r.srv.URL+"/s/"+secrets.NewToken(), nil)
		databasetest.Must(t, err)
		req.Header.Set("Accept-Language", "es-ES,es;q=0.9,en;q=0.5")
		resp, err := http.DefaultClient.Do(req)
		databasetest.Must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Este enlace de encuesta no es válido") ||
			!strings.Contains(string(body), `<html lang="es">`) {
			t.Errorf("404 for a Spanish browser: %d\n%.400s", resp.StatusCode, body)
		}
	})
}

// TestQuestionTranslationsOnTheWeb: a custom question takes a translation
// per language on the question form; while a French reader's translation
// is missing, starting a round shows why it cannot start, naming the
// language and the question.
func TestQuestionTranslationsOnTheWeb(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		for _, p := range []roster.Person{{Email: "ann@acme.test", Function: "sales"}, {Email: "fab@acme.test", Function: "product", Language: "fr"}} {
			p.OrgID = acme.ID
			databasetest.Must(t, db.Create(&p).Error)
		}
		c := rosterClient(t, srv, "consultant@accord.test")
		expectOps(t, c.Get("/orgs/acme/instruments"), http.StatusOK, `<legend>German translation (de)</legend>`, `name="options_fr"`)
		add := url.Values{"kind": {"choice"}, "prompt": {"Which tool?"}, "options": {"CRM\nEmail"}, "version": {"1"},
			"prompt_de": {"Welches Werkzeug?"}, "options_de": {"CRM"}}
		expectOps(t, c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions", add), http.StatusUnprocessableEntity,
			"German: give the 2 options in the same order as in English, one per line (now 1).", `value="Welches Werkzeug?"`)
		add.Set("options_de", "CRM\nE-Mail")
		expectOps(t, c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions", add), http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/instruments/questions/Q1/edit"), http.StatusOK, `value="Welches Werkzeug?"`, ">CRM\nE-Mail</textarea>")

		r := c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds/preview", roundForm())
		expectOps(t, r, http.StatusUnprocessableEntity, "French (fr): Q1 (wording, options)")

		edit := url.Values{"kind": {"choice"}, "prompt": {"Which tool?"}, "options": {"CRM\nEmail"}, "version": {"2"},
			"prompt_de": {"Welches Werkzeug?"}, "options_de": {"CRM\nE-Mail"}, "prompt_fr": {"Quel outil ?"}, "options_fr": {"CRM\nE-mail"}}
		expectOps(t, c.Submit("/orgs/acme/instruments/questions/Q1/edit", "/orgs/acme/instruments/questions/Q1", edit), http.StatusSeeOther)
		expectOps(t, c.Get("/orgs/acme/instruments"), http.StatusOK, "Q1: French translation changed")
		expectOps(t, c.Submit("/orgs/acme/rounds/new", "/orgs/acme/rounds/preview", roundForm()), http.StatusOK, "2 people will be invited")
	})
}

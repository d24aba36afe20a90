package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
)

func TestQuestionBankPages(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		c := rosterClient(t, srv, "consultant@accord.test")
		r := c.Get("/orgs/acme/instruments")
		expectPage(t, r, http.StatusOK, "New rounds of Acme ask version 1, the built-in pulse", "<strong>A1</strong>", "Add a question",
			"The built-in Sales–Product Alignment Pulse.")
		if strings.Contains(r.Body, "/instruments/questions/A1/edit") {
			t.Fatal("the bank offers to edit A1")
		}

		add := func(form url.Values) (int, string) {
			r := c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions", form)
			return r.Status, r.Body
		}
		status, body := add(url.Values{"kind": {"choice"}, "prompt": {"Which tool do you use?"}, "options": {"CRM"}, "version": {"1"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="options-error">Give between 2 and 10 options, one per line (now 1).`) {
			t.Fatalf("choice with one option = %d: %.300s", status, body)
		}
		status, _ = add(url.Values{"kind": {"likert"}, "prompt": {"Roadmaps are shared early."}, "version": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add = %d", status)
		}
		expectPage(t, c.Get("/orgs/acme/instruments"), http.StatusOK, "Added question Q1. Version 2 is used by rounds created from now on",
			"New rounds of Acme ask version 2.", "Roadmaps are shared early.", `/orgs/acme/instruments/questions/Q1/edit`)

		expectPage(t, c.Get("/orgs/acme/instruments/questions/Q1/edit"), http.StatusOK, `value="Roadmaps are shared early."`, "Saving makes version 3")
		r = c.Submit("/orgs/acme/instruments/questions/Q1/edit", "/orgs/acme/instruments/questions/Q1",
			url.Values{"kind": {"likert"}, "prompt": {"Roadmaps are shared with sales early."}, "version": {"2"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("edit wording = %d: %.300s", r.Status, r.Body)
		}
		expectPage(t, c.Get("/orgs/acme/instruments"), http.StatusOK, "version 3", "Roadmaps are shared with sales early.",
			"Q1: reworded from &#34;Roadmaps are shared early.&#34; to &#34;Roadmaps are shared with sales early.&#34;")

		// A stale form (made from version 2) is refused rather than overwriting version 3.
		r = c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions/Q1/remove", url.Values{"version": {"2"}})
		expectPage(t, r, http.StatusConflict, "Someone changed the questionnaire while you were editing it")

		if r := c.Get("/orgs/acme/instruments/questions/A1/edit"); r.Status != http.StatusForbidden {
			t.Fatalf("edit form of A1 = %d, want 403", r.Status)
		}
		r = c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions/A1", url.Values{"prompt": {"Are we aligned?"}, "version": {"3"}})
		expectPage(t, r, http.StatusForbidden, "belongs to the built-in pulse and cannot be changed")
		id, err := survey.CurrentInstrumentID(t.Context(), db, acme.ID)
		databasetest.Must(t, err)
		var a1 survey.Question
		databasetest.Must(t, db.Where("instrument_id = ? AND key = ?", id, survey.QuestionA1).Take(&a1).Error)
		if a1.Prompt != survey.PulseQuestions()[0].Prompt {
			t.Fatalf("A1 reads %q", a1.Prompt)
		}
	})
}

func TestLeaderReadsButCannotChangeTheQuestionBank(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		c := rosterClient(t, srv, "lead@acme.test")
		r := c.Get("/orgs/acme/instruments")
		expectPage(t, r, http.StatusOK, "<strong>A1</strong>")
		if strings.Contains(r.Body, "Add a question") {
			t.Fatal("a leader is offered the add form")
		}
		r = c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions", url.Values{"kind": {"text"}, "prompt": {"Anything?"}, "version": {"1"}})
		if r.Status != http.StatusForbidden {
			t.Fatalf("leader adds a question: %d", r.Status)
		}
		if id, _ := survey.CurrentInstrumentID(t.Context(), db, acme.ID); id != mustPulseID(t, db) {
			t.Fatal("a leader's request made a new version")
		}
		if r := rosterClient(t, srv, "other@accord.test").Get("/orgs/acme/instruments"); r.Status != http.StatusNotFound {
			t.Fatalf("consultant of another organisation reads the bank: %d", r.Status)
		}
	})
}

func mustPulseID(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	id, err := survey.PulseInstrumentID(t.Context(), db)
	databasetest.Must(t, err)
	return id
}

func TestRespondentsOfARunningRoundKeepItsWording(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme := rosterServer(t, db)
		ctx := t.Context()
		p, err := roster.CreatePerson(ctx, db, acme.ID, roster.PersonInput{Email: "sam@acme.test", Function: "sales"})
		databasetest.Must(t, err)
		openRound := func() string {
			id, err := survey.CurrentInstrumentID(ctx, db, acme.ID)
			databasetest.Must(t, err)
			opens := srv.Clock.Now().Add(-time.Hour)
			_, tokens, err := survey.CreateRound(ctx, db, acme, id, "Pulse", opens, opens.Add(14*24*time.Hour), []roster.Person{*p})
			databasetest.Must(t, err)
			return "/s/" + tokens[p.ID]
		}
		onV1 := openRound()
		c := rosterClient(t, srv, "root@accord.test")
		r := c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions",
			url.Values{"kind": {"choice"}, "prompt": {"Which tool do you use?"}, "options": {"CRM\nSpreadsheet"}, "version": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add = %d", r.Status)
		}
		onV2 := openRound()
		r = c.Submit("/orgs/acme/instruments", "/orgs/acme/instruments/questions/Q1",
			url.Values{"prompt": {"Which tool do you use most?"}, "options": {"CRM\nSpreadsheet\nEmail"}, "version": {"2"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("edit = %d", r.Status)
		}
		onV3 := openRound()

		respondent := srv.Client(t)
		page := respondent.Get(onV1)
		if page.Status != http.StatusOK || strings.Contains(page.Body, "Which tool") {
			t.Fatalf("round on v1 = %d, shows a later question: %v", page.Status, strings.Contains(page.Body, "Which tool"))
		}
		expectPage(t, respondent.Get(onV2), http.StatusOK, "Which tool do you use?", "Spreadsheet")
		if strings.Contains(respondent.Get(onV2).Body, "<span>Email</span>") {
			t.Fatal("round on v2 shows an option added in v3")
		}
		expectPage(t, respondent.Get(onV3), http.StatusOK, "Which tool do you use most?", "<span>Email</span>")
	})
}

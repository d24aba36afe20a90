package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// TestRespondAnswersEveryQuestionOfTheRealForm drives the real router with
// one virtual respondent: the form parser must find the CSRF token and
// every question of the page the server renders, or the submit fails or
// stores fewer answers.
func TestRespondAnswersEveryQuestionOfTheRealForm(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db)
	org := webtest.MustOrg(t, db, "acme", "Acme")
	person := roster.Person{OrgID: org.ID, Email: "sam@acme.test", Function: "sales", Active: true}
	databasetest.Must(t, db.Create(&person).Error)
	pulse, err := survey.PulseInstrumentID(t.Context(), db)
	databasetest.Must(t, err)
	opens := srv.Clock.Now().Add(-time.Hour)
	_, tokens, err := survey.CreateRound(t.Context(), db, org, pulse, "Load", opens, opens.Add(48*time.Hour), []roster.Person{person})
	databasetest.Must(t, err)

	// A proxy in front of the server records what the generator asks for.
	var mu sync.Mutex
	seen := map[string]int{}
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		proxy.ServeHTTP(rec, r)
		mu.Lock()
		defer mu.Unlock()
		key := r.Method + " " + r.URL.Path
		if strings.HasSuffix(key, "/thanks") {
			key = fmt.Sprintf("%s %s %d", r.Method, "thanks", rec.status)
		}
		seen[key]++
	}))
	defer front.Close()

	pool := newTokenPool([]string{tokens[person.ID]})
	res := drive(t.Context(), newClient(2), front.URL, pool, 2, time.Second)
	if res.errors != 0 || len(res.latencies) == 0 {
		t.Fatalf("drive: %d respondents, %d errors (first: %s)", len(res.latencies), res.errors, res.firstErr)
	}
	var choiceQuestions, choiceAnswers int64
	databasetest.Must(t, db.Model(&survey.Question{}).Where("instrument_id = ? AND kind <> ?", pulse, survey.KindText).Count(&choiceQuestions).Error)
	databasetest.Must(t, db.Model(&survey.Answer{}).Where("value IS NOT NULL").Count(&choiceAnswers).Error)
	if choiceQuestions == 0 || choiceAnswers != choiceQuestions {
		t.Errorf("stored %d choice answers, want one for each of the %d choice questions", choiceAnswers, choiceQuestions)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["GET thanks 200"] < len(res.latencies) {
		t.Errorf("%d respondents but %d thank-you pages fetched with 200 (requests: %v)", len(res.latencies), seen["GET thanks 200"], seen)
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func TestParseFormUnescapesAttributes(t *testing.T) {
	page := []byte(`<form><input type="hidden" name="_csrf" value="a&#43;b"><input type="hidden" name="_instrument" value="7">
<input type="radio" id="q-A1-1" name="A1" value="1" required> <input type="radio" id="q-A1-2" name="A1" value="2">
<input type="radio" name="T1" value="5"><textarea id="q-C1" name="C1" rows="5"></textarea></form>`)
	f := parseForm(page)
	if f.hidden["_csrf"] != "a+b" || f.hidden["_instrument"] != "7" || len(f.hidden) != 2 {
		t.Errorf("hidden fields = %v, want _csrf a+b and _instrument 7", f.hidden)
	}
	if got := f.choices["A1"]; len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Errorf("A1 choices = %v", got)
	}
	if len(f.choices) != 2 || len(f.texts) != 1 || f.texts[0] != "C1" {
		t.Errorf("form = %+v", f)
	}
}

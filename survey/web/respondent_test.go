package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/secrets"
	"accord/survey/webkit/webtest"
)

// respondent is a test server with one open pulse round and one invited person.
type respondent struct {
	srv    *webtest.Server
	db     *gorm.DB
	org    *survey.Organisation
	person roster.Person
	round  *survey.Round
	token  string
	page   string // the person's survey address
}

const orgName = "Acme Widgets"

func newRespondent(t *testing.T, db *gorm.DB) *respondent {
	t.Helper()
	return newRespondentIn(t, db, "")
}

// newRespondentIn is newRespondent with the person's roster language lang.
func newRespondentIn(t *testing.T, db *gorm.DB, lang string) *respondent {
	t.Helper()
	srv := sitetest.NewServer(t, db)
	org := webtest.MustOrg(t, db, "acme", orgName)
	person := roster.Person{OrgID: org.ID, Email: "sam@acme.test", Name: "Sam Seller", Function: roster.FunctionSales,
		Team: "Enterprise", Region: "EMEA", TenureBand: "1-3 years", Language: lang}
	databasetest.Must(t, db.Create(&person).Error)
	pulse, err := survey.PulseInstrumentID(t.Context(), db)
	databasetest.Must(t, err)
	opens := srv.Clock.Now().Add(-24 * time.Hour)
	round, tokens, err := survey.CreateRound(t.Context(), db, org, pulse, "March pulse", opens, opens.Add(14*24*time.Hour), []roster.Person{person})
	databasetest.Must(t, err)
	tok := tokens[person.ID]
	return &respondent{srv: srv, db: db, org: org, person: person, round: round, token: tok, page: "/s/" + tok}
}

// stored returns every response and the answers of the first, by question key.
func (r *respondent) stored(t *testing.T) ([]survey.Response, map[string]string) {
	t.Helper()
	var rs []survey.Response
	databasetest.Must(t, r.db.Preload("Answers").Order("id").Find(&rs).Error)
	var qs []survey.Question
	databasetest.Must(t, r.db.Find(&qs).Error)
	key := map[int64]string{}
	for _, q := range qs {
		key[q.ID] = q.Key
	}
	answers := map[string]string{}
	if len(rs) > 0 {
		for _, a := range rs[0].Answers {
			if _, dup := answers[key[a.QuestionID]]; dup {
				t.Fatalf("two answers to %s", key[a.QuestionID])
			}
			if a.Value != nil {
				answers[key[a.QuestionID]] = fmt.Sprint(*a.Value)
			} else {
				answers[key[a.QuestionID]] = *a.Text
			}
		}
	}
	return rs, answers
}

func form(kv ...string) url.Values {
	f := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func TestSurveyPageShowsEveryQuestion(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		res := r.srv.Client(t).Get(r.page)
		if res.Status != http.StatusOK {
			t.Fatalf("GET survey: status %d", res.Status)
		}
		want := []string{orgName, "March pulse", "Monday 23 March 2026 at 09:00 UTC",
			"<h2>Overall</h2>", "<h2>Trust</h2>", "<h2>Information</h2>", "<h2>Process</h2>",
			"No one, not your manager", "groups of at least 5 people; smaller groups are hidden",
			"stored without your name or email address", `name="_csrf"`, `<textarea id="q-C1" name="C1"`,
			`aria-describedby="q-C1-help"`, `maxlength="2000"`, `content="noindex, nofollow"`}
		for _, q := range survey.PulseQuestions() {
			want = append(want, html.EscapeString(q.Prompt), html.EscapeString(q.Help))
			for _, o := range q.Options {
				want = append(want, html.EscapeString(o))
			}
		}
		for _, l := range survey.LikertLabels {
			want = append(want, l)
		}
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("survey page lacks %q", w)
			}
		}
		// A1 and the ten Likert items are fieldsets of radios; no script is needed.
		counts := map[string]int{"<fieldset": 11, "<legend": 11, `type="radio"`: 4 + 10*5, "<script": 0, r.person.Email: 0}
		for s, n := range counts {
			if got := strings.Count(res.Body, s); got != n {
				t.Errorf("page has %d × %q, want %d", got, s, n)
			}
		}
	})
}

func TestSurveyWithoutA1ShowsErrorAndStoresNothing(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		res := r.srv.Client(t).Submit(r.page, r.page, form("T1", "4", "C1", "Weekly <b>syncs</b>"))
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("submit without A1: status %d, want 422", res.Status)
		}
		for _, w := range []string{
			`role="alert"`, `<a href="#q-A1-1">Question 1: Please choose the answer that fits best.</a>`,
			`<fieldset id="q-A1" class="invalid" aria-describedby="q-A1-error">`,
			`<p class="field-error" id="q-A1-error">`,
			`id="q-A1-1" name="A1" value="1" aria-invalid="true"`,
			`id="q-T1-4" name="T1" value="4" checked`, // entered values are kept
			`Weekly &lt;b&gt;syncs&lt;/b&gt;</textarea>`,
		} {
			if !strings.Contains(res.Body, w) {
				t.Errorf("error page lacks %q", w)
			}
		}
		if strings.Contains(res.Body, `id="q-T1-error"`) {
			t.Error("a valid optional answer is marked as an error")
		}
		if rs, _ := r.stored(t); len(rs) != 0 {
			t.Fatalf("invalid submit stored %d responses", len(rs))
		}
	})
}

func TestSurveySubmitStoresAnonymousResponse(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		r.srv.Clock.Set(time.Date(2026, 3, 11, 15, 42, 7, 0, time.UTC))
		c := r.srv.Client(t)
		res := c.Submit(r.page, r.page, form("A1", "2", "T1", "5", "I2", "1", "C1", "  Joint pipeline reviews  ", "Z9", "5"))
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != r.page+"/thanks" {
			t.Fatalf("valid submit: status %d to %q, want 303 to the thank-you page", res.Status, res.Header.Get("Location"))
		}
		rs, answers := r.stored(t)
		if len(rs) != 1 {
			t.Fatalf("%d responses stored, want 1", len(rs))
		}
		got, p := rs[0], r.person
		if got.OrgID != r.org.ID || got.RoundID != r.round.ID || got.Function != p.Function || got.Team != p.Team ||
			got.Region != p.Region || got.TenureBand != p.TenureBand {
			t.Errorf("response %+v does not carry the round and the person's attributes", got)
		}
		if want := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC); !got.SubmittedOn.Equal(want) {
			t.Errorf("SubmittedOn = %v, want the day only, %v", got.SubmittedOn, want)
		}
		if fmt.Sprint(answers) != fmt.Sprint(map[string]string{"A1": "2", "T1": "5", "I2": "1", "C1": "Joint pipeline reviews"}) {
			t.Errorf("stored answers %v", answers)
		}
		thanks := c.Get(r.page + "/thanks")
		if thanks.Status != http.StatusOK || !strings.Contains(thanks.Body, `href="`+r.page+`">Change my answers</a>`) {
			t.Errorf("thank-you page: status %d, body %.300s", thanks.Status, thanks.Body)
		}
	})
}

func TestSurveyLinkShowsAndChangesAnswers(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		c := r.srv.Client(t)
		if res := c.Submit(r.page, r.page, form("A1", "3", "T2", "2", "C1", "Shared goals")); res.Status != http.StatusSeeOther {
			t.Fatalf("first submit: status %d", res.Status)
		}
		r.srv.Clock.Advance(24 * time.Hour)
		again := c.Get(r.page)
		for _, w := range []string{"You answered on Tuesday 10 March 2026; you can change your answers until",
			`id="q-A1-3" name="A1" value="3" checked`, `id="q-T2-2" name="T2" value="2" checked`, ">Shared goals</textarea>", "Save my changes"} {
			if !strings.Contains(again.Body, w) {
				t.Errorf("returning respondent's page lacks %q", w)
			}
		}
		if res := c.Submit(r.page, r.page, form("A1", "1", "P3", "4")); res.Status != http.StatusSeeOther {
			t.Fatalf("second submit: status %d", res.Status)
		}
		rs, answers := r.stored(t)
		if len(rs) != 1 || fmt.Sprint(answers) != fmt.Sprint(map[string]string{"A1": "1", "P3": "4"}) {
			t.Fatalf("after a change: %d responses with answers %v, want 1 with A1=1 P3=4", len(rs), answers)
		}
		if !rs[0].SubmittedOn.Equal(time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("SubmittedOn after a change = %v, want the day of the change", rs[0].SubmittedOn)
		}
	})
}

func TestSurveyUnknownLinksAre404(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		c := r.srv.Client(t)
		csrf := c.CSRF("/login")
		for _, path := range []string{
			"/s/" + secrets.NewToken(), "/s/" + secrets.NewToken() + "/thanks", "/s/short",
			"/s/" + r.token + "x", "/s/" + url.PathEscape(strings.Repeat("é", 43)), "/s/" + r.token[:42] + "%00",
		} {
			responses := []webtest.Response{c.Get(path)}
			if !strings.HasSuffix(path, "/thanks") {
				responses = append(responses, c.PostForm(path, form("_csrf", csrf, "A1", "1")))
			}
			for _, res := range responses {
				if res.Status != http.StatusNotFound || strings.Contains(res.Body, orgName) || !strings.Contains(res.Body, "link is not valid") {
					t.Errorf("%s: status %d, want a 404 page that names no organisation; body %.200s", path, res.Status, res.Body)
				}
			}
		}
	})
}

func TestSurveyClosedRoundIs410(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		close func(t *testing.T, r *respondent)
	}{
		{"closed", func(t *testing.T, r *respondent) {
			databasetest.Must(t, survey.CloseRound(t.Context(), r.db, r.round.ID, r.srv.Clock.Now()))
		}},
		{"past the deadline", func(t *testing.T, r *respondent) { r.srv.Clock.Set(r.round.ClosesAt) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
				r := newRespondent(t, db)
				c := r.srv.Client(t)
				csrf := c.CSRF(r.page) // the page was open in the browser before the round closed
				tt.close(t, r)
				for _, res := range []webtest.Response{c.Get(r.page), c.PostForm(r.page, form("_csrf", csrf, "A1", "1")), c.Get(r.page + "/thanks")} {
					if res.Status != http.StatusGone || strings.Contains(res.Body, orgName) || !strings.Contains(res.Body, "This survey has closed") {
						t.Errorf("status %d, want a 410 page that names no organisation; body %.200s", res.Status, res.Body)
					}
				}
				if rs, _ := r.stored(t); len(rs) != 0 {
					t.Fatalf("%d responses stored in a closed round", len(rs))
				}
			})
		})
	}
}

// TestSurveyConcurrentSubmitsKeepOneResponse fires 20 different answer sets
// with one link at once, as a double-clicking or retrying browser might:
// one response must remain, holding exactly one complete set. Half the
// posts name the questionnaire version, as the form does, and may take the
// one-statement first-response path; half do not and take the general one.
func TestSurveyConcurrentSubmitsKeepOneResponse(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		c := r.srv.Client(t)
		hidden := c.Hidden(r.page)
		statuses := make(chan string, 20)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				f := answerSet(i)
				f.Set("_csrf", hidden.Get("_csrf"))
				if i%2 == 0 {
					f.Set("_instrument", hidden.Get("_instrument"))
				}
				resp, err := c.HTTP.PostForm(r.srv.URL+r.page, f)
				if err != nil {
					statuses <- err.Error()
					return
				}
				resp.Body.Close()
				statuses <- resp.Status
			})
		}
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != "303 See Other" {
				t.Errorf("concurrent submit: %s, want 303 See Other", s)
			}
		}
		rs, answers := r.stored(t)
		if len(rs) != 1 {
			t.Fatalf("%d responses after 20 submits of one link, want 1", len(rs))
		}
		var i int
		if _, err := fmt.Sscanf(answers["C1"], "set %d", &i); err != nil || !sameSet(answers, answerSet(i)) {
			t.Fatalf("stored answers %v are not one complete submitted set", answers)
		}
	})
}

// answerSet is the i-th of 20 distinguishable complete submissions.
func answerSet(i int) url.Values {
	f := form("A1", fmt.Sprint(i%4+1), "C1", fmt.Sprintf("set %d", i))
	for _, q := range survey.PulseQuestions() {
		if q.Kind == survey.KindLikert {
			f.Set(q.Key, fmt.Sprint(i%5+1))
		}
	}
	return f
}

// sameSet reports whether the stored answers are exactly the submitted form.
func sameSet(got map[string]string, want url.Values) bool {
	if len(got) != len(want) {
		return false
	}
	for k := range want {
		if got[k] != want.Get(k) {
			return false
		}
	}
	return true
}

// TestSurveyStoresNoTokenAndNoPersonLink checks anonymity by construction:
// after a submit no table holds the raw token in any form, and responses
// have no column that could point back to a person.
func TestSurveyStoresNoTokenAndNoPersonLink(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newRespondent(t, db)
		if res := r.srv.Client(t).Submit(r.page, r.page, form("A1", "1", "C1", "Comment")); res.Status != http.StatusSeeOther {
			t.Fatalf("submit: status %d", res.Status)
		}
		raw, err := base64.RawURLEncoding.DecodeString(r.token)
		databasetest.Must(t, err)
		forbidden := [][]byte{[]byte(r.token), raw, []byte(hex.EncodeToString(raw)), []byte(base64.StdEncoding.EncodeToString(raw))}
		var inv survey.Invitation
		databasetest.Must(t, db.Where("token_hash = ?", secrets.HashToken(r.token)).Take(&inv).Error)
		key := secrets.ResponseKey(webtest.Secret, inv.ID)
		found := scanDatabase(t, db, append(forbidden, secrets.HashToken(r.token), key))
		for _, needle := range forbidden {
			if where := found[string(needle)]; where != "" {
				t.Errorf("the raw token is stored in %s", where)
			}
		}
		// The scan does see binary columns: the hash and the edit key are there.
		if found[string(secrets.HashToken(r.token))] == "" || found[string(key)] == "" {
			t.Fatalf("scan found neither the token hash nor the edit key (found %v): it does not read binary columns", found)
		}
		cols, err := db.Migrator().ColumnTypes(&survey.Response{})
		databasetest.Must(t, err)
		for _, col := range cols {
			name := strings.ToLower(col.Name())
			for _, bad := range []string{"person", "people", "invitation", "account", "token", "email", "user"} {
				if strings.Contains(name, bad) {
					t.Errorf("responses has column %q, which could link a response to a person", col.Name())
				}
			}
		}
		if len(cols) == 0 {
			t.Fatal("no columns read from responses")
		}
	})
}

// scanDatabase reads every row of every table and reports, for each needle,
// a table.column whose text or bytes contain it.
func scanDatabase(t *testing.T, db *gorm.DB, needles [][]byte) map[string]string {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	databasetest.Must(t, err)
	if len(tables) < len(survey.SchemaModels()) {
		t.Fatalf("found only tables %v", tables)
	}
	found := map[string]string{}
	for _, table := range tables {
		var rows []map[string]any
		databasetest.Must(t, db.Table(table).Find(&rows).Error)
		for _, row := range rows {
			for col, v := range row {
				var b []byte
				switch v := v.(type) {
				case string:
					b = []byte(v)
				case []byte:
					b = v
				default:
					continue
				}
				for _, n := range needles {
					if bytes.Contains(b, n) {
						found[string(n)] = table + "." + col
					}
				}
			}
		}
	}
	return found
}

// TestSurveyFirstSubmitSkipsLoadingOnPostgres: on PostgreSQL the first
// submit of a rendered form is stored without loading the survey, in one
// statement sent outside GORM, so GORM runs none; it still lands as the
// invitation's one response.
func TestSurveyFirstSubmitSkipsLoadingOnPostgres(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "postgres")
	r := newRespondent(t, db)
	c := r.srv.Client(t)
	f := c.Hidden(r.page)
	statements := 0
	count := func(*gorm.DB) { statements++ }
	cb := db.Callback()
	databasetest.Must(t, cb.Query().Before("gorm:query").Register("count_query", count))
	databasetest.Must(t, cb.Row().Before("gorm:row").Register("count_row", count))
	databasetest.Must(t, cb.Raw().Before("gorm:raw").Register("count_raw", count))
	databasetest.Must(t, cb.Create().Before("gorm:create").Register("count_create", count))
	databasetest.Must(t, cb.Update().Before("gorm:update").Register("count_update", count))
	databasetest.Must(t, cb.Delete().Before("gorm:delete").Register("count_delete", count))
	t.Cleanup(func() {
		cb.Query().Remove("count_query")
		cb.Row().Remove("count_row")
		cb.Raw().Remove("count_raw")
		cb.Create().Remove("count_create")
		cb.Update().Remove("count_update")
		cb.Delete().Remove("count_delete")
	})
	f.Set("A1", "2")
	f.Set("T1", "4")
	if resp := c.PostForm(r.page, f); resp.Status != http.StatusSeeOther {
		t.Fatalf("submit = %d, want 303", resp.Status)
	}
	if statements != 0 {
		t.Errorf("the first submit ran %d statements through GORM, want none", statements)
	}
	rs, answers := r.stored(t)
	if len(rs) != 1 || answers["A1"] != "2" || answers["T1"] != "4" || len(answers) != 2 {
		t.Errorf("%d responses with answers %v, want one with A1=2 and T1=4", len(rs), answers)
	}
}

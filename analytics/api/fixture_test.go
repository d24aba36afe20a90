package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"gorm.io/gorm"

	"accord/analytics/analyticstest"
	"accord/analytics/api"
	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// world is the fixture of the API tests: three organisations, four
// accounts with a token each, and acme's rounds.
//
//	acme:  two closed rounds and an open one; sales and product teams of 6,
//	       marketing (3) and executives (2) hidden as groups under 5
//	beta:  one closed round of 6 sales people
//	gamma: no round yet
type world struct {
	srv    *webtest.Server
	db     *gorm.DB
	orgs   map[string]*survey.Organisation
	tokens map[string]string // who → API token
	rounds []*survey.Round   // acme's, oldest first
	doc    *openapi3.T
	router routers.Router
}

var (
	jan = time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	feb = time.Date(2026, 2, 9, 9, 0, 0, 0, time.UTC)
	mar = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC) // open at the test clock's 10 March
)

// Who holds which token.
const (
	admin = "admin"
	cons  = "consultant of acme and gamma"
	leadA = "leader of acme"
	leadB = "leader of beta"
)

func newWorld(t *testing.T, db *gorm.DB) *world {
	t.Helper()
	w := &world{srv: sitetest.NewServer(t, db), db: db, orgs: map[string]*survey.Organisation{}, tokens: map[string]string{}}
	for _, slug := range []string{"acme", "beta", "gamma"} {
		w.orgs[slug] = webtest.MustOrg(t, db, slug, strings.ToUpper(slug[:1])+slug[1:])
	}
	for who, acc := range map[string]*account.Account{
		admin: webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin),
		cons:  webtest.MustAccount(t, db, "cons@accord.test", account.RoleConsultant, w.orgs["acme"].ID, w.orgs["gamma"].ID),
		leadA: webtest.MustAccount(t, db, "lead@acme.test", account.RoleLeader, w.orgs["acme"].ID),
		leadB: webtest.MustAccount(t, db, "lead@beta.test", account.RoleLeader, w.orgs["beta"].ID),
	} {
		token, _, err := account.CreateAPIToken(t.Context(), db, acc, "tests", nil, w.srv.Clock.Now())
		databasetest.Must(t, err)
		w.tokens[who] = token
	}
	acme := w.orgs["acme"]
	w.rounds = []*survey.Round{
		analyticstest.MustRound(t, db, acme, analyticstest.Round{Title: "January", OpensAt: jan, Respondents: acmePeople(0)}),
		analyticstest.MustRound(t, db, acme, analyticstest.Round{Title: "February", OpensAt: feb, Respondents: acmePeople(1)}),
		analyticstest.MustRound(t, db, acme, analyticstest.Round{Title: "March", OpensAt: mar, Status: survey.RoundOpen, Respondents: acmePeople(2)}),
	}
	analyticstest.MustRound(t, db, w.orgs["beta"], analyticstest.Round{Title: "Beta January", OpensAt: jan, A1: analyticstest.A1(2, 6)})
	w.doc, w.router = loadDocument(t)
	return w
}

// acmePeople answers round i: the same 17 people each time, with answers
// that drift from round to round.
func acmePeople(i int) []analyticstest.Respondent {
	var out []analyticstest.Respondent
	add := func(function, team string, n int) {
		for j := range n {
			out = append(out, analyticstest.Respondent{
				Person: fmt.Sprintf("%s-%d", team, j), Function: function, Team: team,
				A1:      1 + (i+j)%4,
				Likert:  map[string]int{"T1": 1 + (i+j)%5, "T2": 1 + (j+1)%5, "I1": 1 + (2*i+j)%5, "P1": 1 + (i+2*j)%5},
				Comment: "Fewer one-off deals.",
			})
		}
	}
	add(roster.FunctionSales, "Hunters", 6)
	add(roster.FunctionProduct, "Core", 6)
	add(roster.FunctionMarketing, "Brand", 3)
	add(roster.FunctionExecutive, "Board", 2)
	return out
}

// loadDocument parses the served OpenAPI document, checks that it is a
// valid OpenAPI 3 document, and builds a router over its paths.
func loadDocument(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPI)
		if err != nil {
			docErr = fmt.Errorf("parse openapi.json: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			docErr = fmt.Errorf("openapi.json is not a valid OpenAPI 3 document: %w", err)
			return
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			docErr = fmt.Errorf("route openapi.json: %w", err)
			return
		}
		doc0, router0 = doc, router
	})
	if docErr != nil {
		t.Fatal(docErr)
	}
	return doc0, router0
}

var (
	docOnce sync.Once
	doc0    *openapi3.T
	router0 routers.Router
	docErr  error
)

// reply is an API answer.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r reply) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%.500s", err, r.Body)
	}
	return v
}

// get calls path (with its query) as who (no token when who is ""), and
// checks the answer against the OpenAPI document: its status must be
// documented for the operation, its body must match the schema.
func (w *world) get(t *testing.T, who, path string) reply {
	t.Helper()
	return w.do(t, path, func(req *http.Request) {
		if who != "" {
			req.Header.Set("Authorization", "Bearer "+w.tokens[who])
		}
	})
}

// do makes a GET request after prepare and validates the answer.
func (w *world) do(t *testing.T, path string, prepare func(*http.Request)) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, w.srv.URL+path, nil)
	databasetest.Must(t, err)
	prepare(req)
	return w.send(t, req)
}

// send makes the request and validates the answer.
func (w *world) send(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	databasetest.Must(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	databasetest.Must(t, err)
	r := reply{Status: resp.StatusCode, Header: resp.Header, Body: body}
	w.validate(t, req, r)
	return r
}

// validate checks an answer against the document. Error answers of routes
// the document does not have (an unknown address) are checked against the
// Error schema directly.
func (w *world) validate(t *testing.T, req *http.Request, r reply) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q, want JSON", req.URL, ct)
	}
	route, params, err := w.router.FindRoute(req)
	if err != nil {
		if r.Status < 400 {
			t.Fatalf("GET %s answered %d but the document has no such operation: %v", req.URL, r.Status, err)
		}
		var v any
		databasetest.Must(t, json.Unmarshal(r.Body, &v))
		if err := w.doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
			t.Fatalf("GET %s: error answer does not match the Error schema: %v\n%s", req.URL, err, r.Body)
		}
		return
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: opts}
	if err := openapi3filter.ValidateResponse(t.Context(), out); err != nil {
		t.Fatalf("GET %s (%d) does not match the OpenAPI document:\n%v\nbody: %.2000s", req.URL, r.Status, err, r.Body)
	}
}

// expectError checks an error answer's status and its one shape.
func expectError(t *testing.T, r reply, status int, message string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	var e struct {
		Error struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil || e.Error.Status != status || e.Error.Message == "" {
		t.Fatalf("error body %s: want {\"error\":{\"status\":%d,\"message\":…}}", r.Body, status)
	}
	if !strings.Contains(e.Error.Message, message) {
		t.Errorf("error message %q, want it to mention %q", e.Error.Message, message)
	}
}

// pathOf returns the path and query of an absolute next link.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	databasetest.Must(t, err)
	if u.Host != "accord.test" {
		t.Errorf("link %s is not on the configured base URL", link)
	}
	return u.RequestURI()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

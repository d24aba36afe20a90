package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site"
	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail"
	"accord/survey/mail/mailtest"
	"accord/survey/notify/notifytest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// The authorisation matrix: every route of the site's route table
// (analytics/site: survey pages, analytics pages and the API) is called as
// each of six people, and must be allowed or denied as this matrix says. A
// route of the table missing from the matrix, a row of the matrix that is
// no route, a route registered outside the table, and a route whose rule
// is missing or admits fewer people than the matrix shows all fail the
// test, so a new page cannot be added without deciding who may open it.

// Who calls.
const (
	anon   = "anonymous"
	leadA  = "leader of A"
	leadB  = "leader of B"
	consA  = "consultant of A"
	consB  = "consultant of B"
	admin  = "admin"
	anyone = "anyone"
)

var authzWho = []string{anon, leadA, leadB, consA, consB, admin}

// Sets of callers the table uses. Organisation routes are called for A.
var (
	everyone = []string{anon, leadA, leadB, consA, consB, admin}
	loggedIn = []string{leadA, leadB, consA, consB, admin}
	seeA     = []string{leadA, consA, admin} // dashboards, rounds, schedules and questions of A
	runA     = []string{consA, admin}        // A's roster and set-up
	staff    = []string{consA, consB, admin} // account lists and the audit log
	admins   = []string{admin}               // the development outbox, role changes
	none     = []string(nil)                 // routes for a bearer token, which no caller here has
)

// authzRoute is one row of the matrix; form is posted (with a valid CSRF
// token) to POST routes.
type authzRoute struct {
	allow []string
	form  url.Values
}

// authzTable decides every route. Forms are chosen so that an allowed call
// changes as little as possible (most are refused as invalid, which still
// shows the caller got past authorisation).
func authzTable() map[string]authzRoute {
	return map[string]authzRoute{
		"GET /healthz":          {allow: everyone},
		"GET /readyz":           {allow: everyone},
		"GET /metrics":          {allow: none}, // a bearer token (ACCORD_METRICS_TOKEN), never a session
		"GET /static/*":         {allow: everyone},
		"GET /favicon.ico":      {allow: everyone},
		"GET /":                 {allow: everyone},
		"GET /login":            {allow: everyone},
		"POST /login":           {allow: everyone, form: url.Values{"email": {"admin@accord.test"}, "password": {webtest.Password}}},
		"POST /logout":          {allow: everyone},
		"GET /password/forgot":  {allow: everyone},
		"POST /password/forgot": {allow: everyone, form: url.Values{"email": {"not an address"}}},
		"GET /password/set":     {allow: everyone},
		"POST /password/set":    {allow: everyone},
		"GET /s/:token":         {allow: everyone},
		"POST /s/:token":        {allow: everyone},
		"GET /s/:token/thanks":  {allow: everyone},
		// Without ACCORD_OIDC_* (as here) both send everyone back to
		// /login; survey/web's SSO tests run them against a provider.
		"GET /login/oidc":          {allow: everyone},
		"GET /login/oidc/callback": {allow: everyone},

		"POST /logout/everywhere":     {allow: loggedIn},
		"GET /account/password":       {allow: loggedIn},
		"POST /account/password":      {allow: loggedIn},
		"GET /account/tokens":         {allow: loggedIn},
		"POST /account/tokens":        {allow: loggedIn, form: url.Values{"name": {""}, "expires": {"90"}}},
		"POST /account/tokens/revoke": {allow: loggedIn},
		"GET /orgs":                   {allow: loggedIn},
		"GET /orgs/new":               {allow: staff},
		"POST /orgs":                  {allow: staff, form: url.Values{"name": {""}}},
		"GET /orgs/archived":          {allow: staff},

		"GET /orgs/:slug":                                    {allow: seeA},
		"GET /orgs/:slug/rounds":                             {allow: seeA},
		"GET /orgs/:slug/schedules":                          {allow: seeA},
		"GET /orgs/:slug/instruments":                        {allow: seeA},
		"GET /orgs/:slug/export":                             {allow: seeA},
		"GET /orgs/:slug/export/responses":                   {allow: runA},
		"GET /orgs/:slug/settings":                           {allow: seeA},
		"GET /orgs/:slug/logo":                               {allow: seeA},
		"POST /orgs/:slug/settings":                          {allow: runA, form: url.Values{"name": {""}}},
		"POST /orgs/:slug/archive":                           {allow: runA}, // restored by the next row
		"POST /orgs/:slug/restore":                           {allow: runA},
		"POST /orgs/:slug/delete":                            {allow: runA, form: url.Values{"confirm": {"not-acme"}}},
		"POST /orgs/:slug/settings/chat":                     {allow: runA, form: url.Values{"slack": {"not a URL"}}},
		"GET /portfolio":                                     {allow: staff},
		"GET /portfolio/export":                              {allow: staff},
		"GET /portfolio/report":                              {allow: staff},
		"GET /orgs/:slug/reports":                            {allow: seeA},
		"GET /orgs/:slug/report":                             {allow: seeA},
		"POST /orgs/:slug/reports/settings":                  {allow: runA},
		"GET /orgs/:slug/actions":                            {allow: seeA},
		"GET /orgs/:slug/actions/export":                     {allow: seeA},
		"POST /orgs/:slug/actions":                           {allow: seeA, form: url.Values{"title": {""}}},
		"POST /orgs/:slug/actions/:id":                       {allow: seeA, form: url.Values{"status": {"unknown"}}},
		"POST /orgs/:slug/rounds/:id/message":                {allow: seeA, form: url.Values{"body": {""}}},
		"POST /orgs/:slug/rounds/:id/open":                   {allow: runA},
		"POST /orgs/:slug/rounds/:id/close":                  {allow: runA},
		"GET /orgs/:slug/rounds/:id/close":                   {allow: runA},
		"GET /orgs/:slug/rounds/new":                         {allow: runA},
		"POST /orgs/:slug/rounds/preview":                    {allow: runA},
		"POST /orgs/:slug/rounds":                            {allow: runA},
		"POST /orgs/:slug/rounds/:id/resend":                 {allow: runA},
		"GET /orgs/:slug/schedules/new":                      {allow: runA},
		"POST /orgs/:slug/schedules":                         {allow: runA},
		"GET /orgs/:slug/schedules/:id/edit":                 {allow: runA},
		"POST /orgs/:slug/schedules/:id":                     {allow: runA},
		"POST /orgs/:slug/instruments/questions":             {allow: runA},
		"GET /orgs/:slug/instruments/questions/:key/edit":    {allow: runA},
		"POST /orgs/:slug/instruments/questions/:key":        {allow: runA},
		"POST /orgs/:slug/instruments/questions/:key/remove": {allow: runA},
		"GET /orgs/:slug/people":                             {allow: runA},
		"GET /orgs/:slug/people.csv":                         {allow: runA},
		"GET /orgs/:slug/people/new":                         {allow: runA},
		"POST /orgs/:slug/people":                            {allow: runA},
		"GET /orgs/:slug/people/:id/edit":                    {allow: runA},
		"POST /orgs/:slug/people/:id":                        {allow: runA},
		"POST /orgs/:slug/people/:id/active":                 {allow: runA, form: url.Values{"active": {"true"}}},
		"GET /orgs/:slug/people/import":                      {allow: runA},
		"POST /orgs/:slug/people/import":                     {allow: runA},
		"POST /orgs/:slug/people/import/confirm":             {allow: runA},

		// The API takes an API token only, never the session the matrix
		// calls with (the API's own tests call it with tokens).
		"GET /api/v1/openapi.json":        {allow: everyone},
		"GET /api/v1/orgs":                {allow: none},
		"POST /api/v1/orgs":               {allow: none},
		"GET /api/v1/orgs/:slug":          {allow: none},
		"GET /api/v1/orgs/:slug/rounds":   {allow: none},
		"GET /api/v1/orgs/:slug/measures": {allow: none},
		"GET /api/v1/orgs/:slug/insight":  {allow: none},
		"GET /api/v1/orgs/:slug/export":   {allow: none},
		"GET /api/v1/orgs/:slug/actions":  {allow: none},
		"GET /api/v1/portfolio":           {allow: none},

		"GET /accounts":              {allow: staff},
		"GET /accounts/new":          {allow: staff},
		"POST /accounts":             {allow: staff},
		"GET /accounts/:id/edit":     {allow: runA}, // the account is a leader of A
		"POST /accounts/:id":         {allow: admins},
		"POST /accounts/:id/remove":  {allow: runA},
		"POST /accounts/:id/invite":  {allow: runA},
		"POST /accounts/:id/disable": {allow: admins, form: url.Values{"disabled": {"true"}}},
		"GET /audit":                 {allow: staff},
		"GET /dev/mail":              {allow: admins},
	}
}

// authzWorld is the fixture every call runs against.
type authzWorld struct {
	srv      *webtest.Server
	site     *site.Site
	db       *gorm.DB
	accounts map[string]*account.Account
	ids      map[string]string // path parameter values
	orgA     int64
	targets  atomic.Int64
}

func newAuthzWorld(t *testing.T, db *gorm.DB) *authzWorld {
	t.Helper()
	srv, st := sitetest.Start(t, db)
	outbox := mailtest.NewOutbox(t, mailtest.Options(db, &mail.DevSender{DB: db}))
	sched, err := survey.NewScheduler(db, outbox, notifytest.Emails(t), srv.App.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	databasetest.Must(t, err)
	srv.App.Scheduler, srv.App.Mail = sched, outbox
	w := &authzWorld{srv: srv, site: st, db: db, accounts: map[string]*account.Account{}, ids: map[string]string{}}
	a := webtest.MustOrg(t, db, "acme", "Acme")
	b := webtest.MustOrg(t, db, "beta", "Beta")
	w.orgA = a.ID
	_, err = survey.UpdateOrganisation(t.Context(), db, a, survey.OrgInput{Name: "Acme", Logo: webtest.PNG(4, 2)})
	databasetest.Must(t, err)
	for who, acc := range map[string][2]any{
		admin: {account.RoleAdmin, []int64(nil)}, consA: {account.RoleConsultant, []int64{a.ID}}, consB: {account.RoleConsultant, []int64{b.ID}},
		leadA: {account.RoleLeader, []int64{a.ID}}, leadB: {account.RoleLeader, []int64{b.ID}},
	} {
		email := strings.ReplaceAll(who, " ", "-") + "@accord.test"
		if who == admin {
			email = "admin@accord.test"
		}
		w.accounts[who] = webtest.MustAccount(t, db, email, acc[0].(string), acc[1].([]int64)...)
	}
	for _, email := range []string{"sam@acme.test", "pat@acme.test"} {
		p, err := roster.CreatePerson(t.Context(), db, a.ID, roster.PersonInput{Email: email, Function: "sales"})
		databasetest.Must(t, err)
		w.ids["person"] = fmt.Sprint(p.ID)
	}
	inst, err := survey.OrgInstrument(t.Context(), db, a.ID)
	databasetest.Must(t, err)
	inst, err = survey.AddQuestion(t.Context(), db, a.ID, inst.Version, survey.QuestionInput{Kind: survey.KindText, Prompt: "Anything else?"})
	databasetest.Must(t, err)
	w.ids["key"] = inst.Questions[len(inst.Questions)-1].Key
	s := &survey.Schedule{Name: "Monthly pulse"}
	f := survey.ScheduleForm{Name: "Monthly pulse", Cadence: survey.CadenceMonthly, StartDate: "2026-03-09", SendTime: "09:00",
		TimeZone: "UTC", WindowDays: "7", ReminderDays: "3", Active: true}
	if errs := f.Parse(s); len(errs) > 0 {
		t.Fatalf("schedule: %v", errs)
	}
	databasetest.Must(t, survey.SaveSchedule(t.Context(), db, a, s, srv.Clock.Now()))
	w.ids["schedule"] = fmt.Sprint(s.ID)
	databasetest.Must(t, sched.Tick(t.Context(), srv.Clock.Now()))
	var r survey.Round
	databasetest.Must(t, db.Where("org_id = ? AND status = ?", a.ID, survey.RoundOpen).Take(&r).Error)
	w.ids["round"] = fmt.Sprint(r.ID)
	var m mail.Message
	databasetest.Must(t, db.Where("kind = ?", mail.KindInvitation).Order("id").Take(&m).Error)
	tok := regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})`).FindStringSubmatch(m.Text)
	if tok == nil {
		t.Fatalf("no respondent link in %q", m.Text)
	}
	w.ids["token"] = tok[1]
	action, err := survey.CreateActionPlan(t.Context(), db, a.ID, survey.ActionInput{Target: survey.IndexTrust, Title: "Joint reviews"})
	databasetest.Must(t, err)
	w.ids["action"] = fmt.Sprint(action.ID)
	return w
}

// path fills a route's parameters with the fixture's values; each account
// route gets a fresh, invited leader of A, so that removing one leaves the
// next caller something to act on.
func (w *authzWorld) path(t *testing.T, route string) string {
	p := strings.Replace(route, "/static/*", "/static/css/accord.css", 1)
	p = strings.ReplaceAll(p, ":slug", "acme")
	p = strings.ReplaceAll(p, ":key", w.ids["key"])
	p = strings.ReplaceAll(p, ":token", w.ids["token"])
	switch {
	case strings.HasPrefix(p, "/accounts/:id"):
		acc := account.Account{Email: fmt.Sprintf("target%d@acme.test", w.targets.Add(1)), Role: account.RoleLeader}
		databasetest.Must(t, w.db.Create(&acc).Error)
		databasetest.Must(t, w.db.Create(&account.Membership{AccountID: acc.ID, OrgID: w.orgA}).Error)
		p = strings.Replace(p, ":id", fmt.Sprint(acc.ID), 1)
	case strings.Contains(p, "/rounds/:id"):
		p = strings.Replace(p, ":id", w.ids["round"], 1)
	case strings.Contains(p, "/schedules/:id"):
		p = strings.Replace(p, ":id", w.ids["schedule"], 1)
	case strings.Contains(p, "/actions/:id"):
		p = strings.Replace(p, ":id", w.ids["action"], 1)
	case strings.Contains(p, "/people/:id"):
		p = strings.Replace(p, ":id", w.ids["person"], 1)
	}
	if strings.Contains(p, ":") {
		t.Fatalf("route %s: no value for a parameter in %s; add one to authzWorld.path", route, p)
	}
	return p
}

// call makes one request as who, with a session of its own (so that a
// logout does not spoil the next call) and, for POST, a valid CSRF token.
func (w *authzWorld) call(t *testing.T, c *webtest.Client, csrf, who, method, path string, form url.Values) webtest.Response {
	t.Helper()
	u, _ := url.Parse(w.srv.URL)
	ck := &http.Cookie{Name: "accord_session", Value: "", Path: "/", MaxAge: -1}
	if acc := w.accounts[who]; acc != nil {
		token, err := account.CreateSession(t.Context(), w.db, acc.ID, w.srv.Clock.Now())
		databasetest.Must(t, err)
		ck = &http.Cookie{Name: "accord_session", Value: token, Path: "/"}
	}
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{ck})
	if method == http.MethodGet {
		return c.Get(path)
	}
	f := url.Values{"_csrf": {csrf}}
	for k, v := range form {
		f[k] = v
	}
	return c.PostForm(path, f)
}

// denied reports whether a response refuses the caller: a login demanded,
// or forbidden, or a page that does not exist for them, or too many calls
// (the API counts calls without a valid token per address, and the
// matrix's calls to it all come from one).
func denied(r webtest.Response) bool {
	switch r.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests:
		return true
	case http.StatusSeeOther:
		return strings.HasPrefix(r.Header.Get("Location"), "/login?next=")
	}
	return false
}

// routes returns the route table by "METHOD /path", after checking that
// the router serves exactly the table's routes and that each has a rule.
func routes(t *testing.T, w *authzWorld) map[string]site.Route {
	t.Helper()
	table := map[string]site.Route{}
	for _, r := range w.site.Routes {
		key := r.Method + " " + r.Path
		if _, dup := table[key]; dup {
			t.Errorf("route %s is twice in the route table", key)
		}
		if err := r.Rule.Check(); err != nil {
			t.Errorf("route %s: %v", key, err)
		}
		table[key] = r
	}
	served := map[string]bool{}
	for _, r := range w.srv.App.Echo.Routes() {
		key := r.Method + " " + r.Path
		served[key] = true
		if _, ok := table[key]; !ok {
			t.Errorf("route %s is served but not in the route table (analytics/site/routes.go)", key)
		}
	}
	for key := range table {
		if !served[key] {
			t.Errorf("route %s of the route table is not served", key)
		}
	}
	return table
}

// ruleAdmits returns who of the matrix's callers a route's rule admits: on
// routes for a bearer token, nobody (the matrix's calls carry none); on
// signed-in routes, the accounts whose role may do the rule's Role and
// Checks and, on an organisation's route, that reach the organisation.
func (w *authzWorld) ruleAdmits(t *testing.T, r site.Route) []string {
	switch r.Rule.Who {
	case site.Public, site.RespondentLink:
		return everyone
	case site.MetricsToken, site.APIToken:
		return none
	}
	var admitted []string
	for _, who := range loggedIn {
		acc := w.accounts[who]
		if r.Rule.Role != "" && !account.Can(acc, r.Rule.Role) || r.Rule.Checks != "" && !account.Can(acc, r.Rule.Checks) {
			continue
		}
		if strings.Contains(r.Path, ":slug") {
			if _, err := survey.OrgForAccount(t.Context(), w.db, acc, "acme"); err != nil {
				continue
			}
		}
		admitted = append(admitted, who)
	}
	return admitted
}

// TestRouteTableAndMatrixAgree: every route of the route table has a rule
// and a row of the matrix, every row is a route, and each row admits no
// one its route's rule does not (a handler may narrow further: a
// consultant edits only the accounts of their organisations).
func TestRouteTableAndMatrixAgree(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(t, databasetest.Open(t, "sqlite"))
	table, matrix := routes(t, w), authzTable()
	for key, r := range table {
		row, ok := matrix[key]
		if !ok {
			t.Errorf("route %s has no entry in the authorisation matrix: decide who may call it", key)
			continue
		}
		admits := w.ruleAdmits(t, r)
		exact := r.Rule.Who != site.SignedIn
		for _, who := range row.allow {
			if !slices.Contains(admits, who) {
				t.Errorf("route %s: the matrix allows %s, whom its rule %+v does not admit", key, who, r.Rule)
			}
		}
		if exact && len(row.allow) != len(admits) {
			t.Errorf("route %s: the matrix allows %v, its rule %+v admits %v", key, row.allow, r.Rule, admits)
		}
	}
	for key := range matrix {
		if _, ok := table[key]; !ok {
			t.Errorf("the authorisation matrix has %s, which is not in the route table", key)
		}
	}
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newAuthzWorld(t, db)
		table := authzTable()
		clients, tokens := map[string]*webtest.Client{}, map[string]string{}
		for _, who := range authzWho {
			clients[who] = w.srv.Client(t)
			tokens[who] = clients[who].CSRF("/login")
		}
		for _, key := range slices.Sorted(maps.Keys(routes(t, w))) {
			row, ok := table[key]
			if !ok {
				t.Errorf("route %s has no entry in the authorisation matrix: decide who may call it", key)
				continue
			}
			method, route, _ := strings.Cut(key, " ")
			for _, who := range authzWho {
				r := w.call(t, clients[who], tokens[who], who, method, w.path(t, route), row.form)
				if r.Status >= 500 {
					t.Errorf("%s as %s: status %d: %.300s", key, who, r.Status, r.Body)
					continue
				}
				if want := slices.Contains(row.allow, who); denied(r) == want {
					verdict := map[bool]string{true: "allowed", false: "denied"}
					t.Errorf("%s as %s: %s (status %d, Location %q), want %s", key, who,
						verdict[!denied(r)], r.Status, r.Header.Get("Location"), verdict[want])
				}
			}
		}
	})
}

// TestEveryPostNeedsCSRF posts to every state-changing route without a
// token, logged in as an admin (so that nothing else refuses the call).
// The API's routes are left out: they take a bearer token, never the
// session cookie, so a forged cross-site request carries no credential.
func TestEveryPostNeedsCSRF(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	w := newAuthzWorld(t, db)
	c := w.srv.Client(t)
	c.CSRF("/login") // the CSRF cookie is set; the form just lacks the field
	n := 0
	table := routes(t, w)
	for _, key := range slices.Sorted(maps.Keys(table)) {
		method, route, _ := strings.Cut(key, " ")
		if method == http.MethodGet || method == http.MethodHead || table[key].Rule.Who == site.APIToken {
			continue
		}
		n++
		r := w.call(t, c, "", admin, method, w.path(t, route), authzTable()[key].form)
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "This form has expired") {
			t.Errorf("%s without a CSRF token: status %d, want 403 with an explanation", key, r.Status)
		}
	}
	if n < 20 {
		t.Fatalf("only %d state-changing routes found", n)
	}
}

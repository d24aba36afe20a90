package web_test

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"accord/analytics/site"
	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/mail/mailtest"
	"accord/survey/roster"
	"accord/survey/webkit"
	"accord/survey/webkit/webtest"
)

// operatorServer is a test server whose log is kept, with metrics behind
// token (none: no /metrics).
func operatorServer(t *testing.T, db *gorm.DB, token string) (*httptest.Server, *mailtest.Log) {
	t.Helper()
	var logs mailtest.Log
	app, err := site.New(webkit.Options{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Secret: webtest.Secret,
		BaseURL: &url.URL{Scheme: "http", Host: "accord.test"}, Registry: prometheus.NewRegistry(), MetricsToken: token})
	databasetest.Must(t, err)
	srv := httptest.NewServer(app.Echo)
	t.Cleanup(srv.Close)
	return srv, &logs
}

func get(t *testing.T, rawURL, bearer string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	databasetest.Must(t, err)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	databasetest.Must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsNeedTheBearerToken: /metrics tells anyone who can reach the
// server its routes and rates, so it answers only the configured token,
// and does not exist without one.
func TestMetricsNeedTheBearerToken(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	srv, _ := operatorServer(t, db, "metrics-token-0123456789")
	for _, bearer := range []string{"", "wrong", "metrics-token-012345678"} {
		if status, _ := get(t, srv.URL+"/metrics", bearer); status != http.StatusUnauthorized {
			t.Errorf("/metrics with token %q = %d, want 401", bearer, status)
		}
	}
	if status, body := get(t, srv.URL+"/metrics", "metrics-token-0123456789"); status != http.StatusOK || !strings.Contains(body, "accord_http_requests_total") {
		t.Errorf("/metrics with the token = %d:\n%.300s", status, body)
	}
	off, _ := operatorServer(t, db, "")
	if status, _ := get(t, off.URL+"/metrics", ""); status != http.StatusNotFound {
		t.Errorf("/metrics without ACCORD_METRICS_TOKEN = %d, want 404", status)
	}
}

// TestRespondentRequestsLeaveNoTrace: answering a survey writes no log
// line (which would carry the time and the address) and no metric (scraped
// every few seconds, a counter times each submission), while other
// requests are logged and counted as before.
func TestRespondentRequestsLeaveNoTrace(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, logs := operatorServer(t, db, "metrics-token-0123456789")
		org := webtest.MustOrg(t, db, "acme", "Acme")
		person := roster.Person{OrgID: org.ID, Email: "sam@acme.test", Function: roster.FunctionSales}
		databasetest.Must(t, db.Create(&person).Error)
		pulse, err := survey.PulseInstrumentID(t.Context(), db)
		databasetest.Must(t, err)
		now := time.Now()
		_, tokens, err := survey.CreateRound(t.Context(), db, org, pulse, "March", now.Add(-time.Hour), now.Add(time.Hour), []roster.Person{person})
		databasetest.Must(t, err)
		page := "/s/" + tokens[person.ID]

		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(srv.URL + page)
		databasetest.Must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", page, resp.StatusCode)
		}
		form := url.Values{"A1": {"2"}}
		for _, m := range hiddenInput.FindAllStringSubmatch(string(body), -1) {
			form.Set(m[1], html.UnescapeString(m[2]))
		}
		resp, err = client.PostForm(srv.URL+page, form)
		databasetest.Must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit = %d", resp.StatusCode)
		}
		get(t, srv.URL+"/login", "")

		if strings.Contains(logs.String(), "/s/") || strings.Contains(logs.String(), "method=POST") {
			t.Errorf("respondent requests are logged:\n%s", logs.String())
		}
		if !strings.Contains(logs.String(), "path=/login") {
			t.Errorf("other requests are not logged any more:\n%s", logs.String())
		}
		_, metrics := get(t, srv.URL+"/metrics", "metrics-token-0123456789")
		if strings.Contains(metrics, "/s/") || strings.Contains(metrics, "responses_stored") {
			t.Errorf("metrics time respondent requests:\n%s", metrics)
		}
		if !strings.Contains(metrics, `route="/login"`) {
			t.Errorf("metrics no longer count other routes:\n%.500s", metrics)
		}
	})
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// TestLoginNextStaysOnThisSite: after logging in, next may only lead to a
// path of this site, however a browser would read it.
func TestLoginNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db)
	webtest.MustAccount(t, db, "admin@acme.test", account.RoleAdmin)
	c := srv.Client(t)
	c.Login("admin@acme.test", webtest.Password)
	for _, tt := range []struct{ next, want string }{
		{"/orgs/acme?round=3#trend", "/orgs/acme?round=3#trend"},
		{"/portfolio", "/portfolio"},
		{"/\t/evil.example", "/orgs"},
		{"/\n/evil.example", "/orgs"},
		{"/\r\n/evil.example", "/orgs"},
		{"/\x00/evil.example", "/orgs"},
		{"//evil.example", "/orgs"},
		{"///evil.example", "/orgs"},
		{"/\\evil.example", "/orgs"},
		{"\\\\evil.example", "/orgs"},
		{"/.\\evil.example", "/orgs"},
		{"https://evil.example", "/orgs"},
		{"javascript:alert(1)", "/orgs"},
		{"evil.example", "/orgs"},
		{" /\t/evil.example", "/orgs"},
		{"/\u00a0/evil.example", "/orgs"},
		{"/%2F/evil.example", "/orgs"},
		{"/%2f%2fevil.example", "/orgs"},
		{"", "/orgs"},
	} {
		r := c.Get("/login?next=" + url.QueryEscape(tt.next))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != tt.want {
			t.Errorf("next=%q: %d to %q, want %q", tt.next, r.Status, r.Header.Get("Location"), tt.want)
		}
	}
	// Exactly as found: a tab written %09 in the query.
	if r := c.Get("/login?next=/%09/evil.example"); r.Header.Get("Location") != "/orgs" {
		t.Errorf("next=/%%09/evil.example redirects to %q", r.Header.Get("Location"))
	}
}

// TestSlowBodyIsCutOff: a client dripping its body a byte at a time loses
// the connection within a few seconds instead of holding it for as long
// as it likes.
func TestSlowBodyIsCutOff(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	databasetest.Must(t, err)
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: accord.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
	done := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(conn).ReadString('\n')
		done <- line
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for range 100 {
		select {
		case line := <-done:
			if took := time.Since(start); took > webkit.BodyGrace+3*time.Second {
				t.Fatalf("cut off after %s, want within %s", took, webkit.BodyGrace+3*time.Second)
			}
			t.Logf("cut off after %s: %q", time.Since(start).Round(time.Millisecond), strings.TrimSpace(line))
			return
		case <-tick.C:
			if _, err := conn.Write([]byte("a")); err != nil {
				return // closed by the server
			}
			if time.Since(start) > 15*time.Second {
				t.Fatal("a body dripping one byte a second is still being read after 15 s")
			}
		}
	}
}

// TestStaticListsNoDirectories: /static/ serves files, never a listing.
func TestStaticListsNoDirectories(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	srv := sitetest.NewServer(t, db)
	c := srv.Client(t)
	for _, dir := range []string{"/static/", "/static/css/", "/static/js/", "/static/vendor/"} {
		if r := c.Get(dir); r.Status != http.StatusNotFound || strings.Contains(r.Body, "<pre>") {
			t.Errorf("GET %s = %d, want 404 without a listing:\n%.200s", dir, r.Status, r.Body)
		}
	}
	if r := c.Get("/static/favicon.svg"); r.Status != http.StatusOK {
		t.Errorf("GET /static/favicon.svg = %d, files must still be served", r.Status)
	}
}

// TestResendTellsNothingAboutWhoAnswered: "resend a link" answers the same
// for a person who has answered and one who has not (both get a link that
// shows their answers, if any), and the rounds page shows only counts.
func TestResendTellsNothingAboutWhoAnswered(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv, acme, _ := opsServer(t, db)
		var people []roster.Person
		databasetest.Must(t, db.Where("org_id = ?", acme.ID).Order("email").Find(&people).Error)
		pulse, err := survey.PulseInstrumentID(t.Context(), db)
		databasetest.Must(t, err)
		now := srv.Clock.Now()
		round, tokens, err := survey.CreateRound(t.Context(), db, acme, pulse, "March", now.Add(-time.Hour), now.Add(48*time.Hour), people)
		databasetest.Must(t, err)
		answered, waiting := people[0], people[1]
		s, err := survey.LoadSurvey(t.Context(), db, webtest.Secret, tokens[answered.ID], now)
		databasetest.Must(t, err)
		databasetest.Must(t, s.Submit(t.Context(), db, survey.Submission{"A1": "2"}, now))

		c := opsClient(t, srv, "consultant@accord.test")
		action := fmt.Sprintf("/orgs/acme/rounds/%d/resend", round.ID)
		var pages []string
		for _, p := range []roster.Person{answered, waiting} {
			r := c.Submit("/orgs/acme/rounds", action, url.Values{"email": {p.Email}})
			page := c.Get("/orgs/acme/rounds")
			if r.Status != http.StatusSeeOther || !strings.Contains(page.Body, "A new personal link is on its way to "+p.Email+".") {
				t.Fatalf("resend to %s: %d, page %.300s", p.Email, r.Status, page.Body)
			}
			pages = append(pages, strings.ReplaceAll(page.Body, p.Email, "EMAIL"))
		}
		if pages[0] != pages[1] {
			t.Error("the rounds page after resending differs between someone who answered and someone who did not")
		}
	})
}

// Package webtest drives the real Echo router in tests: a browser-like
// client with cookies that picks up CSRF tokens from forms, on a fresh
// database of each dialect, and fixtures (accounts, organisations, a
// logo). The whole site is started by analytics/site/sitetest.
//
// A test helper: it may import survey, its leaf packages and survey/webkit.
package webtest

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/webkit"
)

// MetricsToken is the bearer token test servers ask for at /metrics.
const MetricsToken = "test-metrics-token"

// Secret is the server secret test servers use.
var Secret = databasetest.Secret

// Clock is a settable clock for tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.now = t.UTC(); c.mu.Unlock() }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// Server is a running test server.
type Server struct {
	*httptest.Server
	App   *webkit.App
	DB    *gorm.DB
	Clock *Clock
}

// NewOptions are the server options of a test server on db, with its
// clock: a quiet log, the base URL http://accord.test, the test secret,
// metrics behind MetricsToken.
func NewOptions(db *gorm.DB) (webkit.Options, *Clock) {
	clock := NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	return webkit.Options{
		DB:           db,
		Log:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		BaseURL:      &url.URL{Scheme: "http", Host: "accord.test"},
		Secret:       Secret,
		Now:          clock.Now,
		Registry:     prometheus.NewRegistry(),
		MetricsToken: MetricsToken,
	}, clock
}

// Serve serves app until the test ends; adjust runs first, to change the
// app before it serves (a scheduler, trusted proxies).
func Serve(tb testing.TB, app *webkit.App, clock *Clock, adjust ...func(*webkit.App)) *Server {
	tb.Helper()
	// Warnings and errors the server logs while answering go to the
	// test's log, shown when it fails: a 500 then says what went wrong.
	w := &testLog{tb: tb}
	tb.Cleanup(w.stop)
	app.Log = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	for _, f := range adjust {
		f(app)
	}
	ts := httptest.NewServer(app.Echo)
	tb.Cleanup(ts.Close)
	return &Server{Server: ts, App: app, DB: app.DB, Clock: clock}
}

// testLog writes log lines to a test's log until the test ends; after
// that (a background job finishing late) they are dropped, since the
// testing package panics on logging from a finished test.
type testLog struct {
	mu      sync.Mutex
	tb      testing.TB
	stopped bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.tb.Log("server: " + strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (l *testLog) stop() { l.mu.Lock(); l.stopped = true; l.mu.Unlock() }

// Client is a cookie-keeping client that does not follow redirects, so
// tests can assert them.
type Client struct {
	tb   testing.TB
	srv  *Server
	HTTP *http.Client
}

// Client returns a new browser-like client with an empty cookie jar.
func (s *Server) Client(tb testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{tb: tb, srv: s, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Get fetches path.
func (c *Client) Get(path string) Response {
	c.tb.Helper()
	resp, err := c.HTTP.Get(c.srv.URL + path)
	if err != nil {
		c.tb.Fatalf("GET %s: %v", path, err)
	}
	return read(c.tb, resp)
}

// PostForm posts form to path as is (no CSRF token added).
func (c *Client) PostForm(path string, form url.Values) Response {
	c.tb.Helper()
	resp, err := c.HTTP.PostForm(c.srv.URL+path, form)
	if err != nil {
		c.tb.Fatalf("POST %s: %v", path, err)
	}
	return read(c.tb, resp)
}

// PostMultipart posts form to path as multipart/form-data, with content
// as the file field called field (no CSRF token added).
func (c *Client) PostMultipart(path string, form url.Values, field, filename string, content []byte) Response {
	c.tb.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if field != "" {
		fw, err := w.CreateFormFile(field, filename)
		if err != nil {
			c.tb.Fatalf("POST %s: %v", path, err)
		}
		fw.Write(content)
	}
	w.Close()
	resp, err := c.HTTP.Post(c.srv.URL+path, w.FormDataContentType(), &body)
	if err != nil {
		c.tb.Fatalf("POST %s: %v", path, err)
	}
	return read(c.tb, resp)
}

// CSRF loads page (a GET) and returns the CSRF token of its forms.
func (c *Client) CSRF(page string) string {
	c.tb.Helper()
	return c.Hidden(page).Get("_csrf")
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// Hidden loads page (a GET) and returns its hidden form fields, the CSRF
// token among them; where a name repeats, the first wins.
func (c *Client) Hidden(page string) url.Values {
	c.tb.Helper()
	r := c.Get(page)
	f := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(r.Body, -1) {
		if !f.Has(m[1]) {
			f.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	if f.Get("_csrf") == "" {
		c.tb.Fatalf("GET %s (status %d): no CSRF field in page", page, r.Status)
	}
	return f
}

// Submit fetches page, then posts form to action with the page's hidden
// fields, as a browser submitting that page's form would.
func (c *Client) Submit(page, action string, form url.Values) Response {
	c.tb.Helper()
	f := c.Hidden(page)
	for k, v := range form {
		f[k] = v
	}
	return c.PostForm(action, f)
}

// Login logs in through the login form and fails the test unless it redirects.
func (c *Client) Login(email, password string) {
	c.tb.Helper()
	r := c.Submit("/login", "/login", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		c.tb.Fatalf("login %s: status %d, want 303; body: %s", email, r.Status, snippet(r.Body))
	}
}

func read(tb testing.TB, resp *http.Response) Response {
	tb.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read body: %v", err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func snippet(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return strings.TrimSpace(s)
}

// Password is the password of accounts made by MustAccount.
const Password = "correct horse battery staple"

// MustAccount creates an account with Password and memberships of orgIDs.
func MustAccount(tb testing.TB, db *gorm.DB, email, role string, orgIDs ...int64) *account.Account {
	tb.Helper()
	acc, err := account.CreateAccount(tb.Context(), db, email, role, Password, orgIDs...)
	if err != nil {
		tb.Fatalf("create account %s: %v", email, err)
	}
	return acc
}

// PNG returns a w×h PNG image, as an uploaded logo.
func PNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 37)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return b.Bytes()
}

// MustOrg creates an organisation.
func MustOrg(tb testing.TB, db *gorm.DB, slug, name string) *survey.Organisation {
	tb.Helper()
	org := &survey.Organisation{Slug: slug, Name: name, MinGroupSize: survey.DefaultMinGroupSize, CommentThreshold: survey.DefaultCommentThreshold}
	if err := db.Create(org).Error; err != nil {
		tb.Fatalf("create org %s: %v", slug, err)
	}
	return org
}

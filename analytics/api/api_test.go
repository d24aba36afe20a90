package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics/api"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/secrets"
)

// slugs returns the slugs of a list of organisations.
func slugs(t *testing.T, r reply) []string {
	t.Helper()
	var out []string
	for _, o := range r.JSON(t)["data"].([]any) {
		out = append(out, o.(map[string]any)["slug"].(string))
	}
	return out
}

func TestTokensReachTheirAccountsOrganisationsOnly(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		for who, want := range map[string][]string{
			admin: {"acme", "beta", "gamma"},
			cons:  {"acme", "gamma"},
			leadA: {"acme"},
			leadB: {"beta"},
		} {
			if got := slugs(t, w.get(t, who, "/api/v1/orgs")); !slices.Equal(got, want) {
				t.Errorf("%s lists %v, want %v", who, got, want)
			}
			for _, slug := range []string{"acme", "beta", "gamma"} {
				for _, sub := range []string{"", "/rounds", "/measures", "/export"} {
					path := "/api/v1/orgs/" + slug + sub
					r := w.get(t, who, path)
					if slices.Contains(want, slug) {
						if r.Status != http.StatusOK {
							t.Errorf("%s GET %s: %d, want 200: %.300s", who, path, r.Status, r.Body)
						}
						continue
					}
					// Another tenant's organisation is indistinguishable from none.
					expectError(t, r, http.StatusNotFound, "There is no organisation")
					if strings.Contains(string(r.Body), strings.ToUpper(slug[:1])+slug[1:]) {
						t.Errorf("%s GET %s: the answer names the organisation: %s", who, path, r.Body)
					}
				}
			}
		}
		expectError(t, w.get(t, admin, "/api/v1/orgs/nowhere"), http.StatusNotFound, "There is no organisation")
	})
}

func TestRefusedTokens(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		var lead account.Account
		databasetest.Must(t, db.Where("email = ?", "lead@acme.test").Take(&lead).Error)
		week := w.srv.Clock.Now().AddDate(0, 0, 7)
		expiring, _, err := account.CreateAPIToken(ctx, db, &lead, "a week", &week, w.srv.Clock.Now())
		databasetest.Must(t, err)
		revoked, row, err := account.CreateAPIToken(ctx, db, &lead, "revoked", nil, w.srv.Clock.Now())
		databasetest.Must(t, err)
		withToken := func(token string) func(*http.Request) {
			return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
		}
		if r := w.do(t, "/api/v1/orgs", withToken(revoked)); r.Status != http.StatusOK {
			t.Fatalf("fresh token: %d", r.Status)
		}
		databasetest.Must(t, account.RevokeAPIToken(ctx, db, &lead, row.ID, w.srv.Clock.Now()))

		for name, prepare := range map[string]func(*http.Request){
			"no header":      func(*http.Request) {},
			"revoked token":  withToken(revoked),
			"unknown token":  withToken(account.APITokenPrefix + secrets.NewToken()),
			"garbage":        withToken("not a token"),
			"basic auth":     func(r *http.Request) { r.SetBasicAuth("lead@acme.test", "correct horse battery staple") },
			"session cookie": func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "accord_session", Value: session(t, w, &lead)}) },
		} {
			r := w.do(t, "/api/v1/orgs/acme/measures", prepare)
			expectError(t, r, http.StatusUnauthorized, "Authorization: Bearer")
			if r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", name)
			}
		}
		if r := w.do(t, "/api/v1/orgs", withToken(expiring)); r.Status != http.StatusOK {
			t.Fatalf("token before its expiry: %d", r.Status)
		}
		w.srv.Clock.Set(week)
		expectError(t, w.do(t, "/api/v1/orgs", withToken(expiring)), http.StatusUnauthorized, "expired")
	})
}

// session logs acc in as a browser would and returns its cookie value.
func session(t *testing.T, w *world, acc *account.Account) string {
	t.Helper()
	token, err := account.CreateSession(t.Context(), w.db, acc.ID, w.srv.Clock.Now())
	databasetest.Must(t, err)
	return token
}

func TestWrongTokensAreRateLimitedPerAddress(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	w := newWorld(t, db)
	wrong := func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+account.APITokenPrefix+secrets.NewToken())
	}
	for i := range 30 {
		if r := w.do(t, "/api/v1/orgs", wrong); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: status %d, want 401", i+1, r.Status)
		}
	}
	r := w.do(t, "/api/v1/orgs", wrong)
	expectError(t, r, http.StatusTooManyRequests, "wrong API token")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// A right token from the same address still works: only wrong ones are counted.
	if r := w.get(t, admin, "/api/v1/orgs"); r.Status != http.StatusOK {
		t.Errorf("right token after the limit: %d", r.Status)
	}
	w.srv.Clock.Advance(16 * time.Minute)
	if r := w.do(t, "/api/v1/orgs", wrong); r.Status != http.StatusUnauthorized {
		t.Errorf("wrong token after the window: %d, want 401", r.Status)
	}
}

func TestErrorsHaveOneShape(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			who, path string
			status    int
			message   string
		}{
			{admin, "/api/v1/nothing-here", http.StatusNotFound, "nothing at this address"},
			{admin, "/api/v1/orgs/beta/nothing", http.StatusNotFound, "nothing at this address"},
			{leadA, "/api/v1/orgs/beta", http.StatusNotFound, "There is no organisation"},
			{"", "/api/v1/orgs", http.StatusUnauthorized, "Bearer"},
			{admin, "/api/v1/orgs?limit=0", http.StatusBadRequest, "limit must be"},
			{admin, "/api/v1/orgs?limit=abc", http.StatusBadRequest, "limit must be"},
			{admin, "/api/v1/orgs?cursor=not*base64", http.StatusBadRequest, "cursor is not valid"},
			{admin, "/api/v1/orgs?page=2", http.StatusBadRequest, `Unknown parameter "page"`},
			{admin, "/api/v1/orgs/acme/measures?round=abc", http.StatusBadRequest, "round must be"},
			{admin, "/api/v1/orgs/acme/measures?round=-3", http.StatusBadRequest, "round must be"},
			{admin, "/api/v1/orgs/acme/measures?function=finance", http.StatusBadRequest, "function must be one of"},
			{admin, "/api/v1/orgs/acme/measures?funtion=sales", http.StatusBadRequest, `Unknown parameter "funtion"`},
			{admin, "/api/v1/orgs/acme/measures?team=" + strings.Repeat("x", 201), http.StatusBadRequest, "at most 200"},
			{admin, "/api/v1/orgs/acme/measures?round=999999", http.StatusNotFound, "no round 999999"},
		} {
			t.Run(c.path, func(t *testing.T) {
				expectError(t, w.get(t, c.who, c.path), c.status, c.message)
			})
		}
		// A round of another organisation is not found either.
		var beta survey.Round
		databasetest.Must(t, db.Where("org_id = ?", w.orgs["beta"].ID).Take(&beta).Error)
		expectError(t, w.get(t, admin, "/api/v1/orgs/acme/measures?round="+itoa(beta.ID)), http.StatusNotFound, "no round")
	})
}

func TestAPIIgnoresCSRFAndSetsNoCookies(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	w := newWorld(t, db)
	r := w.get(t, admin, "/api/v1/orgs")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	if c := r.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("API answer sets cookies: %v", c)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
	}
}

func TestAccountsAreRateLimited(t *testing.T) {
	db := databasetest.Open(t, "sqlite")
	w := newWorld(t, db)
	for i := range api.AccountBurst {
		if r := w.get(t, leadA, "/api/v1/orgs/acme"); r.Status != http.StatusOK {
			t.Fatalf("request %d of a burst: %d", i+1, r.Status)
		}
	}
	r := w.get(t, leadA, "/api/v1/orgs/acme")
	expectError(t, r, http.StatusTooManyRequests, "Too many API requests")
	if r.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want 1 (a request every 100 ms)", r.Header.Get("Retry-After"))
	}
	// Other accounts have their own budget; time refills this one's.
	if r := w.get(t, cons, "/api/v1/orgs/acme"); r.Status != http.StatusOK {
		t.Errorf("another account: %d", r.Status)
	}
	w.srv.Clock.Advance(time.Second)
	for i := range api.AccountRate {
		if r := w.get(t, leadA, "/api/v1/orgs/acme"); r.Status != http.StatusOK {
			t.Fatalf("request %d a second later: %d", i+1, r.Status)
		}
	}
	if r := w.get(t, leadA, "/api/v1/orgs/acme"); r.Status != http.StatusTooManyRequests {
		t.Errorf("request beyond the refill: %d, want 429", r.Status)
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
)

var newTokenField = regexp.MustCompile(`id="new-token" type="text" readonly value="(accord_[A-Za-z0-9_-]{43})"`)

func TestTokensPageShowsATokenOnce(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		twoTenants(t, db)
		c := opsClient(t, srv, "lead-a@acme.test")
		page := c.Get("/account/tokens")
		expectOps(t, page, http.StatusOK, "No tokens yet.", `<option value="90" selected>`)
		if links := navLinks(page.Body); links["API tokens"] != "page" {
			t.Errorf("navigation: API tokens link %q, want the current page", links["API tokens"])
		}

		r := c.Submit("/account/tokens", "/account/tokens", url.Values{"name": {"board report"}, "expires": {"never"}})
		expectOps(t, r, http.StatusCreated, "Copy it now: it is shown only this once", "board report")
		m := newTokenField.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no token shown after creation:\n%s", r.Body)
		}
		token := m[1]
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("token page headers: Cache-Control %q, Referrer-Policy %q", r.Header.Get("Cache-Control"), r.Header.Get("Referrer-Policy"))
		}
		acc, err := account.APITokenAccount(t.Context(), db, token, srv.Clock.Now())
		databasetest.Must(t, err)
		if acc.Email != "lead-a@acme.test" {
			t.Errorf("token opens %s", acc.Email)
		}

		// Not retrievable afterwards: the list names it but never shows it.
		again := c.Get("/account/tokens")
		expectOps(t, again, http.StatusOK, "board report", "Never", "1 of at most 20 tokens.")
		if strings.Contains(again.Body, token) || strings.Contains(again.Body, token[len(account.APITokenPrefix):len(account.APITokenPrefix)+8]) {
			t.Error("the token, or a part of it, is shown again")
		}
		if strings.Contains(c.Get("/account/tokens").Body, "new-token") {
			t.Error("a later visit shows the new-token box")
		}
	})
}

func TestTokensPageValidatesAndRevokes(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := sitetest.NewServer(t, db)
		twoTenants(t, db)
		c := opsClient(t, srv, "cons-a@accord.test")
		r := c.Submit("/account/tokens", "/account/tokens", url.Values{"name": {"  "}, "expires": {"30"}})
		expectOps(t, r, http.StatusUnprocessableEntity, `id="name-error"`, `aria-invalid="true"`, "Give the token a name")
		r = c.Submit("/account/tokens", "/account/tokens", url.Values{"name": {"x"}, "expires": {"forever"}})
		expectOps(t, r, http.StatusUnprocessableEntity, `id="expires-error"`, "Choose when the token expires.")

		r = c.Submit("/account/tokens", "/account/tokens", url.Values{"name": {"quarterly"}, "expires": {"30"}})
		expectOps(t, r, http.StatusCreated, "9 Apr 2026") // 30 days after the test clock's 10 March
		token := newTokenField.FindStringSubmatch(r.Body)[1]
		var row account.APIToken
		databasetest.Must(t, db.Where("name = ?", "quarterly").Take(&row).Error)

		// Another account cannot revoke it, even with a valid form.
		other := opsClient(t, srv, "lead-a@acme.test")
		r = other.Submit("/account/tokens", "/account/tokens/revoke", url.Values{"id": {strconv.FormatInt(row.ID, 10)}})
		expectOps(t, r, http.StatusNotFound)
		if _, err := account.APITokenAccount(t.Context(), db, token, srv.Clock.Now()); err != nil {
			t.Fatalf("token refused after another account's revoke attempt: %v", err)
		}

		r = c.Submit("/account/tokens", "/account/tokens/revoke", url.Values{"id": {strconv.FormatInt(row.ID, 10)}})
		expectOps(t, r, http.StatusOK, "Revoke the token quarterly?", "refused from now on")
		r = c.Submit("/account/tokens", "/account/tokens/revoke", url.Values{"id": {strconv.FormatInt(row.ID, 10)}, "confirm": {"yes"}})
		expectOps(t, r, http.StatusSeeOther)
		expectOps(t, c.Get("/account/tokens"), http.StatusOK, "The token is revoked", "No tokens yet.")
		if _, err := account.APITokenAccount(t.Context(), db, token, srv.Clock.Now()); apperr.ErrorCode(err) != apperr.EUNAUTH {
			t.Errorf("revoked token: %v, want EUNAUTH", err)
		}
		var audit []audit.Entry
		databasetest.Must(t, db.Where("action LIKE ?", "account.api_token%").Order("id").Find(&audit).Error)
		if len(audit) != 2 || audit[0].Target != "quarterly" || audit[1].Action != account.AuditAPITokenRevoke || audit[1].Email != "cons-a@accord.test" {
			t.Errorf("audit entries %+v, want create and revoke of quarterly", audit)
		}
	})
}

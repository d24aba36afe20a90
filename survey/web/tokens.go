package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// API tokens at /account/tokens: every logged-in account creates, lists and
// revokes its own tokens for the JSON API. A new token appears once, in
// the answer to the form that created it (never in a redirect, a flash
// cookie or a later page), and the page is neither cached nor referred.

// expiryChoice is one option of the expiry field; Days 0 is "never".
type expiryChoice struct {
	Value, Label string
	Days         int
}

var expiryChoices = []expiryChoice{
	{"30", "In 30 days", 30},
	{"90", "In 90 days", 90},
	{"365", "In a year", 365},
	{"never", "Never: until I revoke it", 0},
}

const defaultExpiry = "90"

// tokenRow is one token as the list shows it.
type tokenRow struct {
	ID                               int64
	Name, Created, LastUsed, Expires string
	Expired                          bool
}

type tokensData struct {
	Tokens  []tokenRow
	Name    string
	Expiry  string
	Choices []expiryChoice
	Errors  apperr.FieldErrors
	// New is the token just created, shown this once; NewName is its name.
	New, NewName        string
	DocsURL, ExampleURL string
	Max                 int
}

// ListTokens serves GET /account/tokens.
func (a *App) ListTokens(c echo.Context) error {
	return a.tokensPage(c, http.StatusOK, tokensData{Expiry: defaultExpiry})
}

// CreateToken serves POST /account/tokens.
func (a *App) CreateToken(c echo.Context) error {
	d := tokensData{Name: c.FormValue("name"), Expiry: c.FormValue("expires")}
	expires, ok := a.parseExpiry(d.Expiry)
	if !ok {
		d.Errors = apperr.FieldErrors{"expires": "Choose when the token expires."}
		return a.tokensPage(c, http.StatusUnprocessableEntity, d)
	}
	token, row, err := account.CreateAPIToken(c.Request().Context(), a.DB, webkit.CurrentAccount(c), d.Name, expires, a.Now())
	if errs := apperr.FormErrorsOf(err); errs != nil {
		d.Errors = errs
		return a.tokensPage(c, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	// The token is in this page only: keep it out of caches and of the
	// Referer of anything the page links to.
	noReferrer(c)
	return a.tokensPage(c, http.StatusCreated, tokensData{Expiry: defaultExpiry, New: token, NewName: row.Name})
}

// RevokeToken serves POST /account/tokens/revoke.
func (a *App) RevokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.EINVALID, "Choose a token to revoke from the list.")
	}
	if !confirmed(c) {
		return a.confirmRevoke(c, id)
	}
	if err := account.RevokeAPIToken(c.Request().Context(), a.DB, webkit.CurrentAccount(c), id, a.Now()); err != nil {
		return err
	}
	webkit.SetFlash(c, "The token is revoked: scripts using it are refused from now on.")
	return c.Redirect(http.StatusSeeOther, "/account/tokens")
}

// confirmRevoke asks before token id of the current account is revoked.
func (a *App) confirmRevoke(c echo.Context, id int64) error {
	ts, err := account.ListAPITokens(c.Request().Context(), a.DB, webkit.CurrentAccount(c))
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ts, func(t account.APIToken) bool { return t.ID == id })
	if i < 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such token, or it is already revoked.")
	}
	return a.askToConfirm(c, Confirmation{Heading: "Revoke the token " + ts[i].Name + "?",
		Effects: []string{"Every script or service using " + ts[i].Name + " is refused from now on.", "A revoked token cannot be restored; create a new one if you need access again."},
		Action:  "/account/tokens/revoke", Fields: map[string]string{"id": strconv.FormatInt(id, 10)},
		Button: "Revoke " + ts[i].Name, Back: "/account/tokens"})
}

// parseExpiry turns the expiry field into a time, nil for never.
func (a *App) parseExpiry(v string) (*time.Time, bool) {
	for _, ch := range expiryChoices {
		if ch.Value == v {
			if ch.Days == 0 {
				return nil, true
			}
			t := a.Now().UTC().AddDate(0, 0, ch.Days)
			return &t, true
		}
	}
	return nil, false
}

func (a *App) tokensPage(c echo.Context, status int, d tokensData) error {
	ts, err := account.ListAPITokens(c.Request().Context(), a.DB, webkit.CurrentAccount(c))
	if err != nil {
		return err
	}
	now := a.Now()
	for _, t := range ts {
		r := tokenRow{ID: t.ID, Name: t.Name, Created: day(t.CreatedAt), LastUsed: "Never", Expires: "Never", Expired: t.Expired(now)}
		if t.LastUsedAt != nil {
			r.LastUsed = t.LastUsedAt.UTC().Format("2 Jan 2006 15:04 UTC")
		}
		if t.ExpiresAt != nil {
			r.Expires = day(*t.ExpiresAt)
		}
		d.Tokens = append(d.Tokens, r)
	}
	d.Choices, d.Max = expiryChoices, account.MaxAPITokens
	d.DocsURL = a.BaseURL.JoinPath("/api/v1/openapi.json").String()
	d.ExampleURL = a.BaseURL.JoinPath("/api/v1/orgs").String()
	return a.Render.Page(c, status, "account_tokens", webkit.View{Title: "API tokens", Data: d})
}

func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

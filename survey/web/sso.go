package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/sso"
	"accord/survey/webkit"
)

// ssoCookie keeps a started single sign-on login's state in the browser
// that started it, so that the provider's redirect works in that browser
// only (a code and state sent to someone else's browser log nobody in).
const ssoCookie = "accord_sso"

// SSOLogin serves GET /login/oidc: it starts a single sign-on login and
// sends the browser to the identity provider.
func (a *App) SSOLogin(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if a.SSO == nil {
		webkit.SetFlash(c, "Single sign-on is not configured on this server.")
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	if webkit.CurrentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	authURL, state, err := a.SSO.Begin(c.Request().Context(), a.DB, next, a.Now())
	if err != nil {
		return a.ssoFailed(c, err, next)
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: state, Path: "/login/oidc", HttpOnly: true, Secure: a.Secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(account.SSOAttemptLifetime.Seconds())})
	return c.Redirect(http.StatusSeeOther, authURL)
}

// SSOCallback serves GET /login/oidc/callback, where the provider sends the
// browser back: the state must be this browser's and unused, the code is
// exchanged, the ID token checked, and the verified email must belong to
// an enabled account.
func (a *App) SSOCallback(c echo.Context) error {
	if a.SSO == nil {
		webkit.SetFlash(c, "Single sign-on is not configured on this server.")
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: "", Path: "/login/oidc", HttpOnly: true, Secure: a.Secure(), MaxAge: -1})
	browserState := ""
	if ck, err := c.Cookie(ssoCookie); err == nil {
		browserState = ck.Value
	}
	if e := c.QueryParam("error"); e != "" {
		// The provider refused (the person cancelled, or is not allowed).
		// Its state is used up too.
		account.TakeSSO(c.Request().Context(), a.DB, c.QueryParam("state"), browserState, a.Now())
		return a.loginPage(c, http.StatusUnauthorized, loginData{Next: "/orgs", Error: "The identity provider did not sign you in. Please try again."})
	}
	ctx := c.Request().Context()
	id, next, err := a.SSO.Finish(ctx, a.DB, c.QueryParam("state"), browserState, c.QueryParam("code"), a.Now())
	if err != nil {
		return a.ssoFailed(c, err, "/orgs")
	}
	acc, err := account.SSOLogin(ctx, a.DB, *id)
	if err != nil {
		return a.ssoFailed(c, err, next)
	}
	return a.startSession(c, acc, safeNext(next))
}

// ssoFailed shows the login page with why single sign-on failed: the
// user's or provider's refusal (401), or a provider that cannot be
// reached (502, logged); anything else is an internal error.
func (a *App) ssoFailed(c echo.Context, err error, next string) error {
	switch {
	case errors.Is(err, sso.ErrUnavailable):
		a.Log.Warn("single sign-on: provider unavailable", "err", err)
		return a.loginPage(c, http.StatusBadGateway, loginData{Next: next,
			Error: "The identity provider cannot be reached right now. Please try again in a few minutes."})
	case apperr.ErrorCode(err) == apperr.EUNAUTH:
		return a.loginPage(c, http.StatusUnauthorized, loginData{Next: next, Error: apperr.ErrorMessage(err)})
	}
	return err
}

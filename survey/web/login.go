package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/ratelimit"
	"accord/survey/webkit"
)

type loginData struct {
	Email, Next, Error string
	SSO                bool // offer "Sign in with single sign-on"
	Passwords          bool // offer the password form
}

// loginPage renders the login page with status and d, saying which ways
// in this instance offers.
func (a *App) loginPage(c echo.Context, status int, d loginData) error {
	d.SSO, d.Passwords = a.SSO != nil, !a.PasswordLoginOff
	return a.Render.Page(c, status, "login", webkit.View{Title: "Log in", Data: d})
}

// LoginForm serves GET /login.
func (a *App) LoginForm(c echo.Context) error {
	if webkit.CurrentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return a.loginPage(c, http.StatusOK, loginData{Email: c.QueryParam("email"), Next: safeNext(c.QueryParam("next"))})
}

// Login serves POST /login.
func (a *App) Login(c echo.Context) error {
	email, password, next := c.FormValue("email"), c.FormValue("password"), safeNext(c.FormValue("next"))
	if a.PasswordLoginOff {
		return a.loginPage(c, http.StatusForbidden, loginData{Next: next,
			Error: "Password login is switched off on this server. Sign in with single sign-on."})
	}
	acc, err := account.Login(c.Request().Context(), a.DB, email, password, c.RealIP(), a.Now())
	if code := apperr.ErrorCode(err); code == apperr.EUNAUTH || code == apperr.ETOOMANY {
		status := http.StatusUnauthorized
		if code == apperr.ETOOMANY {
			status = http.StatusTooManyRequests
			setRetryAfter(c, err)
		}
		return a.loginPage(c, status, loginData{Email: email, Next: next, Error: apperr.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	return a.startSession(c, acc, next)
}

// startSession logs acc in on this browser and sends it to next; both
// password and single sign-on logins end here.
func (a *App) startSession(c echo.Context, acc *account.Account, next string) error {
	// A new session id at every login: a cookie planted before login is useless.
	if old, err := c.Cookie(webkit.SessionCookie); err == nil {
		account.DeleteSession(c.Request().Context(), a.DB, old.Value)
	}
	token, err := account.CreateSession(c.Request().Context(), a.DB, acc.ID, a.Now())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: webkit.SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: a.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(account.SessionMaxAge.Seconds())})
	return c.Redirect(http.StatusSeeOther, next)
}

// setRetryAfter tells clients refused by a rate limit when to come back.
func setRetryAfter(c echo.Context, err error) {
	var le *ratelimit.LimitError
	if errors.As(err, &le) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(le.RetryAfter.Seconds())+1))
	}
}

// Logout serves POST /logout.
func (a *App) Logout(c echo.Context) error {
	if ck, err := c.Cookie(webkit.SessionCookie); err == nil {
		if err := account.DeleteSession(c.Request().Context(), a.DB, ck.Value); err != nil {
			return err
		}
	}
	a.ClearSessionCookie(c)
	webkit.SetFlash(c, "You are logged out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

// LogoutEverywhere ends every session of the account, on every device.
func (a *App) LogoutEverywhere(c echo.Context) error {
	if err := account.LogoutEverywhere(c.Request().Context(), a.DB, webkit.CurrentAccount(c)); err != nil {
		return err
	}
	a.ClearSessionCookie(c)
	webkit.SetFlash(c, "You are logged out everywhere: on this device and on every other.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps post-login redirects on this site: only local absolute
// paths, anything else goes to /orgs.
func safeNext(next string) string {
	if !sameSitePath(next) {
		return "/orgs"
	}
	return next
}

// sameSitePath reports whether p can only lead to a path on this site.
// Browsers drop tabs and line breaks from URLs and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would become the
// scheme-relative "//evil.example": any control character, space or
// backslash is refused, then p must parse as a bare path with one leading
// slash.
func sameSitePath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for _, r := range p {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && u.Opaque == "" &&
		strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(u.Path, "//")
}

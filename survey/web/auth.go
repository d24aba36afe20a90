package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
	"accord/survey/ratelimit"
)

const (
	sessionCookie     = "accord_session"
	accountContextKey = "account"
	orgContextKey     = "org"
)

// CurrentAccount returns the logged-in account, or nil.
func CurrentAccount(c echo.Context) *account.Account {
	acc, _ := c.Get(accountContextKey).(*account.Account)
	return acc
}

// loadSession attaches the account of a valid session cookie to the
// request, and to its context the actor the audit log records.
func (a *App) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		actor := audit.Actor{Address: c.RealIP(), At: a.Now()}
		ck, err := c.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			acc, err := account.SessionAccount(c.Request().Context(), a.DB, ck.Value, a.Now())
			switch apperr.ErrorCode(err) {
			case "":
				c.Set(accountContextKey, acc)
				actor.AccountID, actor.Email = acc.ID, acc.Email
			case apperr.EUNAUTH:
				a.clearSessionCookie(c)
			default:
				return err
			}
		}
		c.SetRequest(c.Request().WithContext(audit.WithActor(c.Request().Context(), actor)))
		return next(c)
	}
}

// RequireAccount sends anonymous visitors to the login page, then back.
func (a *App) RequireAccount(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if CurrentAccount(c) == nil {
			if c.Request().Method != http.MethodGet {
				return apperr.Errorf(apperr.EUNAUTH, "Please log in.")
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		return next(c)
	}
}

// Require lets through only accounts whose role may do action (see
// survey.Can); it goes after RequireAccount. Routes about one organisation
// also load it with Org, which checks membership.
func (a *App) Require(action account.Action) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := account.Authorize(CurrentAccount(c), action); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// Org returns the organisation named by the request's :slug when the
// account may see it and do action there (survey.OrgForAction), and
// remembers it for the page's navigation. Every organisation page loads
// its organisation through here.
func (a *App) Org(c echo.Context, action account.Action) (*survey.Organisation, error) {
	org, err := survey.OrgForAction(c.Request().Context(), a.DB, CurrentAccount(c), c.Param("slug"), action)
	if err != nil {
		return nil, err
	}
	c.Set(orgContextKey, org)
	return org, nil
}

type loginData struct {
	Email, Next, Error string
}

func (a *App) loginForm(c echo.Context) error {
	if CurrentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return a.Render.Page(c, http.StatusOK, "login", View{Title: "Log in",
		Data: loginData{Email: c.QueryParam("email"), Next: safeNext(c.QueryParam("next"))}})
}

func (a *App) login(c echo.Context) error {
	email, password, next := c.FormValue("email"), c.FormValue("password"), safeNext(c.FormValue("next"))
	acc, err := account.Login(c.Request().Context(), a.DB, email, password, c.RealIP(), a.Now())
	if code := apperr.ErrorCode(err); code == apperr.EUNAUTH || code == apperr.ETOOMANY {
		status := http.StatusUnauthorized
		if code == apperr.ETOOMANY {
			status = http.StatusTooManyRequests
			setRetryAfter(c, err)
		}
		return a.Render.Page(c, status, "login", View{Title: "Log in",
			Data: loginData{Email: email, Next: next, Error: apperr.ErrorMessage(err)}})
	} else if err != nil {
		return err
	}
	// A new session id at every login: a cookie planted before login is useless.
	if old, err := c.Cookie(sessionCookie); err == nil {
		account.DeleteSession(c.Request().Context(), a.DB, old.Value)
	}
	token, err := account.CreateSession(c.Request().Context(), a.DB, acc.ID, a.Now())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
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

func (a *App) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := account.DeleteSession(c.Request().Context(), a.DB, ck.Value); err != nil {
			return err
		}
	}
	a.clearSessionCookie(c)
	SetFlash(c, "You are logged out.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

// logoutEverywhere ends every session of the account, on every device.
func (a *App) logoutEverywhere(c echo.Context) error {
	if err := account.LogoutEverywhere(c.Request().Context(), a.DB, CurrentAccount(c)); err != nil {
		return err
	}
	a.clearSessionCookie(c)
	SetFlash(c, "You are logged out everywhere: on this device and on every other.")
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (a *App) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.Secure(), SameSite: http.SameSiteLaxMode})
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

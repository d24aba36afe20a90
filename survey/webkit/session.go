package webkit

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/audit"
)

// SessionCookie is the name of the cookie that holds a browser's session token.
const SessionCookie = "accord_session"

const (
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
		ck, err := c.Cookie(SessionCookie)
		if err == nil && ck.Value != "" {
			acc, err := account.SessionAccount(c.Request().Context(), a.DB, ck.Value, a.Now())
			switch apperr.ErrorCode(err) {
			case "":
				c.Set(accountContextKey, acc)
				actor.AccountID, actor.Email = acc.ID, acc.Email
			case apperr.EUNAUTH:
				a.ClearSessionCookie(c)
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
// account.Can); it goes after RequireAccount. Routes about one organisation
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

// ClearSessionCookie tells the browser to forget its session cookie.
func (a *App) ClearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.Secure(), SameSite: http.SameSiteLaxMode})
}

// ForgetOrg drops the organisation Org remembered for the navigation, once
// the request has deleted it.
func ForgetOrg(c echo.Context) { c.Set(orgContextKey, nil) }

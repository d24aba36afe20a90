package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// Password pages: "forgot password" (emails a one-hour link and says the
// same whether or not the address has an account), setting a password
// from an invitation or reset link, and changing it when logged in.

// accountMailer is how account emails reach the outbox: the configured
// one, else the scheduler's.
func (a *App) accountMailer() (*account.AccountMailer, error) {
	enq := a.Mail
	if enq == nil && a.Scheduler != nil {
		enq = a.Scheduler.Mail
	}
	if enq == nil {
		return nil, errors.New("account email: no outbox configured")
	}
	return &account.AccountMailer{Mail: enq, BaseURL: a.BaseURL, Emails: a.Emails, PasswordsOff: a.PasswordLoginOff}, nil
}

type forgotData struct {
	Email string
	Error string
	Sent  bool
}

// passwordsOff answers every password page while password login is
// switched off (ACCORD_PASSWORD_LOGIN=off): staff sign in through single
// sign-on, so no password is set, reset or changed here and no email goes
// out. The page says so and leads to single sign-on.
func (a *App) passwordsOff(c echo.Context) error {
	noReferrer(c)
	return a.Render.Page(c, http.StatusForbidden, "password_off", webkit.View{Title: "Sign in with single sign-on",
		Data: struct{ SSO bool }{a.SSO != nil}})
}

// ForgotForm serves GET /password/forgot.
func (a *App) ForgotForm(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	return a.Render.Page(c, http.StatusOK, "password_forgot", webkit.View{Title: "Forgot your password?", Data: forgotData{}})
}

// Forgot serves POST /password/forgot.
func (a *App) Forgot(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	m, err := a.accountMailer()
	if err != nil {
		return err
	}
	d := forgotData{Email: c.FormValue("email")}
	err = account.RequestPasswordReset(c.Request().Context(), a.DB, m, d.Email, c.RealIP(), a.Now())
	status := http.StatusOK
	switch code := apperr.ErrorCode(err); {
	case code == apperr.ETOOMANY:
		status, d.Error = http.StatusTooManyRequests, apperr.ErrorMessage(err)
		setRetryAfter(c, err)
	case apperr.FormErrorsOf(err) != nil:
		status, d.Error = http.StatusUnprocessableEntity, apperr.FormErrorsOf(err)["email"]
	case err != nil:
		return err
	default:
		d.Sent = true
	}
	return a.Render.Page(c, status, "password_forgot", webkit.View{Title: "Forgot your password?", Data: d})
}

type setPasswordData struct {
	Token   string
	Email   string
	Invite  bool
	Gone    string // the link cannot be used: why, in words
	Errors  apperr.FieldErrors
	Minimum int
}

// SetPasswordForm greets the holder of a valid link; the token stays in
// the address only for this page, which sends no Referer anywhere.
func (a *App) SetPasswordForm(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	noReferrer(c)
	token := c.QueryParam("token")
	acc, purpose, err := account.PeekToken(c.Request().Context(), a.DB, token, a.Now())
	d := setPasswordData{Token: token, Minimum: account.MinPasswordLength}
	if err != nil {
		return a.linkGone(c, d, err)
	}
	d.Email, d.Invite = acc.Email, purpose == account.TokenInvite
	return a.Render.Page(c, http.StatusOK, "password_set", webkit.View{Title: "Choose your password", Data: d})
}

// SetPassword serves POST /password/set.
func (a *App) SetPassword(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	noReferrer(c)
	token, password := c.FormValue("token"), c.FormValue("password")
	d := setPasswordData{Token: token, Minimum: account.MinPasswordLength}
	if errs := newPasswordErrors(password, c.FormValue("confirm")); errs != nil {
		acc, purpose, err := account.PeekToken(c.Request().Context(), a.DB, token, a.Now())
		if err != nil {
			return a.linkGone(c, d, err)
		}
		d.Email, d.Invite, d.Errors = acc.Email, purpose == account.TokenInvite, errs
		return a.Render.Page(c, http.StatusUnprocessableEntity, "password_set", webkit.View{Title: "Choose your password", Data: d})
	}
	acc, err := account.SetPasswordWithToken(c.Request().Context(), a.DB, token, password, a.Now())
	if err != nil {
		return a.linkGone(c, d, err)
	}
	// Whoever was logged in in this browser is logged out with the rest.
	a.ClearSessionCookie(c)
	webkit.SetFlash(c, "Your password is set. Log in with it.")
	return c.Redirect(http.StatusSeeOther, "/login?"+url.Values{"email": {acc.Email}}.Encode())
}

// linkGone shows why a link cannot be used, with the way to a new one;
// errors other than a dead link go to the error page.
func (a *App) linkGone(c echo.Context, d setPasswordData, err error) error {
	if apperr.ErrorCode(err) != apperr.EGONE {
		return err
	}
	d.Gone, d.Token = apperr.ErrorMessage(err), ""
	return a.Render.Page(c, http.StatusGone, "password_set", webkit.View{Title: "Link expired", Data: d})
}

// newPasswordErrors checks a new password and its confirmation.
func newPasswordErrors(password, confirm string) apperr.FieldErrors {
	if _, err := account.HashPassword(password); apperr.ErrorCode(err) == apperr.EINVALID {
		return apperr.FieldErrors{"password": apperr.ErrorMessage(err)}
	}
	if password != confirm {
		return apperr.FieldErrors{"confirm": "The two passwords are not the same."}
	}
	return nil
}

type changePasswordData struct {
	Errors  apperr.FieldErrors
	Minimum int
}

func (a *App) ChangePasswordForm(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	return a.Render.Page(c, http.StatusOK, "password_change", webkit.View{Title: "Change password",
		Data: changePasswordData{Minimum: account.MinPasswordLength}})
}

func (a *App) ChangePassword(c echo.Context) error {
	if a.PasswordLoginOff {
		return a.passwordsOff(c)
	}
	d := changePasswordData{Minimum: account.MinPasswordLength}
	password := c.FormValue("password")
	d.Errors = newPasswordErrors(password, c.FormValue("confirm"))
	var err error
	if d.Errors == nil {
		keep := ""
		if ck, cerr := c.Cookie(webkit.SessionCookie); cerr == nil {
			keep = ck.Value
		}
		err = account.ChangePassword(c.Request().Context(), a.DB, webkit.CurrentAccount(c), c.FormValue("current"), password, keep, a.Now())
		d.Errors = apperr.FormErrorsOf(err)
	}
	switch {
	case apperr.ErrorCode(err) == apperr.ETOOMANY:
		setRetryAfter(c, err)
		d.Errors = apperr.FieldErrors{"current": apperr.ErrorMessage(err)}
		return a.Render.Page(c, http.StatusTooManyRequests, "password_change", webkit.View{Title: "Change password", Data: d})
	case d.Errors != nil:
		return a.Render.Page(c, http.StatusUnprocessableEntity, "password_change", webkit.View{Title: "Change password", Data: d})
	case err != nil:
		return err
	}
	webkit.SetFlash(c, "Your password is changed. Every other session of your account has been logged out.")
	return c.Redirect(http.StatusSeeOther, "/orgs")
}

package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// Accounts at /accounts: admins list, invite, change and remove every
// account; consultants invite the leaders of their organisations and
// remove them from those. The survey package checks every right again and
// scopes every query, so these handlers only bind, render and redirect.

type accountsData struct {
	Accounts []account.AccountRow
	Admin    bool
	Self     int64
}

func (a *App) ListAccounts(c echo.Context) error {
	acc := webkit.CurrentAccount(c)
	rows, err := account.ListAccounts(c.Request().Context(), a.DB, acc)
	if err != nil {
		return err
	}
	return a.Render.Page(c, http.StatusOK, "account_list", webkit.View{Title: "Accounts",
		Data: accountsData{Accounts: rows, Admin: acc.Role == account.RoleAdmin, Self: acc.ID}})
}

// roleChoice is one role of the role field.
type roleChoice struct {
	Value, Label, Hint string
}

var roleChoices = []roleChoice{
	{account.RoleLeader, "Leader", "Sees the dashboards and reports of the chosen organisations; never individual answers or the roster."},
	{account.RoleConsultant, "Consultant", "Sets up and runs the chosen organisations: roster, schedules, rounds, questions; invites their leaders."},
	{account.RoleAdmin, "Administrator", "Everything, in every organisation, including all accounts."},
}

// orgChoice is one organisation checkbox.
type orgChoice struct {
	ID      int64
	Name    string
	Checked bool
}

type accountFormData struct {
	Row    *account.AccountRow // nil when inviting
	Action string
	Email  string
	Role   string
	Roles  []roleChoice // those the viewer may grant
	Orgs   []orgChoice
	Errors apperr.FieldErrors
	Admin  bool // may change role and organisations
}

func (a *App) accountForm(c echo.Context, status int, row *account.AccountRow, in account.AccountInput, errs apperr.FieldErrors) error {
	acc := webkit.CurrentAccount(c)
	orgs, err := survey.VisibleOrgs(c.Request().Context(), a.DB, acc)
	if err != nil {
		return err
	}
	d := accountFormData{Row: row, Action: "/accounts", Email: in.Email, Role: in.Role, Errors: errs, Admin: acc.Role == account.RoleAdmin}
	for _, r := range roleChoices {
		if d.Admin || r.Value == account.RoleLeader {
			d.Roles = append(d.Roles, r)
		}
	}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, orgChoice{ID: o.ID, Name: o.Name, Checked: slices.Contains(in.OrgIDs, o.ID)})
	}
	title := "Invite someone"
	if row != nil {
		d.Action += "/" + strconv.FormatInt(row.ID, 10)
		title = row.Email
	}
	return a.Render.Page(c, status, "account_form", webkit.View{Title: title, Data: d})
}

func accountInputFrom(c echo.Context) account.AccountInput {
	form, _ := c.FormParams()
	in := account.AccountInput{Email: c.FormValue("email"), Role: c.FormValue("role")}
	for _, v := range form["orgs"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.OrgIDs = append(in.OrgIDs, id)
		}
	}
	return in
}

func (a *App) NewAccount(c echo.Context) error {
	return a.accountForm(c, http.StatusOK, nil, account.AccountInput{Role: account.RoleLeader}, nil)
}

// InviteAccount serves POST /accounts.
func (a *App) InviteAccount(c echo.Context) error {
	m, err := a.accountMailer()
	if err != nil {
		return err
	}
	in := accountInputFrom(c)
	acc, err := account.InviteAccount(c.Request().Context(), a.DB, m, webkit.CurrentAccount(c), in, a.Now())
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.accountForm(c, rosterFormStatus(err), nil, in, fields)
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Invitation sent to "+acc.Email+". Their link works for 72 hours.")
	return c.Redirect(http.StatusSeeOther, "/accounts")
}

// accountParam loads the account in the path, if the viewer manages it.
func (a *App) accountParam(c echo.Context) (*account.AccountRow, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such account, or you may not manage it.")
	}
	return account.ManagedAccount(c.Request().Context(), a.DB, webkit.CurrentAccount(c), id)
}

// EditAccount serves GET /accounts/:id/edit.
func (a *App) EditAccount(c echo.Context) error {
	row, err := a.accountParam(c)
	if err != nil {
		return err
	}
	in := account.AccountInput{Email: row.Email, Role: row.Role}
	for _, o := range row.Orgs {
		in.OrgIDs = append(in.OrgIDs, o.ID)
	}
	return a.accountForm(c, http.StatusOK, row, in, nil)
}

// UpdateAccount serves POST /accounts/:id.
func (a *App) UpdateAccount(c echo.Context) error {
	row, err := a.accountParam(c)
	if err != nil {
		return err
	}
	in := accountInputFrom(c)
	in.Email = row.Email
	acc, err := account.UpdateAccount(c.Request().Context(), a.DB, webkit.CurrentAccount(c), row.ID, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.accountForm(c, http.StatusUnprocessableEntity, row, in, fields)
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Saved "+acc.Email+". The change applies from their next click.")
	return c.Redirect(http.StatusSeeOther, "/accounts")
}

// RemoveAccount serves POST /accounts/:id/remove.
func (a *App) RemoveAccount(c echo.Context) error {
	row, err := a.accountParam(c)
	if err != nil {
		return err
	}
	if !confirmed(c) {
		effect := row.Email + " loses access to your organisations at once; if they see no other, their account is deleted."
		if webkit.CurrentAccount(c).Role == account.RoleAdmin {
			effect = row.Email + "'s account is deleted: they are logged out at once, and their API tokens and links stop working."
		}
		return a.askToConfirm(c, Confirmation{Heading: "Remove " + row.Email + "?",
			Effects: []string{effect, "The audit log keeps what they did."},
			Action:  c.Request().URL.Path, Button: "Remove " + row.Email, Back: "/accounts"})
	}
	deleted, err := account.RemoveAccount(c.Request().Context(), a.DB, webkit.CurrentAccount(c), row.ID)
	if apperr.ErrorCode(err) == apperr.EINVALID {
		webkit.SetFlash(c, apperr.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, "/accounts")
	} else if err != nil {
		return err
	}
	if deleted {
		webkit.SetFlash(c, "Removed "+row.Email+". They are logged out and their links no longer work.")
	} else {
		webkit.SetFlash(c, row.Email+" no longer sees your organisations.")
	}
	return c.Redirect(http.StatusSeeOther, "/accounts")
}

// SetAccountDisabled serves POST /accounts/:id/disable: disabled=true
// disables the account (its sessions end), false enables it again.
func (a *App) SetAccountDisabled(c echo.Context) error {
	row, err := a.accountParam(c)
	if err != nil {
		return err
	}
	disabled := c.FormValue("disabled") != "false"
	acc, err := account.SetDisabled(c.Request().Context(), a.DB, webkit.CurrentAccount(c), row.ID, disabled, a.Now())
	if apperr.ErrorCode(err) == apperr.EINVALID {
		webkit.SetFlash(c, apperr.ErrorMessage(err))
		return c.Redirect(http.StatusSeeOther, "/accounts")
	} else if err != nil {
		return err
	}
	if disabled {
		webkit.SetFlash(c, "Disabled "+acc.Email+". They are logged out and cannot log in until enabled.")
	} else {
		webkit.SetFlash(c, "Enabled "+acc.Email+". They can log in again.")
	}
	return c.Redirect(http.StatusSeeOther, "/accounts/"+strconv.FormatInt(acc.ID, 10)+"/edit")
}

// ResendInvitation serves POST /accounts/:id/invite.
func (a *App) ResendInvitation(c echo.Context) error {
	m, err := a.accountMailer()
	if err != nil {
		return err
	}
	row, err := a.accountParam(c)
	if err != nil {
		return err
	}
	acc, err := account.ResendInvitation(c.Request().Context(), a.DB, m, webkit.CurrentAccount(c), row.ID, a.Now())
	if apperr.ErrorCode(err) == apperr.EINVALID {
		webkit.SetFlash(c, apperr.ErrorMessage(err))
	} else if err != nil {
		return err
	} else {
		webkit.SetFlash(c, "A new invitation is on its way to "+acc.Email+"; earlier links no longer work.")
	}
	return c.Redirect(http.StatusSeeOther, "/accounts")
}

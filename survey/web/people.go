package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/roster"
	"accord/survey/webkit"
)

// The roster at /orgs/:slug/people: admins and consultants list, add, edit,
// deactivate and reactivate people. Leaders never see individuals, so for
// them these pages do not exist (404, like another tenant's organisation).

// rosterOrg returns the organisation of the request if the account may
// manage its roster.
func (a *App) rosterOrg(c echo.Context) (*survey.Organisation, error) {
	return a.Org(c, account.ManageRoster)
}

type peopleData struct {
	Org       *survey.Organisation
	Page      *roster.PeoplePage
	Filter    roster.PeopleFilter
	Filtered  bool
	Functions []string
	Teams     []string
	Here      string // this page's URL, where row actions return to
	Prev      string
	Next      string
}

// ListPeople serves GET /orgs/:slug/people.
func (a *App) ListPeople(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := peopleFilterFrom(c)
	page, err := roster.ListPeople(ctx, a.DB, org.ID, f)
	if err != nil {
		return err
	}
	teams, err := roster.RosterTeams(ctx, a.DB, org.ID)
	if err != nil {
		return err
	}
	d := peopleData{Org: org, Page: page, Filter: f, Functions: roster.Functions, Teams: teams,
		Filtered: f.Function != "" || f.Team != "" || f.Status != "" || f.Query != "",
		Here:     peopleURL(org.Slug, f, page.Page)}
	if page.Page > 1 {
		d.Prev = peopleURL(org.Slug, f, page.Page-1)
	}
	if page.Page < page.Pages {
		d.Next = peopleURL(org.Slug, f, page.Page+1)
	}
	return a.Render.Page(c, http.StatusOK, "people", webkit.View{Title: "People · " + org.Name, Data: d})
}

// peopleFilterFrom reads the list filters from the query; unknown values
// are ignored rather than refused, since they only narrow a list.
func peopleFilterFrom(c echo.Context) roster.PeopleFilter {
	f := roster.PeopleFilter{Team: strings.TrimSpace(c.QueryParam("team")), Query: strings.TrimSpace(c.QueryParam("q"))}
	if fn := c.QueryParam("function"); roster.ValidFunction(fn) {
		f.Function = fn
	}
	if s := c.QueryParam("status"); s == roster.StatusActive || s == roster.StatusInactive {
		f.Status = s
	}
	f.Page, _ = strconv.Atoi(c.QueryParam("page"))
	return f
}

func peopleURL(slug string, f roster.PeopleFilter, page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"function": f.Function, "team": f.Team, "status": f.Status, "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	u := "/orgs/" + url.PathEscape(slug) + "/people"
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// formField is one input of a form with its message, if any, as
// partials/form_field.html renders it; a field with Options is a select.
type formField struct {
	Name, Label, Value, Hint, Error, Type string
	Required, ReadOnly                    bool
	Options                               []string
	// Optional attributes of the input.
	Min, Max, List, Accept, Placeholder string
}

type personFormData struct {
	Org    *survey.Organisation
	Person *roster.Person // nil when adding
	Action string
	Fields []formField
	Errors apperr.FieldErrors
}

func (a *App) personForm(c echo.Context, status int, org *survey.Organisation, p *roster.Person, in roster.PersonInput, errs apperr.FieldErrors) error {
	d := personFormData{Org: org, Person: p, Errors: errs, Action: "/orgs/" + org.Slug + "/people"}
	title := "Add a person"
	if p != nil {
		d.Action += "/" + strconv.FormatInt(p.ID, 10)
		title = "Edit " + p.Email
	}
	d.Fields = []formField{
		{Name: "email", Label: "Email", Value: in.Email, Type: "email", Required: true,
			Hint: "Invitations go to this address. Each address appears once on the roster."},
		{Name: "name", Label: "Name", Value: in.Name, Type: "text"},
		{Name: "function", Label: "Function", Value: strings.ToLower(strings.TrimSpace(in.Function)), Required: true, Options: roster.Functions,
			Hint: "Sales and product are compared with each other; the other functions are shown beside them."},
		{Name: "team", Label: "Team", Value: in.Team, Type: "text", Hint: "Results are shown per team only when enough people answer."},
		{Name: "region", Label: "Region", Value: in.Region, Type: "text", Hint: "Optional."},
		{Name: "tenure_band", Label: "Tenure band", Value: in.TenureBand, Type: "text", Hint: "Optional, for example 0-1y, 1-3y, 3y+."},
		{Name: "language", Label: "Language", Value: in.Language, Type: "text",
			Hint: "The language of their emails and survey: " + languageChoices() + ". Leave empty for the organisation's default (" + i18n.EnglishName(org.DefaultLanguage) + ")."},
	}
	for i := range d.Fields {
		d.Fields[i].Error = errs[d.Fields[i].Name]
	}
	return a.Render.Page(c, status, "person_form", webkit.View{Title: title, Data: d})
}

func personInputFrom(c echo.Context) roster.PersonInput {
	return roster.PersonInput{Email: c.FormValue("email"), Name: c.FormValue("name"), Function: c.FormValue("function"),
		Team: c.FormValue("team"), Region: c.FormValue("region"), TenureBand: c.FormValue("tenure_band"),
		Language: c.FormValue("language")}
}

// languageChoices lists the supported languages as "en (English), de (German)…".
func languageChoices() string {
	out := make([]string, len(i18n.Supported))
	for i, code := range i18n.Supported {
		out[i] = code + " (" + i18n.EnglishName(code) + ")"
	}
	return strings.Join(out, ", ")
}

// NewPerson serves GET /orgs/:slug/people/new.
func (a *App) NewPerson(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	return a.personForm(c, http.StatusOK, org, nil, roster.PersonInput{}, nil)
}

// CreatePerson serves POST /orgs/:slug/people.
func (a *App) CreatePerson(c echo.Context) error {
	org, err := a.rosterOrg(c)
	if err != nil {
		return err
	}
	in := personInputFrom(c)
	p, err := roster.CreatePerson(c.Request().Context(), a.DB, org.ID, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.personForm(c, rosterFormStatus(err), org, nil, in, fields)
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Added "+p.Email+" to the roster.")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/people")
}

// rosterFormStatus is the status of a form shown again with messages.
func rosterFormStatus(err error) int {
	if apperr.ErrorCode(err) == apperr.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// rosterPerson loads the organisation and the person named in the path.
func (a *App) rosterPerson(c echo.Context) (*survey.Organisation, *roster.Person, error) {
	org, err := a.rosterOrg(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, nil, apperr.Errorf(apperr.ENOTFOUND, "This person is not on the roster.")
	}
	p, err := roster.GetPerson(c.Request().Context(), a.DB, org.ID, id)
	return org, p, err
}

// EditPerson serves GET /orgs/:slug/people/:id/edit.
func (a *App) EditPerson(c echo.Context) error {
	org, p, err := a.rosterPerson(c)
	if err != nil {
		return err
	}
	in := roster.PersonInput{Email: p.Email, Name: p.Name, Function: p.Function, Team: p.Team, Region: p.Region, TenureBand: p.TenureBand, Language: p.Language}
	return a.personForm(c, http.StatusOK, org, p, in, nil)
}

// UpdatePerson serves POST /orgs/:slug/people/:id.
func (a *App) UpdatePerson(c echo.Context) error {
	org, p, err := a.rosterPerson(c)
	if err != nil {
		return err
	}
	in := personInputFrom(c)
	updated, err := roster.UpdatePerson(c.Request().Context(), a.DB, org.ID, p.ID, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.personForm(c, rosterFormStatus(err), org, p, in, fields)
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Saved "+updated.Email+". Changes apply to rounds that start from now on.")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/people")
}

// SetPersonActive serves POST /orgs/:slug/people/:id/active.
func (a *App) SetPersonActive(c echo.Context) error {
	org, p, err := a.rosterPerson(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "true"
	if !active && !confirmed(c) {
		return a.askToConfirm(c, Confirmation{Org: org, Heading: "Deactivate " + p.Email + "?",
			Effects: []string{
				p.Email + " gets no more invitations or reminders, from open rounds included; their links to open rounds stop working.",
				"Their answers so far stay in the results, without their name, as every answer does.",
				"You can make them active again later; they are then invited to future rounds.",
			},
			Action: c.Request().URL.Path, Fields: map[string]string{"active": "false", "return": c.FormValue("return")},
			Button: "Deactivate " + p.Email, Back: "/orgs/" + org.Slug + "/people"})
	}
	p, err = roster.SetPersonActive(c.Request().Context(), a.DB, org.ID, p.ID, active)
	if err != nil {
		return err
	}
	if active {
		webkit.SetFlash(c, p.Email+" is active again and will be invited to future rounds.")
	} else {
		webkit.SetFlash(c, p.Email+" is deactivated and gets no more invitations or reminders.")
	}
	back := c.FormValue("return")
	if !strings.HasPrefix(back, "/orgs/"+org.Slug+"/people") {
		back = "/orgs/" + org.Slug + "/people"
	}
	return c.Redirect(http.StatusSeeOther, back)
}

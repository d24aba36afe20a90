package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/webkit"
)

// Organisations: the list at /orgs, creating one at /orgs/new, its
// settings at /orgs/:slug/settings (leaders read them), archiving,
// restoring and deleting. The rules live in survey/organisation.go.

type orgsData struct {
	Orgs      []survey.Organisation
	CanManage bool
}

// ListOrgs serves GET /orgs.
func (a *App) ListOrgs(c echo.Context) error {
	acc := webkit.CurrentAccount(c)
	orgs, err := survey.VisibleOrgs(c.Request().Context(), a.DB, acc)
	if err != nil {
		return err
	}
	return a.Render.Page(c, http.StatusOK, "orgs", webkit.View{Title: "Organisations",
		Data: orgsData{Orgs: orgs, CanManage: account.Can(acc, account.ManageOrgs)}})
}

// ListArchivedOrgs serves GET /orgs/archived.
func (a *App) ListArchivedOrgs(c echo.Context) error {
	orgs, err := survey.ArchivedOrgs(c.Request().Context(), a.DB, webkit.CurrentAccount(c))
	if err != nil {
		return err
	}
	return a.Render.Page(c, http.StatusOK, "orgs_archived", webkit.View{Title: "Archived organisations",
		Data: orgsData{Orgs: orgs, CanManage: true}})
}

// orgFormData is the create form, or an organisation's settings page.
type orgFormData struct {
	Org        *survey.Organisation // nil when creating
	Action     string
	Form       survey.OrgInput
	Errors     apperr.FieldErrors
	Fields     []formField
	Zones      []string
	ReadOnly   bool // a leader looks at the settings
	SlugLocked bool // the organisation has had a round
	HasLogo    bool
	MaxLogoKB  int
	Floor      int // the lowest minimum group size
	Confirm    string
	Chat       []chatHookView // the Slack and Teams webhooks, masked
	ChatErrors apperr.FieldErrors
}

// NewOrg serves GET /orgs/new.
func (a *App) NewOrg(c echo.Context) error {
	in := survey.OrgInput{TimeZone: survey.DefaultTimeZone, DefaultLanguage: i18n.Default, MinGroupSize: strconv.Itoa(survey.DefaultMinGroupSize),
		CommentThreshold: strconv.Itoa(survey.DefaultCommentThreshold)}
	return a.orgForm(c, http.StatusOK, orgFormData{Form: in})
}

// CreateOrg serves POST /orgs.
func (a *App) CreateOrg(c echo.Context) error {
	in, err := orgInputFrom(c)
	if err != nil {
		return err
	}
	org, err := survey.CreateOrganisation(c.Request().Context(), a.DB, webkit.CurrentAccount(c), in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.orgForm(c, rosterFormStatus(err), orgFormData{Form: in, Errors: fields})
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, fmt.Sprintf("Created %s. Follow the steps below to run its first round.", org.Name))
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug)
}

func (a *App) OrgSettings(c echo.Context) error {
	org, err := a.Org(c, account.ViewOrg)
	if err != nil {
		return err
	}
	return a.orgForm(c, http.StatusOK, orgFormData{Org: org, Form: survey.OrgInputOf(org)})
}

func (a *App) UpdateOrg(c echo.Context) error {
	org, err := a.Org(c, account.ManageOrgs)
	if err != nil {
		return err
	}
	in, err := orgInputFrom(c)
	if err != nil {
		return err
	}
	saved, err := survey.UpdateOrganisation(c.Request().Context(), a.DB, org, in)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.orgForm(c, rosterFormStatus(err), orgFormData{Org: org, Form: in, Errors: fields})
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Saved the settings of "+saved.Name+".")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+saved.Slug+"/settings")
}

// orgForm renders the create form (d.Org nil) or the settings page.
func (a *App) orgForm(c echo.Context, status int, d orgFormData) error {
	d.Zones, d.MaxLogoKB, d.Floor = commonZones, survey.MaxLogoBytes>>10, survey.MinGroupSizeFloor
	title := "New organisation"
	d.Action = "/orgs"
	if d.Org != nil {
		ctx := c.Request().Context()
		title, d.Action = "Settings · "+d.Org.Name, "/orgs/"+d.Org.Slug+"/settings"
		d.ReadOnly = !account.Can(webkit.CurrentAccount(c), account.ManageOrgs)
		var err error
		if d.SlugLocked, err = survey.HasRounds(ctx, a.DB, d.Org.ID); err != nil {
			return err
		}
		logo, err := survey.GetLogo(ctx, a.DB, d.Org.ID)
		if err != nil {
			return err
		}
		d.HasLogo = logo != nil
		if d.Chat, err = a.chatViews(ctx, d.Org.ID); err != nil {
			return err
		}
	}
	d.Fields = orgFields(d)
	return a.Render.Page(c, status, "org_form", webkit.View{Title: title, Data: d})
}

// orgFields are the inputs of the settings form, filled from d.Form.
func orgFields(d orgFormData) []formField {
	f, floor := d.Form, strconv.Itoa(survey.MinGroupSizeFloor)
	slugHint := "Used in addresses, like /orgs/acme-europe: lower-case letters, digits and hyphens. Leave empty to make one from the name."
	if d.Org != nil {
		slugHint = "Used in addresses, like /orgs/" + d.Org.Slug + ". It can change until the first round; links people keep use it afterwards."
	}
	fields := []formField{
		{Name: "name", Label: "Name", Value: f.Name, Type: "text", Required: true},
		{Name: "slug", Label: "Address name", Value: f.Slug, Type: "text", Hint: slugHint},
		{Name: "time_zone", Label: "Time zone", Value: f.TimeZone, Type: "text", List: "zones",
			Hint: "The IANA name, like Europe/Berlin or America/New_York. New schedules and rounds start in it."},
		{Name: "default_language", Label: "Default language", Value: f.DefaultLanguage, Type: "text",
			Hint: "The language of surveys and their emails for people whose roster entry names none: " + languageChoices() + "."},
		{Name: "min_group_size", Label: "Minimum group size", Value: f.MinGroupSize, Type: "number", Min: floor, Max: strconv.Itoa(survey.MaxMinGroupSize),
			Hint: "No score is shown for a group with fewer respondents than this, anywhere: dashboard, reports, exports and the API. At least " + floor + "; 5 is usual."},
		{Name: "comment_threshold", Label: "Comment threshold", Value: f.CommentThreshold, Type: "number", Min: strconv.Itoa(survey.DefaultCommentThreshold),
			Max: strconv.Itoa(survey.MaxCommentThreshold), Hint: "Comments of a group are shown only when it has at least this many respondents; never below the minimum group size."},
		{Name: "accent_color", Label: "Accent colour (optional)", Value: f.AccentColor, Type: "text", Placeholder: "#1d4ed8",
			Hint: "Marks this organisation's reports: # and six hexadecimal digits. Leave empty for Accord's own colour."},
		{Name: "logo", Label: "Logo (optional)", Type: "file", Accept: "image/png,image/jpeg",
			Hint: fmt.Sprintf("A PNG or JPEG of at most %d KB and %d×%d pixels, shown on its reports.", d.MaxLogoKB, survey.MaxLogoSide, survey.MaxLogoSide)},
	}
	for i := range fields {
		fields[i].Error = d.Errors[fields[i].Name]
	}
	if d.SlugLocked {
		fields[1].ReadOnly = true
		fields[1].Hint = "Used in addresses, like /orgs/" + d.Org.Slug + ". It no longer changes: this organisation has had a round, and its links use it."
	}
	return fields
}

// orgInputFrom reads the settings form, logo upload included.
func orgInputFrom(c echo.Context) (survey.OrgInput, error) {
	in := survey.OrgInput{Name: c.FormValue("name"), Slug: c.FormValue("slug"), TimeZone: c.FormValue("time_zone"),
		MinGroupSize: c.FormValue("min_group_size"), CommentThreshold: c.FormValue("comment_threshold"),
		AccentColor: c.FormValue("accent_color"), RemoveLogo: c.FormValue("remove_logo") == "true",
		DefaultLanguage: c.FormValue("default_language")}
	fh, err := c.FormFile("logo")
	if err != nil || fh.Size == 0 { // no file chosen
		return in, nil
	}
	f, err := fh.Open()
	if err != nil {
		return in, fmt.Errorf("open logo upload: %w", err)
	}
	defer f.Close()
	// One byte over the limit is enough for the domain to refuse it.
	if in.Logo, err = io.ReadAll(io.LimitReader(f, survey.MaxLogoBytes+1)); err != nil {
		return in, fmt.Errorf("read logo upload: %w", err)
	}
	return in, nil
}

// SetArchived archives or restores the organisation of the request.
func (a *App) SetArchived(archived bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		org, err := a.Org(c, account.ManageOrgs)
		if err != nil {
			return err
		}
		if err := survey.SetArchived(c.Request().Context(), a.DB, org, archived, a.Now()); err != nil {
			return err
		}
		if archived {
			webkit.SetFlash(c, fmt.Sprintf("Archived %s: it is hidden from every list and its schedules are paused; its data are kept. Restore it from the archived organisations.", org.Name))
			return c.Redirect(http.StatusSeeOther, "/orgs")
		}
		webkit.SetFlash(c, fmt.Sprintf("Restored %s.", org.Name))
		return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug)
	}
}

func (a *App) DeleteOrg(c echo.Context) error {
	org, err := a.Org(c, account.ManageOrgs)
	if err != nil {
		return err
	}
	confirm := c.FormValue("confirm")
	d, err := survey.DeleteOrganisation(c.Request().Context(), a.DB, org, confirm)
	if fields := apperr.FormErrorsOf(err); fields != nil {
		return a.orgForm(c, http.StatusUnprocessableEntity, orgFormData{Org: org, Form: survey.OrgInputOf(org), Errors: fields, Confirm: confirm})
	} else if err != nil {
		return err
	}
	webkit.ForgetOrg(c)
	webkit.SetFlash(c, fmt.Sprintf("Deleted %s and everything of it: %s.", d.Name, d.Counts()))
	return c.Redirect(http.StatusSeeOther, "/orgs")
}

// OrgLogo serves an organisation's logo to those who may see the organisation.
func (a *App) OrgLogo(c echo.Context) error {
	org, err := a.Org(c, account.ViewOrg)
	if err != nil {
		return err
	}
	logo, err := survey.GetLogo(c.Request().Context(), a.DB, org.ID)
	if err != nil {
		return err
	} else if logo == nil {
		return apperr.Errorf(apperr.ENOTFOUND, "%s has no logo.", org.Name)
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.Blob(http.StatusOK, logo.ContentType, logo.Data)
}

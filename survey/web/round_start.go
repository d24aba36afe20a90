package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/roster"
	"accord/survey/webkit"
)

// "Start a round now" at /orgs/:slug/rounds/new: a form, then a preview
// that says how many people will be invited (and why the round cannot
// start, when it cannot), then the start itself. The preview is a page of
// its own, so the whole path works without JavaScript; its Start button
// repeats the form with the confirm field.

type roundFormData struct {
	Org       *survey.Organisation
	Form      survey.AdHocForm
	Errors    apperr.FieldErrors
	Functions []choice
	Teams     []choice
}

type roundPreviewData struct {
	Org      *survey.Organisation
	Form     survey.AdHocForm
	Round    survey.AdHocRound
	Preview  *survey.RoundPreview
	Problem  string
	Closes   string
	TooSmall bool // fewer invited than the minimum group size: results will stay hidden
}

// adHocForm reads the form from a POST body or, for "Change", the query.
func adHocForm(c echo.Context) (survey.AdHocForm, error) {
	params, err := c.FormParams()
	if err != nil {
		return survey.AdHocForm{}, apperr.Errorf(apperr.EINVALID, "The form could not be read. Reload the page and try again.")
	}
	return survey.AdHocForm{Title: params.Get("title"), WindowDays: params.Get("window_days"), ReminderDays: params.Get("reminder_days"),
		Functions: params["functions"], Teams: params["teams"]}, nil
}

// NewRound serves GET /orgs/:slug/rounds/new.
func (a *App) NewRound(c echo.Context) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	f, err := adHocForm(c)
	if err != nil {
		return err
	}
	if f.WindowDays == "" { // a fresh form, not one coming back from "Change"
		f = survey.AdHocForm{Title: survey.DefaultTitle(a.Now()), WindowDays: strconv.Itoa(survey.DefaultAdHocDays), ReminderDays: "3, 5"}
	}
	return a.roundForm(c, http.StatusOK, org, f, nil)
}

func (a *App) roundForm(c echo.Context, status int, org *survey.Organisation, f survey.AdHocForm, errs apperr.FieldErrors) error {
	teams, err := survey.OrgTeams(c.Request().Context(), a.DB, org.ID)
	if err != nil {
		return err
	}
	for _, t := range f.Teams { // keep a chosen team that has since left the roster
		if !slices.Contains(teams, t) {
			teams = append(teams, t)
		}
	}
	d := roundFormData{Org: org, Form: f, Errors: errs, Functions: choices(roster.Functions, f.Functions), Teams: choices(teams, f.Teams)}
	return a.Render.Page(c, status, "round_new", webkit.View{Title: "Start a round · " + org.Name, Data: d})
}

// PreviewRound answers the form with the preview, or the form again with
// what to correct.
func (a *App) PreviewRound(c echo.Context) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	f, err := adHocForm(c)
	if err != nil {
		return err
	}
	spec, errs := f.Parse()
	if len(errs) > 0 {
		return a.roundForm(c, http.StatusUnprocessableEntity, org, f, errs)
	}
	return a.roundPreview(c, org, f, spec, nil)
}

func (a *App) roundPreview(c echo.Context, org *survey.Organisation, f survey.AdHocForm, spec survey.AdHocRound, problem error) error {
	p, err := survey.PreviewRound(c.Request().Context(), a.DB, org, spec, a.Now())
	if err != nil {
		return err
	}
	if problem == nil {
		problem = p.Problem
	}
	d := roundPreviewData{Org: org, Form: f, Round: spec, Preview: p, Problem: apperr.ErrorMessage(problem),
		Closes:   survey.FormatInZone(a.Now().Add(spec.ClosesIn), org.TimeZone),
		TooSmall: p.Invited < org.MinGroupSize}
	status := http.StatusOK
	if problem != nil {
		status = http.StatusUnprocessableEntity
	}
	return a.Render.Page(c, status, "round_preview", webkit.View{Title: "Start " + spec.Title + " · " + org.Name, Data: d})
}

// StartRound starts the round the preview showed. Without the confirm
// field (a form posted from elsewhere) it shows the preview instead.
func (a *App) StartRound(c echo.Context) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	if a.Scheduler == nil {
		return fmt.Errorf("start round: no scheduler configured")
	}
	f, err := adHocForm(c)
	if err != nil {
		return err
	}
	spec, errs := f.Parse()
	if len(errs) > 0 {
		return a.roundForm(c, http.StatusUnprocessableEntity, org, f, errs)
	}
	if !confirmed(c) {
		return a.roundPreview(c, org, f, spec, nil)
	}
	r, invited, err := a.Scheduler.StartRound(c.Request().Context(), org, spec, a.Now())
	if apperr.ErrorCode(err) == apperr.EINVALID {
		return a.roundPreview(c, org, f, spec, err) // something changed since the preview
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, fmt.Sprintf("%s is open: %d invitations are on their way. It closes on %s.",
		r.Title, invited, survey.FormatInZone(r.ClosesAt, org.TimeZone)))
	return c.Redirect(http.StatusSeeOther, roundsURL(org))
}

// ConfirmCloseRound asks before a round is closed early, saying what the
// close does to the people who have not answered and to the results.
func (a *App) ConfirmCloseRound(c echo.Context) error {
	org, id, err := a.roundAction(c)
	if err != nil {
		return err
	}
	r, err := survey.RoundSummaryOf(c.Request().Context(), a.DB, org.ID, id)
	if err != nil {
		return err
	}
	if r.Status != survey.RoundOpen {
		webkit.SetFlash(c, r.Title+" is not open, so there is nothing to close.")
		return c.Redirect(http.StatusSeeOther, roundsURL(org))
	}
	effects := []string{
		fmt.Sprintf("Nobody can answer or change answers any more, although the round was to stay open until %s. The %d people who have not answered yet get no reminders, and their links stop working.",
			survey.FormatInZone(r.ClosesAt, r.TimeZone), r.Invited-r.Responded),
		fmt.Sprintf("The results are computed now from the %d answers received (%.1f%% of %d invited) and appear on the dashboard.",
			r.Responded, 100*r.ResponseRate(), r.Invited),
		"A closed round cannot be opened again.",
	}
	if r.Responded < int64(org.MinGroupSize) {
		effects = append(effects, fmt.Sprintf("With fewer than %d answers, the minimum group size of %s, its results stay hidden.", org.MinGroupSize, org.Name))
	}
	return a.askToConfirm(c, Confirmation{Org: org, Heading: "Close " + r.Title + " now?", Effects: effects,
		Action: roundsURL(org) + "/" + strconv.FormatInt(id, 10) + "/close", Button: "Close the round now", Back: roundsURL(org)})
}

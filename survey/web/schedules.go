package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/roster"
	"accord/survey/webkit"
)

// Schedules at /orgs/:slug/schedules: leaders of the organisation may look;
// admins and consultants may add and change them.

// CanManage reports whether acc may change an organisation's schedules and
// rounds (leaders only read).
func CanManage(acc *account.Account) bool { return account.Can(acc, account.ChangeSetup) }

// opsOrg returns the request's organisation if the account may see it and,
// when change is set, also change its schedules and rounds.
func (a *App) opsOrg(c echo.Context, change bool) (*survey.Organisation, error) {
	if change {
		return a.Org(c, account.ChangeSetup)
	}
	return a.Org(c, account.ViewOrg)
}

// scheduleRow is one schedule with its next opening, as people in its zone read it.
type scheduleRow struct {
	survey.Schedule
	Next string
}

type schedulesData struct {
	Org       *survey.Organisation
	Schedules []scheduleRow
	CanManage bool
}

// ListSchedules serves GET /orgs/:slug/schedules.
func (a *App) ListSchedules(c echo.Context) error {
	org, err := a.opsOrg(c, false)
	if err != nil {
		return err
	}
	ss, err := survey.ListSchedules(c.Request().Context(), a.DB, org.ID)
	if err != nil {
		return err
	}
	d := schedulesData{Org: org, CanManage: CanManage(webkit.CurrentAccount(c))}
	for _, s := range ss {
		row := scheduleRow{Schedule: s}
		if ps, err := s.PeriodsAround(a.Now()); err == nil && s.Active {
			row.Next = survey.FormatInZone(ps[len(ps)-1].OpensAt, s.TimeZone)
		}
		d.Schedules = append(d.Schedules, row)
	}
	return a.Render.Page(c, http.StatusOK, "schedules", webkit.View{Title: "Schedules · " + org.Name, Data: d})
}

type scheduleFormData struct {
	Org       *survey.Organisation
	Schedule  *survey.Schedule // nil when adding
	Action    string
	Form      survey.ScheduleForm
	Errors    apperr.FieldErrors
	Functions []choice
	Teams     []choice
	Zones     []string
}

// choice is one checkbox of a list.
type choice struct {
	Value   string
	Checked bool
}

func choices(values, checked []string) []choice {
	cs := make([]choice, len(values))
	for i, v := range values {
		cs[i] = choice{v, slices.Contains(checked, v)}
	}
	return cs
}

// commonZones are suggested in the time zone field; any IANA name is accepted.
var commonZones = []string{"UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Stockholm",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
	"Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"}

func (a *App) scheduleForm(c echo.Context, status int, org *survey.Organisation, s *survey.Schedule, f survey.ScheduleForm, errs apperr.FieldErrors) error {
	teams, err := survey.OrgTeams(c.Request().Context(), a.DB, org.ID)
	if err != nil {
		return err
	}
	for _, t := range f.Teams { // keep chosen teams that have since left the roster
		if !slices.Contains(teams, t) {
			teams = append(teams, t)
		}
	}
	d := scheduleFormData{Org: org, Schedule: s, Form: f, Errors: errs, Functions: choices(roster.Functions, f.Functions), Teams: choices(teams, f.Teams),
		Zones: commonZones, Action: "/orgs/" + org.Slug + "/schedules"}
	title := "Add a schedule"
	if s != nil {
		d.Action += "/" + strconv.FormatInt(s.ID, 10)
		title = "Edit " + s.Name
	}
	return a.Render.Page(c, status, "schedule_form", webkit.View{Title: title, Data: d})
}

// NewSchedule serves GET /orgs/:slug/schedules/new.
func (a *App) NewSchedule(c echo.Context) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	// A new schedule starts in the organisation's own time zone.
	f := survey.ScheduleForm{Cadence: survey.CadenceMonthly, EveryWeeks: "2", SendTime: "09:00", TimeZone: org.TimeZone,
		WindowDays: "7", ReminderDays: "3, 5", Active: true,
		StartDate: a.Now().UTC().Add(24 * time.Hour).Format(time.DateOnly)}
	return a.scheduleForm(c, http.StatusOK, org, nil, f, nil)
}

// EditSchedule serves GET /orgs/:slug/schedules/:id/edit.
func (a *App) EditSchedule(c echo.Context) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	s, err := a.scheduleParam(c, org)
	if err != nil {
		return err
	}
	return a.scheduleForm(c, http.StatusOK, org, s, survey.FormOf(s), nil)
}

// CreateSchedule serves POST /orgs/:slug/schedules.
func (a *App) CreateSchedule(c echo.Context) error { return a.saveSchedule(c, false) }

// UpdateSchedule serves POST /orgs/:slug/schedules/:id.
func (a *App) UpdateSchedule(c echo.Context) error { return a.saveSchedule(c, true) }

// saveSchedule checks the form, re-showing it with messages beside the
// fields, or saves and goes back to the list.
func (a *App) saveSchedule(c echo.Context, existing bool) error {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return err
	}
	s := &survey.Schedule{}
	if existing {
		if s, err = a.scheduleParam(c, org); err != nil {
			return err
		}
	}
	f := scheduleFormFrom(c)
	var shown *survey.Schedule
	if existing {
		shown = s
	}
	if errs := f.Parse(s); len(errs) > 0 {
		return a.scheduleForm(c, http.StatusBadRequest, org, shown, f, errs)
	}
	if err := survey.SaveSchedule(c.Request().Context(), a.DB, org, s, a.Now()); err != nil {
		return err
	}
	msg := "Saved “" + s.Name + "”."
	if s.Active {
		if ps, err := s.PeriodsAround(a.Now()); err == nil {
			msg += " The next round opens " + survey.FormatInZone(ps[len(ps)-1].OpensAt, s.TimeZone) + "."
		}
	} else {
		msg += " It is paused: no new rounds will start."
	}
	webkit.SetFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/schedules")
}

func (a *App) scheduleParam(c echo.Context, org *survey.Organisation) (*survey.Schedule, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "There is no such schedule.")
	}
	return survey.FindSchedule(c.Request().Context(), a.DB, org.ID, id)
}

func scheduleFormFrom(c echo.Context) survey.ScheduleForm {
	form, _ := c.FormParams()
	return survey.ScheduleForm{
		Name: c.FormValue("name"), Cadence: c.FormValue("cadence"), EveryWeeks: c.FormValue("every_weeks"),
		StartDate: c.FormValue("start_date"), SendTime: c.FormValue("send_time"), TimeZone: c.FormValue("time_zone"),
		WindowDays: c.FormValue("window_days"), ReminderDays: c.FormValue("reminder_days"),
		Functions: form["functions"], Teams: form["teams"], Active: c.FormValue("active") == "on",
	}
}

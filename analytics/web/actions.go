package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/analytics/export"
	"accord/analytics/format"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/i18n"
	"accord/survey/notify"
	"accord/survey/webkit"
)

// Action plans at /orgs/{slug}/actions: what the organisation decided to
// do about a measure, and whether the measure moved in the rounds since.
// Leaders record them as well as consultants: acting on results is theirs.

// choice is one option of a select.
type choice struct{ Value, Label string }

// actionsData is templates/actions.html.
type actionsData struct {
	Org       *survey.Organisation
	K         int
	Actions   []actionRow
	Exports   []exportLink
	CanRecord bool
	Targets   []choice
	Statuses  []choice
	// Form and Errors are the create form as typed; EditID, Edit and
	// EditErrors the update form of one action that needs correcting.
	Form       survey.ActionInput
	Errors     apperr.FieldErrors
	EditID     int64
	Edit       survey.ActionUpdate
	EditErrors apperr.FieldErrors
	// Loop is the results message of the latest closed round; nil when
	// that round has no published results or the reader may not write it.
	Loop *loopView
}

// loopView offers the results message of the latest closed round to
// everyone invited, or says when it went.
type loopView struct {
	RoundID          int64
	Round            string
	Results, Actions []string // what the message will report
	Sent             string   // "" until sent: when it went, and to how many
	Body             string
	Errors           apperr.FieldErrors
}

// actionRow is one action as the page shows it.
type actionRow struct {
	ID                                          int64
	Title, Target, Owner, Due, Created, Updated string
	Status, StatusLabel, Notes                  string
	Baseline                                    string // the baseline round's title, or why there is none
	Verdict                                     string
	Points                                      []effectRow
}

// effectRow is the targeted measure in one round: figures, or why hidden.
type effectRow struct {
	Round, Value, Interval, Hidden         string
	Baseline                               bool
	Change, ChangeInterval, Verdict, Blank string
}

func (h *Pages) Actions(c echo.Context) error {
	org, err := h.app.Org(c, account.ViewOrg)
	if err != nil {
		return err
	}
	return h.actionsPage(c, org, http.StatusOK, actionsData{Form: survey.ActionInput{Status: survey.ActionPlanned}})
}

// ExportActions downloads the actions with their effect:
// /orgs/{slug}/actions/export?format=csv|xlsx|json, audited.
func (h *Pages) ExportActions(c echo.Context) error {
	return h.orgDownload(c, account.ViewOrg, "actions", func(org *survey.Organisation, f export.Format, w io.Writer) error {
		return export.Actions(c.Request().Context(), h.app.DB, org, h.app.Now(), f, w)
	})
}

// CreateAction records an action: POST /orgs/{slug}/actions.
func (h *Pages) CreateAction(c echo.Context) error {
	org, err := h.app.Org(c, account.RecordActions)
	if err != nil {
		return err
	}
	in := survey.ActionInput{Target: c.FormValue("target"), Title: c.FormValue("title"), Owner: c.FormValue("owner"),
		Due: c.FormValue("due"), Status: c.FormValue("status"), Notes: c.FormValue("notes")}
	a, err := survey.CreateActionPlan(c.Request().Context(), h.app.DB, org.ID, in, h.postAction(c, org, true))
	if errs := apperr.FormErrorsOf(err); errs != nil {
		return h.actionsPage(c, org, http.StatusUnprocessableEntity, actionsData{Form: in, Errors: errs})
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, fmt.Sprintf("Action “%s” recorded.", a.Title))
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/actions")
}

// UpdateAction changes an action's status and notes: POST /orgs/{slug}/actions/{id}.
func (h *Pages) UpdateAction(c echo.Context) error {
	org, err := h.app.Org(c, account.RecordActions)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such action in this organisation.")
	}
	in := survey.ActionUpdate{Status: c.FormValue("status"), Notes: c.FormValue("notes")}
	a, err := survey.UpdateActionPlan(c.Request().Context(), h.app.DB, org.ID, id, in, h.postAction(c, org, false))
	if errs := apperr.FormErrorsOf(err); errs != nil {
		d := actionsData{Form: survey.ActionInput{Status: survey.ActionPlanned}, EditID: id, Edit: in, EditErrors: errs}
		return h.actionsPage(c, org, http.StatusUnprocessableEntity, d)
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, fmt.Sprintf("Action “%s” saved: %s.", a.Title, survey.StatusLabel(a.Status)))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/orgs/%s/actions#action-%d", org.Slug, a.ID))
}

// actionsPage lists org's actions with their effect, around d's forms.
func (h *Pages) actionsPage(c echo.Context, org *survey.Organisation, status int, d actionsData) error {
	ctx := c.Request().Context()
	list, err := survey.ListActionPlans(ctx, h.app.DB, org.ID)
	if err != nil {
		return err
	}
	dash, err := analytics.LoadDashboard(ctx, h.app.DB, org, analytics.Query{}, h.app.Now())
	if err != nil {
		return err
	}
	effects, k := analytics.EffectsOf(list, dash.Trend), dash.K
	d.Org, d.K, d.CanRecord = org, k, account.Can(webkit.CurrentAccount(c), account.RecordActions)
	if d.CanRecord {
		if d.Loop, err = h.loopView(c, org, dash, list, d.Loop); err != nil {
			return err
		}
	}
	d.Exports = aggregateLinks("/orgs/" + org.Slug + "/actions/export")
	for _, t := range survey.ActionTargets {
		d.Targets = append(d.Targets, choice{t, survey.TargetLabel(t)})
	}
	for _, s := range survey.ActionStatuses {
		d.Statuses = append(d.Statuses, choice{s, survey.StatusLabel(s)})
	}
	for _, e := range effects {
		d.Actions = append(d.Actions, newActionRow(org, e, k))
	}
	return h.app.Render.Page(c, status, "actions", webkit.View{Title: "Actions · " + org.Name, BodyClass: "action-plans", Data: d})
}

func newActionRow(org *survey.Organisation, e analytics.ActionEffect, k int) actionRow {
	a := e.Action
	row := actionRow{ID: a.ID, Title: a.Title, Target: survey.TargetLabel(a.Target), Owner: a.Owner, Status: a.Status,
		StatusLabel: survey.StatusLabel(a.Status), Notes: a.Notes, Verdict: e.Verdict,
		Created: survey.FormatInZone(a.CreatedAt, org.TimeZone), Updated: survey.FormatInZone(a.UpdatedAt, org.TimeZone),
		Baseline: "no round had closed when it was recorded: rounds that closed since are shown, without a change"}
	if a.DueDate != nil {
		row.Due = a.DueDate.Format("2 January 2006")
	}
	for _, p := range e.Points {
		if p.Baseline {
			row.Baseline = p.Round.Title
		}
		row.Points = append(row.Points, newEffectRow(p, e.Fraction, k))
	}
	return row
}

// newEffectRow writes one round's figures as the dashboard does: shares in
// percent and their changes in points, indices on their 0–100 scale.
func newEffectRow(p analytics.EffectPoint, fraction bool, k int) effectRow {
	r := effectRow{Round: p.Round.Title, Baseline: p.Baseline, Verdict: p.Verdict}
	value, valueRange, scale, unit := format.Num, format.NumRange, 1.0, ""
	if fraction {
		value, valueRange, scale, unit = format.Pct, format.PctRange, 100, " points"
	}
	if p.Hidden.Hidden() {
		r.Hidden = "Hidden: " + format.Why(p.Hidden, k)
	} else {
		r.Value, r.Interval = value(p.Value.Estimate), valueRange(p.Value)
	}
	switch {
	case p.Baseline:
		r.Blank = "baseline"
	case p.ChangeHidden.Hidden():
		r.Blank = "hidden: " + format.Why(p.ChangeHidden, k)
	case p.Verdict == "":
		r.Blank = "no baseline"
	default:
		r.Change, r.ChangeInterval = format.Signed(scale*p.Change.Estimate, true)+unit, format.DiffRange(p.Change, scale)
	}
	return r
}

// loopView prepares the results message of the latest closed round, as
// typed in typed (nil: a fresh form); nil when it has no published results.
func (h *Pages) loopView(c echo.Context, org *survey.Organisation, d *analytics.Dashboard, actions []survey.ActionPlan, typed *loopView) (*loopView, error) {
	if len(d.Trend) == 0 {
		return nil, nil
	}
	last := d.Trend[len(d.Trend)-1]
	results := format.ResultsForEveryone(last)
	if results.Empty() {
		return nil, nil
	}
	// The preview words the results as an English reader's email does;
	// each person's copy is in their own language.
	en := i18n.For(i18n.Default)
	v := &loopView{RoundID: last.Round.ID, Round: last.Round.Title, Results: notify.ResultLines(en, results),
		Actions: notify.ActionLines(en, actionsTaken(actions))}
	if typed != nil {
		v.Body, v.Errors = typed.Body, typed.Errors
	}
	sent, err := survey.GetRoundMessage(c.Request().Context(), h.app.DB, org.ID, last.Round.ID)
	if err != nil {
		return nil, err
	}
	if sent != nil {
		v.Sent = fmt.Sprintf("on %s to the %d people invited", survey.FormatInZone(sent.CreatedAt, org.TimeZone), sent.Sent)
		v.Body = sent.Body
	}
	return v, nil
}

// actionsTaken are the actions a results message reports: every one not
// dropped, with its status.
func actionsTaken(actions []survey.ActionPlan) []survey.ActionTaken {
	var out []survey.ActionTaken
	for _, a := range actions {
		if a.Status != survey.ActionDropped {
			out = append(out, survey.ActionTaken{Title: a.Title, Status: a.Status})
		}
	}
	return out
}

// SendRoundMessage sends the results message of a closed round to everyone
// invited to it: POST /orgs/{slug}/rounds/{id}/message with body. The
// results it reports are read here, under the dashboard's rules.
func (h *Pages) SendRoundMessage(c echo.Context) error {
	org, err := h.app.Org(c, account.RecordActions)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such round in this organisation.")
	}
	ctx := c.Request().Context()
	d, err := analytics.LoadDashboard(ctx, h.app.DB, org, analytics.Query{}, h.app.Now())
	if err != nil {
		return err
	}
	var results survey.RoundResults
	for _, p := range d.Trend {
		if p.Round.ID == id {
			results = format.ResultsForEveryone(p)
		}
	}
	list, err := survey.ListActionPlans(ctx, h.app.DB, org.ID)
	if err != nil {
		return err
	}
	outbox := h.app.Mail // as account emails: the configured outbox, else the scheduler's
	if outbox == nil && h.app.Scheduler != nil {
		outbox = h.app.Scheduler.Mail
	}
	if outbox == nil {
		return errors.New("results message: no outbox configured")
	}
	body := c.FormValue("body")
	_, err = survey.SendRoundMessage(ctx, h.app.DB, outbox, h.app.Emails, org, id,
		survey.RoundMessageInput{Body: body, Results: results, Actions: actionsTaken(list)})
	if errs := apperr.FormErrorsOf(err); errs != nil {
		return h.actionsPage(c, org, http.StatusUnprocessableEntity, actionsData{Form: survey.ActionInput{Status: survey.ActionPlanned},
			Loop: &loopView{Body: body, Errors: errs}})
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "Your message is on its way to everyone invited.")
	return c.Redirect(http.StatusSeeOther, "/orgs/"+org.Slug+"/actions#loop-heading")
}

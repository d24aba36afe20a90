package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/apperr"
	"accord/survey/webkit"
)

// Rounds at /orgs/:slug/rounds: every round with its response rate and
// undelivered emails; admins and consultants may open a planned round now,
// close an open one now, or send one person a new link.

type roundRow struct {
	survey.RoundSummary
	Opens    string
	Deadline string
	Progress string               // "open, 4 days left" for the open round
	Failures *survey.MailFailures // only for those who may see addresses
}

type roundsData struct {
	Org       *survey.Organisation
	Rounds    []roundRow
	CanManage bool
	// ResendRound, ResendEmail and ResendError re-show a refused resend
	// beside its field.
	ResendRound int64
	ResendEmail string
	ResendError string
}

// ListRounds serves GET /orgs/:slug/rounds.
func (a *App) ListRounds(c echo.Context) error {
	org, err := a.opsOrg(c, false)
	if err != nil {
		return err
	}
	return a.roundsPage(c, http.StatusOK, org, roundsData{})
}

func (a *App) roundsPage(c echo.Context, status int, org *survey.Organisation, d roundsData) error {
	ctx := c.Request().Context()
	rs, err := survey.RoundSummaries(ctx, a.DB, org.ID)
	if err != nil {
		return err
	}
	d.Org, d.CanManage = org, CanManage(webkit.CurrentAccount(c))
	var failures map[int64]*survey.MailFailures
	if d.CanManage { // leaders never see individuals' addresses
		if failures, err = survey.RoundMailFailures(ctx, a.DB, org.ID); err != nil {
			return err
		}
	}
	for _, r := range rs {
		d.Rounds = append(d.Rounds, roundRow{RoundSummary: r, Failures: failures[r.ID],
			Opens: survey.FormatInZone(r.OpensAt, r.TimeZone), Deadline: survey.FormatInZone(r.ClosesAt, r.TimeZone),
			Progress: r.Progress(a.Now())})
	}
	return a.Render.Page(c, status, "rounds", webkit.View{Title: "Rounds · " + org.Name, Data: d})
}

// roundAction checks who may act on which round and that a scheduler runs.
func (a *App) roundAction(c echo.Context) (*survey.Organisation, int64, error) {
	org, err := a.opsOrg(c, true)
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, 0, apperr.Errorf(apperr.ENOTFOUND, "There is no such round.")
	}
	if a.Scheduler == nil {
		return nil, 0, errors.New("round actions: no scheduler configured")
	}
	return org, id, nil
}

// OpenRoundNow serves POST /orgs/:slug/rounds/:id/open.
func (a *App) OpenRoundNow(c echo.Context) error {
	org, id, err := a.roundAction(c)
	if err != nil {
		return err
	}
	opened, err := a.Scheduler.OpenNow(c.Request().Context(), org.ID, id, a.Now())
	if apperr.ErrorCode(err) == apperr.EINVALID {
		webkit.SetFlash(c, apperr.ErrorMessage(err))
	} else if err != nil {
		return err
	} else if opened {
		webkit.SetFlash(c, "The round is open; invitations are on their way.")
	} else {
		webkit.SetFlash(c, "That round was not waiting to open; nothing changed.")
	}
	return c.Redirect(http.StatusSeeOther, roundsURL(org))
}

// CloseRoundNow serves POST /orgs/:slug/rounds/:id/close.
func (a *App) CloseRoundNow(c echo.Context) error {
	if !confirmed(c) {
		return a.ConfirmCloseRound(c)
	}
	org, id, err := a.roundAction(c)
	if err != nil {
		return err
	}
	closed, err := a.Scheduler.CloseNow(c.Request().Context(), org.ID, id, a.Now())
	if err != nil {
		return err
	} else if closed {
		webkit.SetFlash(c, "The round is closed; nobody can answer or change answers any more.")
	} else {
		webkit.SetFlash(c, "That round was not open; nothing changed.")
	}
	return c.Redirect(http.StatusSeeOther, roundsURL(org))
}

// ResendLink serves POST /orgs/:slug/rounds/:id/resend.
func (a *App) ResendLink(c echo.Context) error {
	org, id, err := a.roundAction(c)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	p, err := a.Scheduler.Resend(c.Request().Context(), org.ID, id, email, a.Now())
	if apperr.ErrorCode(err) == apperr.EINVALID {
		return a.roundsPage(c, http.StatusBadRequest, org, roundsData{ResendRound: id, ResendEmail: email, ResendError: apperr.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	webkit.SetFlash(c, "A new personal link is on its way to "+p.Email+". Their earlier link keeps working.")
	return c.Redirect(http.StatusSeeOther, roundsURL(org))
}

func roundsURL(org *survey.Organisation) string { return "/orgs/" + org.Slug + "/rounds" }

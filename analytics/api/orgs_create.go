package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
)

// OrgCreate is the body of POST /api/v1/orgs: the settings of the page at
// /orgs/new but the logo; absent fields take the same defaults.
type OrgCreate struct {
	Name             string `json:"name"`
	Slug             string `json:"slug"`
	TimeZone         string `json:"time_zone"`
	MinGroupSize     *int   `json:"min_group_size"`
	CommentThreshold *int   `json:"comment_threshold"`
	AccentColor      string `json:"accent_color"`
}

// formError is the answer to a body whose fields need correcting: the
// one error shape, with a message per field named as in the body.
type formError struct {
	Error struct {
		Status  int               `json:"status"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// CreateOrg creates an organisation for an admin's or consultant's token,
// with the rules of the web form; a consultant becomes its consultant.
func (h *Handlers) CreateOrg(c echo.Context) error {
	acc := accountOf(c)
	if err := account.Authorize(acc, account.ManageOrgs); err != nil {
		return err
	}
	var body OrgCreate
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return apperr.Errorf(apperr.EINVALID, "The body must be a JSON object with name and, if you like, slug, time_zone, "+
			"min_group_size, comment_threshold and accent_color.")
	}
	org, err := survey.CreateOrganisation(ctx(c), h.app.DB, acc, survey.OrgInput{Name: body.Name, Slug: body.Slug,
		TimeZone: body.TimeZone, MinGroupSize: itoaOrEmpty(body.MinGroupSize),
		CommentThreshold: itoaOrEmpty(body.CommentThreshold), AccentColor: body.AccentColor})
	if fields := apperr.FormErrorsOf(err); fields != nil {
		var e formError
		e.Error.Status, e.Error.Message, e.Error.Fields = http.StatusUnprocessableEntity, apperr.ErrorMessage(err), fields
		if apperr.ErrorCode(err) == apperr.ECONFLICT {
			e.Error.Status = http.StatusConflict
		}
		return c.JSON(e.Error.Status, e)
	} else if err != nil {
		return err
	}
	out := h.orgJSON(org)
	c.Response().Header().Set(echo.HeaderLocation, out.Links.Self)
	return c.JSON(http.StatusCreated, out)
}

func itoaOrEmpty(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

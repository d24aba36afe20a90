package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/webkit"
)

// Destructive actions (closing a round early, deactivating a person,
// revoking a token, removing an account) ask first. Their buttons post
// straight to the action; without the confirm field the handler answers
// with a page that says what will happen and repeats the request with the
// field set. It needs no JavaScript, and a forged or replayed request
// without the field changes nothing.

// confirmField is the form field that says the user has confirmed.
const confirmField = "confirm"

// Confirmation is the page that asks before a destructive action.
type Confirmation struct {
	Org     *survey.Organisation // for the breadcrumb; nil outside an organisation
	Heading string               // the question, like "Close Q3 pulse now?"
	Effects []string             // what will happen, one sentence each
	Action  string               // where the confirmed form posts
	Fields  map[string]string    // form fields to send again, besides the CSRF token
	Button  string               // the confirming button's label
	Back    string               // where "Cancel" leads
}

// confirmed reports whether the request carries the user's confirmation.
func confirmed(c echo.Context) bool { return c.FormValue(confirmField) == "yes" }

// askToConfirm renders the confirmation page for cf.
func (a *App) askToConfirm(c echo.Context, cf Confirmation) error {
	return a.Render.Page(c, http.StatusOK, "confirm", webkit.View{Title: cf.Heading, Data: cf, Org: cf.Org})
}

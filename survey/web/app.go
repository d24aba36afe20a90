// Package web serves the survey side of Accord: the respondent's survey,
// login, passwords and API tokens, accounts and the audit log, and each
// organisation's settings, people, schedules, rounds and questions. Its
// handlers run inside the shared web kit (survey/webkit), which holds the
// server, sessions, CSRF, errors and rendering; the routes and who may call
// them are in the one route table (analytics/site). It may import package
// survey, the packages under survey and the leaf packages, never analytics.
package web

import (
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"accord/survey"
	"accord/survey/webkit"
)

// App serves the survey pages inside the web kit's server.
type App struct {
	*webkit.App

	respondents  *survey.Respondents
	blankForms   sync.Map // blankForm → template.HTML of its unanswered questions
	linkGuessers *blockList
}

// New prepares the survey pages on the kit's server kit.
func New(kit *webkit.App) (*App, error) {
	return &App{App: kit,
		respondents: &survey.Respondents{DB: kit.DB, Secret: kit.Secret}, linkGuessers: newBlockList()}, nil
}

// Home serves GET /.
func (a *App) Home(c echo.Context) error {
	if webkit.CurrentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/orgs")
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

package main

import (
	"accord/analytics/api"
	analyticsweb "accord/analytics/web"
	"accord/survey/web"
)

// registerAnalytics adds the dashboard routes and the JSON API to the survey app.
func registerAnalytics(app *web.App) {
	analyticsweb.Register(app)
	api.Register(app)
}

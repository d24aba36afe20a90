package main

import (
	analyticsweb "accord/analytics/web"
	"accord/survey/web"
)

// registerAnalytics adds the dashboard routes to the survey app.
func registerAnalytics(app *web.App) { analyticsweb.Register(app) }

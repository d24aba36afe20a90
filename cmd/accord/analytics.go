package main

import "accord/survey/web"

// registerAnalytics adds the dashboard routes to the survey app.
func registerAnalytics(app *web.App) {}

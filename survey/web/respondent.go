package web

import "github.com/labstack/echo/v4"

func (a *App) surveyForm(c echo.Context) error   { return echo.ErrNotFound }
func (a *App) surveySubmit(c echo.Context) error { return echo.ErrNotFound }

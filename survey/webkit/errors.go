package webkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accord/survey/apperr"
	"accord/survey/database"
	"accord/survey/i18n"
)

// statusClientClosed records a request its client abandoned, as nginx does.
const statusClientClosed = 499

var codeStatus = map[string]int{
	apperr.ECONFLICT:  http.StatusConflict,
	apperr.EFORBIDDEN: http.StatusForbidden,
	apperr.EGONE:      http.StatusGone,
	apperr.EINTERNAL:  http.StatusInternalServerError,
	apperr.EINVALID:   http.StatusBadRequest,
	apperr.ENOTFOUND:  http.StatusNotFound,
	apperr.EUNAUTH:    http.StatusUnauthorized,
	apperr.ETOOMANY:   http.StatusTooManyRequests,
}

var statusHeading = map[int]string{
	http.StatusBadRequest:          "That request could not be understood",
	http.StatusUnauthorized:        "Please log in",
	http.StatusForbidden:           "Not allowed",
	http.StatusNotFound:            "Page not found",
	http.StatusMethodNotAllowed:    "Not allowed",
	http.StatusConflict:            "Conflict",
	http.StatusGone:                "This survey has closed",
	http.StatusTooManyRequests:     "Too many requests",
	http.StatusInternalServerError: "Something went wrong",
	http.StatusServiceUnavailable:  "Temporarily unavailable",
}

// errorHandler turns every error into a page (or JSON under /api/) whose
// text is safe to show. Only internal errors are logged, with their cause.
func (a *App) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, message := a.classify(err, c)
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Request().URL.Path, "/api/") {
		c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": message}})
		return
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	heading := statusHeading[status]
	if heading == "" {
		heading = http.StatusText(status)
	}
	lang := respondentLanguage(c)
	if l := i18n.For(lang); lang != "" && lang != i18n.Default && l.Has(fmt.Sprintf("error_%d_heading", status)) {
		// A respondent reads why in their language; English keeps the
		// precise message, the others the one of its status.
		heading, message = l.T(fmt.Sprintf("error_%d_heading", status)), l.T(fmt.Sprintf("error_%d_message", status))
	}
	rerr := a.Render.Page(c, status, "error", View{Title: heading, Lang: lang, Data: map[string]string{"Heading": heading, "Message": message}})
	if rerr != nil {
		a.Log.Error("render error page", "err", rerr)
		c.String(status, message)
	}
}

func (a *App) classify(err error, c echo.Context) (int, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		switch he.Code {
		case http.StatusNotFound:
			msg = "There is nothing at this address."
		case http.StatusForbidden:
			msg = "Your session's security check failed or expired. Go back, reload the page and try again."
		}
		if s, ok := he.Message.(string); ok && he.Code != http.StatusNotFound && he.Code != http.StatusForbidden && he.Code < 500 {
			msg = s
		}
		if he.Code >= 500 {
			a.Log.Error("http error", "status", he.Code, "path", loggedPath(c), "err", err)
			msg = "Internal error."
		}
		return he.Code, msg
	}
	if database.Interrupted(err) && c.Request().Context().Err() == context.Canceled {
		// The client went away (closed the tab, timed out): nothing failed here.
		return statusClientClosed, "The request was cancelled."
	}
	code := apperr.ErrorCode(err)
	if code == apperr.EINTERNAL && database.Unavailable(err) {
		return a.unavailable(c, err)
	}
	if code == apperr.EINTERNAL && database.UnstorableText(err) {
		a.Log.Warn("text refused by the database", "path", loggedPath(c), "err", err)
		return http.StatusBadRequest, "Something you entered contains a character that cannot be stored (such as a NUL byte). Remove it and try again."
	}
	status, ok := codeStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == apperr.EINTERNAL {
		a.Log.Error("internal error", "path", loggedPath(c), "err", err)
	}
	return status, apperr.ErrorMessage(err)
}

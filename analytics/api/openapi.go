package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// OpenAPI is the API's OpenAPI 3 document, served at /api/v1/openapi.json.
// A test checks every route against it and every real answer against its
// schemas, so it cannot drift from the code unnoticed.
//
//go:embed openapi.json
var OpenAPI []byte

// ServeOpenAPI serves GET /api/v1/openapi.json; it needs no token: the document describes the API, not data.
func ServeOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, OpenAPI)
}

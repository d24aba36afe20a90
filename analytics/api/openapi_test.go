package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey/database/databasetest"
)

// echoParam matches Echo's path parameters (:slug), which OpenAPI writes {slug}.
var echoParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestEveryRouteIsDocumented compares the routes registered in Echo under
// /api/v1 with the document's operations, both ways.
func TestEveryRouteIsDocumented(t *testing.T) {
	w := newWorld(t, databasetest.Open(t, "sqlite"))
	registered := map[string]bool{}
	for _, r := range w.srv.App.Echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		path := echoParam.ReplaceAllString(r.Path, "{$1}")
		key := r.Method + " " + path
		registered[key] = true
		item := w.doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	if len(registered) < 6 {
		t.Fatalf("only %d API routes registered: %v", len(registered), registered)
	}
	for path, item := range w.doc.Paths.Map() {
		for method := range item.Operations() {
			if !registered[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not registered", method, path)
			}
		}
	}
}

// TestResponsesMatchTheDocument calls every operation with data that
// exercises each shape (published and suppressed groups, open and closed
// rounds, an organisation without rounds, pages) and checks every answer
// against the document; w.get validates each one.
func TestResponsesMatchTheDocument(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		seen := map[string]bool{}
		for _, path := range []string{
			"/api/v1/openapi.json",
			"/api/v1/orgs",
			"/api/v1/orgs?limit=1",
			"/api/v1/orgs/acme",
			"/api/v1/orgs/acme/rounds",
			"/api/v1/orgs/acme/rounds?limit=2",
			"/api/v1/orgs/gamma/rounds",
			"/api/v1/orgs/acme/measures",
			"/api/v1/orgs/acme/measures?round=" + itoa(w.rounds[0].ID),
			"/api/v1/orgs/acme/measures?round=" + itoa(w.rounds[2].ID),
			"/api/v1/orgs/acme/measures?function=sales",
			"/api/v1/orgs/acme/measures?function=marketing",
			"/api/v1/orgs/acme/measures?team=Hunters&function=sales",
			"/api/v1/orgs/acme/measures?team=Nobody",
			"/api/v1/orgs/acme/measures?region=(none)",
			"/api/v1/orgs/beta/measures",
			"/api/v1/orgs/gamma/measures",
			"/api/v1/orgs/acme/insight",
			"/api/v1/orgs/acme/insight?round=" + itoa(w.rounds[0].ID),
			"/api/v1/orgs/acme/insight?round=" + itoa(w.rounds[2].ID),
			"/api/v1/orgs/acme/insight?function=sales",
			"/api/v1/orgs/acme/insight?function=marketing",
			"/api/v1/orgs/gamma/insight",
			"/api/v1/orgs/acme/insight?weighted=1",
			"/api/v1/orgs/acme/insight?weighted=1&function=sales",
			"/api/v1/orgs/acme/insight?weighted=1&round=" + itoa(w.rounds[2].ID),
			"/api/v1/orgs/acme/export",
			"/api/v1/orgs/gamma/export",
			"/api/v1/orgs/acme/actions",
			"/api/v1/portfolio",
			"/api/v1/portfolio?labels=anonymous&sort=share&dir=desc&limit=1",
		} {
			r := w.get(t, admin, path)
			if r.Status != http.StatusOK {
				t.Errorf("GET %s: %d: %.300s", path, r.Status, r.Body)
			}
			seen[strings.SplitN(path, "?", 2)[0]] = true
		}
		// Every documented path was called (with the fixture's slugs).
		for path := range w.doc.Paths.Map() {
			concrete := strings.ReplaceAll(path, "{slug}", "acme")
			if !seen[concrete] {
				t.Errorf("no test call of %s", path)
			}
		}
	})
}

func TestDocumentIsServedWithoutAToken(t *testing.T) {
	w := newWorld(t, databasetest.Open(t, "sqlite"))
	r := w.get(t, "", "/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d", r.Status)
	}
	doc := r.JSON(t)
	if doc["openapi"] != "3.0.3" {
		t.Errorf("openapi %v", doc["openapi"])
	}
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if bearer := schemes["bearerAuth"].(map[string]any); bearer["scheme"] != "bearer" {
		t.Errorf("security scheme %v", bearer)
	}
	for _, name := range []string{"Error", "SuppressedCell", "PublishedCell"} {
		if _, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name]; !ok {
			t.Errorf("schema %s missing", name)
		}
	}
	if !slices.Contains(r.Header.Values("Cache-Control"), "public, max-age=300") {
		t.Errorf("Cache-Control %v", r.Header.Values("Cache-Control"))
	}
}

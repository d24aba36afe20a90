package api_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
)

// post sends body to path as who and validates the answer against the document.
func (w *world) post(t *testing.T, who, path, body string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, w.srv.URL+path, strings.NewReader(body))
	databasetest.Must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.tokens[who])
	return w.send(t, req)
}

func TestCreateOrgThroughTheAPI(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		r := w.post(t, cons, "/api/v1/orgs", `{"name": "Café Déjà Vu", "time_zone": "Europe/Berlin", "min_group_size": 6}`)
		if r.Status != http.StatusCreated || !strings.HasSuffix(r.Header.Get("Location"), "/api/v1/orgs/cafe-deja-vu") {
			t.Fatalf("create: status %d, Location %q: %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if o := r.JSON(t); o["slug"] != "cafe-deja-vu" || o["min_group_size"] != 6.0 || o["comment_threshold"] != 6.0 {
			t.Errorf("created %v", o)
		}
		// The consultant's token now reaches it; the creation is audited.
		if r := w.get(t, cons, "/api/v1/orgs/cafe-deja-vu"); r.Status != http.StatusOK {
			t.Errorf("the consultant cannot read the organisation they created: %d", r.Status)
		}
		var e audit.Entry
		databasetest.Must(t, db.Where("action = ?", survey.AuditOrgCreate).Take(&e).Error)
		if e.Email != "cons@accord.test" {
			t.Errorf("audited as %+v", e)
		}

		r = w.post(t, cons, "/api/v1/orgs", `{"name": "", "min_group_size": 2, "accent_color": "blue"}`)
		f := r.JSON(t)["error"].(map[string]any)["fields"].(map[string]any)
		if r.Status != http.StatusUnprocessableEntity || f["name"] == nil || f["min_group_size"] == nil || f["accent_color"] == nil {
			t.Errorf("invalid body: status %d, fields %v", r.Status, f)
		}
		r = w.post(t, admin, "/api/v1/orgs", `{"name": "Acme again", "slug": "acme"}`)
		if f := r.JSON(t)["error"].(map[string]any)["fields"].(map[string]any); r.Status != http.StatusConflict || f["slug"] == nil {
			t.Errorf("taken slug: status %d, %s", r.Status, r.Body)
		}
		expectError(t, w.post(t, admin, "/api/v1/orgs", `{"name": "X", "colour": "#fff"}`), http.StatusBadRequest, "must be a JSON object")
		expectError(t, w.post(t, leadA, "/api/v1/orgs", `{"name": "Mine"}`), http.StatusForbidden, "Only administrators and consultants")
	})
}

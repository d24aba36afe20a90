package api_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/audit"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// suppressedCells walks a JSON value and returns every object that says
// it is suppressed, with the path to it.
func suppressedCells(v any, path string, out map[string]map[string]any) {
	switch v := v.(type) {
	case map[string]any:
		if v["suppressed"] == true {
			out[path] = v
		}
		for k, x := range v {
			suppressedCells(x, path+"."+k, out)
		}
	case []any:
		for i, x := range v {
			suppressedCells(x, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

func TestSuppressedGroupsCarryNoNumbers(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		total := 0
		for _, q := range []string{"", "?function=marketing", "?team=Board", "?function=sales",
			"?round=" + itoa(w.rounds[0].ID), "?round=" + itoa(w.rounds[2].ID)} {
			r := w.get(t, leadA, "/api/v1/orgs/acme/measures"+q)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", q, r.Status)
			}
			cells := map[string]map[string]any{}
			suppressedCells(r.JSON(t), "", cells)
			for path, c := range cells {
				keys := slices.Sorted(maps.Keys(c))
				reasons := map[any]any{"fewer_responses": "fewer than 5 responses", "complementary": "hidden so that a smaller group cannot be worked out"}
				if !slices.Equal(keys, []string{"group", "label", "reason", "reason_code", "suppressed"}) || reasons[c["reason_code"]] != c["reason"] {
					t.Errorf("%s %s: suppressed cell %v, want only group, label, suppressed and the reason", q, path, c)
				}
			}
			total += len(cells)
		}
		if total == 0 {
			t.Fatal("the fixture hides no group: the test proves nothing")
		}

		// Marketing (3 people) is hidden: no number about it anywhere.
		m := w.get(t, leadA, "/api/v1/orgs/acme/measures?function=marketing").JSON(t)
		if g := m["group"].(map[string]any); g["suppressed"] != true {
			t.Errorf("marketing group %v, want suppressed", g)
		}
		if m["change"] != nil || len(m["perception_gap"].([]any)) != 0 {
			t.Errorf("hidden group has a change %v or gaps %v", m["change"], m["perception_gap"])
		}
		for _, p := range m["trend"].([]any) {
			if p.(map[string]any)["group"].(map[string]any)["suppressed"] != true {
				t.Errorf("marketing trend point %v, want suppressed", p)
			}
		}
		// In the organisation's breakdown by function, the small functions are hidden.
		m = w.get(t, leadA, "/api/v1/orgs/acme/measures").JSON(t)
		hidden := map[string]bool{}
		for _, b := range m["breakdowns"].([]any) {
			for _, g := range b.(map[string]any)["groups"].([]any) {
				g := g.(map[string]any)
				hidden[g["label"].(string)] = g["suppressed"] == true
			}
		}
		want := map[string]bool{"Sales": false, "Product": false, "Marketing": true, "Executive": true, // labels; keys keep "sales"
			"Hunters": false, "Core": false, "Brand": true, "Board": true}
		if !maps.Equal(hidden, want) {
			t.Errorf("hidden groups %v, want %v", hidden, want)
		}
	})
}

// TestMeasuresAreTheDashboards compares the API's numbers with the
// dashboard's query layer for the same round and group.
func TestMeasuresAreTheDashboards(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		q := analytics.Query{RoundID: w.rounds[0].ID, Filter: analytics.Group{}.With(analytics.DimFunction, roster.FunctionSales)}
		d, err := analytics.LoadDashboard(t.Context(), db, w.orgs["acme"], q, w.srv.Clock.Now())
		databasetest.Must(t, err)
		r := w.get(t, cons, "/api/v1/orgs/acme/measures?function=sales&round="+itoa(w.rounds[0].ID))
		var m struct {
			Group struct {
				Responses int
				Scores    struct {
					CompletelyAligned struct{ Estimate, Low, High float64 } `json:"completely_aligned"`
					Indices           []struct {
						Name string
						Mean struct{ Estimate, Low, High float64 }
					}
				}
			}
		}
		databasetest.Must(t, json.Unmarshal(r.Body, &m))
		want := d.Current.Measures
		if m.Group.Responses != want.Responses || m.Group.Responses != 6 {
			t.Errorf("responses %d, dashboard %d", m.Group.Responses, want.Responses)
		}
		share := m.Group.Scores.CompletelyAligned
		if share.Estimate != want.Share.Estimate || share.Low != want.Share.Low || share.High != want.Share.High {
			t.Errorf("completely aligned %+v, dashboard %+v", share, want.Share)
		}
		for i, im := range m.Group.Scores.Indices {
			if im.Name != analytics.IndexNames[i] || math.Abs(im.Mean.Estimate-want.Indices[i].Mean.Estimate) > 1e-12 {
				t.Errorf("index %s %+v, dashboard %+v", im.Name, im.Mean, want.Indices[i].Mean)
			}
		}
	})
}

func TestOpenRoundShowsParticipationOnly(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		r := w.get(t, admin, "/api/v1/orgs/acme/measures?round="+itoa(w.rounds[2].ID))
		var m struct {
			Round      struct{ Status string }
			Group      map[string]any
			Change     any
			Gaps       []any `json:"perception_gap"`
			Breakdowns []struct{ Groups []map[string]any }
		}
		databasetest.Must(t, json.Unmarshal(r.Body, &m))
		if m.Round.Status != survey.RoundOpen || m.Change != nil || len(m.Gaps) != 0 {
			t.Errorf("open round: status %s, change %v, gaps %v", m.Round.Status, m.Change, m.Gaps)
		}
		groups := []map[string]any{m.Group}
		for _, b := range m.Breakdowns {
			groups = append(groups, b.Groups...)
		}
		for _, g := range groups {
			if g["suppressed"] == false && (g["scores"] != nil || g["responses"] == nil) {
				t.Errorf("open round group %v: want responses and no scores", g)
			}
		}
	})
}

func TestUndefinedNumbersAreNull(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		// Beta's people answered the benchmark question only: the Likert
		// indices have no answers, so no mean and no interval.
		var m struct {
			Group struct {
				Scores struct {
					Indices []struct {
						Name  string
						Mean  struct{ Estimate, Low, High *float64 }
						Alpha *float64
					}
				}
			}
		}
		r := w.get(t, leadB, "/api/v1/orgs/beta/measures")
		databasetest.Must(t, json.Unmarshal(r.Body, &m))
		if len(m.Group.Scores.Indices) != 4 {
			t.Fatalf("indices: %s", r.Body)
		}
		for _, im := range m.Group.Scores.Indices {
			if im.Alpha != nil {
				t.Errorf("%s alpha %v, want null", im.Name, *im.Alpha)
			}
			if im.Name != survey.IndexAlignment && (im.Mean.Estimate != nil || im.Mean.Low != nil || im.Mean.High != nil) {
				t.Errorf("%s without answers: mean %+v, want nulls", im.Name, im.Mean)
			}
		}
		for _, bad := range []string{"NaN", "Inf"} {
			if strings.Contains(string(r.Body), bad) {
				t.Errorf("body holds %s", bad)
			}
		}
	})
}

// collect follows next links from path and returns every item's field;
// afterFirst runs once the first page is read.
func collect(t *testing.T, w *world, who, path, field string, afterFirst func()) (items []string, pages int) {
	t.Helper()
	for path != "" {
		var page struct {
			Data []map[string]any
			Next *string
		}
		r := w.get(t, who, path)
		databasetest.Must(t, json.Unmarshal(r.Body, &page))
		for _, d := range page.Data {
			items = append(items, fmt.Sprint(d[field]))
		}
		pages++
		path = ""
		if page.Next != nil {
			path = pathOf(t, *page.Next)
		}
		if pages == 1 && afterFirst != nil {
			afterFirst()
		}
	}
	return items, pages
}

func TestPagination(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		for _, slug := range []string{"delta", "epsilon", "zeta", "eta"} {
			webtest.MustOrg(t, db, slug, strings.ToUpper(slug))
		}
		// A new organisation that sorts first does not shift later pages.
		late := func() { webtest.MustOrg(t, db, "aaa-late", "Late") }
		got, pages := collect(t, w, admin, "/api/v1/orgs?limit=3", "slug", late)
		want := []string{"acme", "beta", "delta", "epsilon", "eta", "gamma", "zeta"}
		if !slices.Equal(got, want) || pages != 3 {
			t.Errorf("pages of 3: %v in %d pages, want %v in 3", got, pages, want)
		}
		got, pages = collect(t, w, leadA, "/api/v1/orgs/acme/rounds?limit=2", "title", nil)
		if !slices.Equal(got, []string{"March", "February", "January"}) || pages != 2 {
			t.Errorf("rounds: %v in %d pages, want newest first in 2", got, pages)
		}
		one := w.get(t, admin, "/api/v1/orgs?limit=200").JSON(t)
		if one["next"] != nil || len(one["data"].([]any)) != 8 {
			t.Errorf("one page of everything: next %v, %d items", one["next"], len(one["data"].([]any)))
		}
	})
}

func TestExportLeavesHiddenGroupsOutAndIsAudited(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		var e struct {
			Rows []map[string]any
		}
		databasetest.Must(t, json.Unmarshal(w.get(t, leadA, "/api/v1/orgs/acme/export").Body, &e))
		if len(e.Rows) == 0 {
			t.Fatal("no rows")
		}
		for _, row := range e.Rows {
			for _, v := range []any{row["function"], row["team"]} {
				if slices.Contains([]any{"marketing", "executive", "Brand", "Board"}, v) {
					t.Fatalf("a hidden group is exported: %v", row)
				}
			}
		}
		var entry audit.Entry
		databasetest.Must(t, db.Where("action = ?", audit.AuditExport).Take(&entry).Error)
		if entry.Email != "lead@acme.test" || entry.OrgID == nil || *entry.OrgID != w.orgs["acme"].ID {
			t.Errorf("audit entry %+v, want the token's account and acme", entry)
		}
	})
}

// TestIndexOfOnePersonIsWithheld: in a round where six people answered but
// one alone answered the trust items (analyticstest.SingleTrustAnswerer),
// the measures, the export and the portfolio withhold the trust index and
// its change with the reason, in answers valid against the OpenAPI
// document, and never carry that person's score.
func TestIndexOfOnePersonIsWithheld(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		org := webtest.MustOrg(t, db, "attack", "Attack")
		analyticstest.SingleTrustAnswerer(t, db, org, jan)
		m := w.get(t, admin, "/api/v1/orgs/attack/measures")
		var got struct {
			Group struct {
				Scores struct {
					Indices []struct {
						Name   string
						Mean   struct{ Estimate *float64 }
						Hidden *struct{ Code, Reason string }
					}
				}
			}
			Change struct {
				Indices []struct {
					Name   string
					Hidden *struct{ Code, Reason string }
				}
			}
		}
		databasetest.Must(t, json.Unmarshal(m.Body, &got))
		for _, im := range got.Group.Scores.Indices {
			want := im.Name == "trust"
			if (im.Hidden != nil) != want || (want && (im.Mean.Estimate != nil || im.Hidden.Reason != "fewer than 5 answers to these questions")) {
				t.Errorf("index %s: hidden %+v, estimate %v", im.Name, im.Hidden, im.Mean.Estimate)
			}
		}
		for _, c := range got.Change.Indices {
			if (c.Hidden != nil) != (c.Name == "trust") {
				t.Errorf("change of %s: hidden %+v", c.Name, c.Hidden)
			}
		}
		for _, path := range []string{"/api/v1/orgs/attack/measures", "/api/v1/orgs/attack/export", "/api/v1/portfolio"} {
			if body := w.get(t, admin, path).Body; strings.Contains(string(body), analyticstest.OnePersonTrust) {
				t.Errorf("%s carries the one person's trust score", path)
			}
		}
	})
}

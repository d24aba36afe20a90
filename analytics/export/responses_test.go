package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/export"
	"accord/analytics/export/exporttest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// responseDoc is a JSON response-level export.
type responseDoc struct {
	Meta struct {
		Notes []string `json:"notes"`
	} `json:"meta"`
	Rows []map[string]any `json:"rows"`
}

func exportResponses(t *testing.T, db *gorm.DB, acc *account.Account, slug string) responseDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Responses(t.Context(), db, acc, slug, now, export.JSON, &buf); err != nil {
		t.Fatalf("export responses: %v", err)
	}
	var doc responseDoc
	databasetest.Must(t, json.Unmarshal(buf.Bytes(), &doc))
	return doc
}

// rowGroup is the group a row's attributes describe.
func rowGroup(r map[string]any) analytics.Group {
	var g analytics.Group
	for _, d := range analytics.Dims {
		key := d.Name()
		if v, ok := r[key].(string); ok {
			if v == "(none)" {
				v = ""
			}
			g = g.With(d, v)
		}
	}
	return g
}

// TestResponsesOnlyPublishedGroups: every response of every closed round
// appears (so no hidden group can be found by subtraction), carrying only
// attributes under which its group is published, and no comment unless
// the organisation allows it.
func TestResponsesOnlyPublishedGroups(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, c := range []exporttest.Client{
			{Slug: "acme", Name: "Acme", Seed: 7},                    // marketing (2) hidden: no function column
			{Slug: "beta", Name: "Beta", Seed: 8, NoMarketing: true}, // every function published
		} {
			org := exporttest.MustClient(t, db, c)
			cons := webtest.MustAccount(t, db, "con@"+c.Slug+".test", account.RoleConsultant, org.ID)
			doc := exportResponses(t, db, cons, c.Slug)
			byRound := map[string]map[analytics.Group]int{}
			for _, r := range doc.Rows {
				if r["C1"] != nil {
					t.Fatalf("%s: a comment is exported although the organisation did not allow it: %v", c.Slug, r["C1"])
				}
				round := r["round"].(string)
				if byRound[round] == nil {
					byRound[round] = map[analytics.Group]int{}
				}
				byRound[round][rowGroup(r)]++
			}
			if len(byRound) != 4 {
				t.Errorf("%s: rows of %d rounds, want the 4 closed ones", c.Slug, len(byRound))
			}
			sawFunction := false
			for round, groups := range byRound {
				d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{RoundID: roundID(t, db, org, round)}, now)
				databasetest.Must(t, err)
				total := 0
				for g, n := range groups {
					total += n
					sawFunction = sawFunction || g.Has(analytics.DimFunction)
					gd, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{RoundID: d.Round.ID, Filter: g}, now)
					databasetest.Must(t, err)
					if n < 5 || gd.Current.Hidden || !gd.Current.Known || gd.Current.Responses != n {
						t.Errorf("%s %s: %d rows of group %q; the dashboard shows hidden=%v with %d responses",
							c.Slug, round, n, g.Label(), gd.Current.Hidden, gd.Current.Responses)
					}
				}
				if total != d.Current.Responses {
					t.Errorf("%s %s: %d rows, %d responses: some are left out", c.Slug, round, total, d.Current.Responses)
				}
			}
			if want := c.NoMarketing; sawFunction != want {
				t.Errorf("%s: function exported %v, want %v", c.Slug, sawFunction, want)
			}
		}
	})
}

func roundID(t *testing.T, db *gorm.DB, org *survey.Organisation, title string) int64 {
	t.Helper()
	var r survey.Round
	databasetest.Must(t, db.Where("org_id = ? AND title = ?", org.ID, title).Take(&r).Error)
	return r.ID
}

// TestResponsesComments: with the organisation's consent comments appear,
// as written, and only in groups at or above the comment threshold.
func TestResponsesComments(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	org := exporttest.MustClient(t, db, exporttest.Client{Seed: 9, NoMarketing: true})
	databasetest.Must(t, db.Model(org).Update("allow_comment_export", true).Error)
	admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
	doc := exportResponses(t, db, admin, org.Slug)
	n := 0
	for _, r := range doc.Rows {
		if c, ok := r["C1"].(string); ok {
			n++
			found := false
			for _, want := range exporttest.Comments {
				found = found || c == want
			}
			if !found {
				t.Errorf("comment %q is not one that was written", c)
			}
		}
	}
	if n == 0 {
		t.Error("no comment exported although the organisation allows it")
	}
	if !strings.Contains(strings.Join(doc.Meta.Notes, "\n"), "allows comments") {
		t.Errorf("notes do not say comments are included: %v", doc.Meta.Notes)
	}
}

// TestResponsesAccess: leaders never export responses; consultants only
// their organisations'.
func TestResponsesAccess(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	a := exporttest.MustClient(t, db, exporttest.Client{Seed: 10})
	b := webtest.MustOrg(t, db, "beta", "Beta")
	for _, tc := range []struct {
		role string
		org  int64
		code string
	}{
		{account.RoleLeader, a.ID, apperr.ENOTFOUND},
		{account.RoleConsultant, b.ID, apperr.ENOTFOUND},
	} {
		acc := webtest.MustAccount(t, db, fmt.Sprintf("%s%d@accord.test", tc.role, tc.org), tc.role, tc.org)
		var buf bytes.Buffer
		err := export.Responses(t.Context(), db, acc, a.Slug, now, export.CSV, &buf)
		if apperr.ErrorCode(err) != tc.code || buf.Len() > 0 {
			t.Errorf("%s of org %d: %v (%d bytes), want %s and nothing written", tc.role, tc.org, err, buf.Len(), tc.code)
		}
	}
}

// TestResponsesCarryTheStoredAnswers: each exported row holds exactly the
// answers of one stored response, values and comments as written (commas,
// quotes, "=" and line breaks included), on both databases: every round's
// rows, as sorted lists of question=answer, are the stored responses'.
func TestResponsesCarryTheStoredAnswers(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Seed: 11, NoMarketing: true})
		databasetest.Must(t, db.Model(org).Update("allow_comment_export", true).Error)
		tricky := "He said \"no\", then = left;\nnaïve ☃, 100%"
		databasetest.Must(t, db.Exec(`UPDATE answers SET text = ? WHERE id = (SELECT min(a.id) FROM answers a
			JOIN responses r ON r.id = a.response_id JOIN rounds d ON d.id = r.round_id
			WHERE d.org_id = ? AND d.status = ? AND a.text IS NOT NULL)`, tricky, org.ID, survey.RoundClosed).Error)
		admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		doc := exportResponses(t, db, admin, org.Slug)

		exported := map[string][]string{} // round title → one sorted answer list per row
		for _, r := range doc.Rows {
			var parts []string
			for k, v := range r {
				if len(k) == 2 && v != nil { // question keys: A1, T1, C1…
					parts = append(parts, fmt.Sprintf("%s=%v", k, v))
				}
			}
			slices.Sort(parts)
			exported[r["round"].(string)] = append(exported[r["round"].(string)], strings.Join(parts, "|"))
		}
		stored := map[string][]string{}
		rows, err := db.Raw(`SELECT d.title, r.id, q.key, a.value, a.text FROM answers a
			JOIN responses r ON r.id = a.response_id JOIN rounds d ON d.id = r.round_id JOIN questions q ON q.id = a.question_id
			WHERE d.org_id = ? AND d.status = ? ORDER BY r.id`, org.ID, survey.RoundClosed).Rows()
		databasetest.Must(t, err)
		byResponse := map[int64][]string{}
		titles := map[int64]string{}
		for rows.Next() {
			var title, key string
			var id int64
			var value *int
			var text *string
			databasetest.Must(t, rows.Scan(&title, &id, &key, &value, &text))
			titles[id] = title
			switch {
			case value != nil:
				byResponse[id] = append(byResponse[id], fmt.Sprintf("%s=%d", key, *value))
			case text != nil && *text != "":
				byResponse[id] = append(byResponse[id], fmt.Sprintf("%s=%s", key, *text))
			}
		}
		databasetest.Must(t, rows.Close())
		for id, parts := range byResponse {
			slices.Sort(parts)
			stored[titles[id]] = append(stored[titles[id]], strings.Join(parts, "|"))
		}
		if len(stored) == 0 {
			t.Fatal("no stored answers to compare")
		}
		for title := range stored {
			slices.Sort(stored[title])
			slices.Sort(exported[title])
			if !slices.Equal(stored[title], exported[title]) {
				t.Errorf("%s: exported rows differ from the stored responses:\n got %q\nwant %q", title, exported[title], stored[title])
			}
		}
		if !strings.Contains(fmt.Sprint(exported), tricky) {
			t.Errorf("the comment %q is not exported as written", tricky)
		}
	})
}

// failingWriter accepts n bytes, then fails, as a connection a client
// dropped does.
type failingWriter struct{ n int }

var errDropped = errors.New("client went away")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errDropped
	}
	w.n -= len(p)
	return len(p), nil
}

// TestResponsesStopWhenTheClientGoesAway: a response export whose client
// goes away mid-way stops with that error, and its reading of the
// database stops with it: on SQLite it holds the only connection, which
// the next query must get at once.
func TestResponsesStopWhenTheClientGoesAway(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := exporttest.MustClient(t, db, exporttest.Client{Seed: 12, NoMarketing: true})
		admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		for _, f := range []export.Format{export.CSV, export.XLSX, export.JSON} {
			var whole bytes.Buffer
			databasetest.Must(t, export.Responses(t.Context(), db, admin, org.Slug, now, f, &whole))
			err := export.Responses(t.Context(), db, admin, org.Slug, now, f, &failingWriter{n: whole.Len() / 2})
			if !errors.Is(err, errDropped) {
				t.Fatalf("%s export to a dropped client: %v, want %v", f, err, errDropped)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			var n int64
			err = db.WithContext(ctx).Model(&survey.Response{}).Count(&n).Error
			cancel()
			if err != nil || n == 0 {
				t.Fatalf("after the %s export stopped, counting responses: %d, %v", f, n, err)
			}
		}
	})
}

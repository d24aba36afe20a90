package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"accord/survey/database"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// TestPagesAnswer503WhileTheDatabaseIsAway cuts PostgreSQL (connections
// dropped) and stalls it (connections open, nothing answered): respondent and
// staff pages must answer within a few seconds with a friendly 503 and
// Retry-After, never a 500 or a hang, and work again once it is back.
func TestPagesAnswer503WhileTheDatabaseIsAway(t *testing.T) {
	for _, fault := range []string{"cut", "stall"} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			target, proxy := databasetest.Proxied(t, databasetest.Target(t, database.Postgres))
			db := databasetest.OpenTarget(t, target)
			if _, err := database.Migrate(t.Context(), db); err != nil {
				t.Fatal(err)
			}
			r := newRespondent(t, db)
			webtest.MustAccount(t, db, "ops@acme.test", "admin")
			staff := r.srv.Client(t)
			staff.Login("ops@acme.test", webtest.Password)
			respondent := r.srv.Client(t)
			// A hang fails the test instead of stalling it.
			staff.HTTP.Timeout, respondent.HTTP.Timeout = 15*time.Second, 15*time.Second
			answers := respondent.Hidden(r.page)
			answers.Set("A1", "2")
			pages := []struct {
				name string
				do   func() webtest.Response
			}{
				{"survey page", func() webtest.Response { return respondent.Get(r.page) }},
				{"survey answers", func() webtest.Response { return respondent.PostForm(r.page, answers) }},
				{"rounds page", func() webtest.Response { return staff.Get("/orgs/acme/rounds") }},
				{"people page", func() webtest.Response { return staff.Get("/orgs/acme/people") }},
			}

			if fault == "cut" {
				proxy.Cut()
			} else {
				proxy.Stall()
			}
			for _, p := range pages {
				start := time.Now()
				res := p.do()
				took := time.Since(start)
				if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
					t.Errorf("%s with the database %s: status %d, Retry-After %q; want 503 with Retry-After",
						p.name, fault, res.Status, res.Header.Get("Retry-After"))
				}
				if !strings.Contains(res.Body, "try again") {
					t.Errorf("%s: the 503 page does not ask to try again: %s", p.name, res.Body)
				}
				if took > 7*time.Second {
					t.Errorf("%s took %v to answer with the database %s", p.name, took, fault)
				}
				t.Logf("%s with the database %s: %d in %v", p.name, fault, res.Status, took.Round(time.Millisecond))
			}

			proxy.Restore()
			restored := time.Now()
			defer func() {
				t.Logf("first 200 %v after the database came back", time.Since(restored).Round(time.Millisecond))
			}()
			deadline := time.Now().Add(15 * time.Second)
			for _, p := range pages[:1] {
				for p.do().Status != http.StatusOK {
					if time.Now().After(deadline) {
						t.Fatalf("%s did not recover after the database came back", p.name)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			if res := staff.Get("/orgs/acme/rounds"); res.Status != http.StatusOK {
				t.Fatalf("rounds page after recovery: %d", res.Status)
			}
		})
	}
}

package api_test

import (
	"net/http"
	"testing"
	"time"

	"accord/analytics/site/sitetest"
	"accord/survey/account"
	"accord/survey/database/databasetest"
	"accord/survey/ratelimit"
	"accord/survey/webkit/webtest"
)

// BenchmarkAPIRequest times GET /api/v1/orgs/acme through the real router
// (token lookup, in-memory rate limit, organisation check, JSON) and, apart,
// what counting every request in the database (survey.Limit.Take) would
// add, which is why accepted requests are counted in memory:
//
//	ACCORD_TEST_POSTGRES_URL=… go test -run '^$' -bench APIRequest ./analytics/api/
func BenchmarkAPIRequest(b *testing.B) {
	for _, dialect := range databasetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := databasetest.Open(b, dialect)
			srv := sitetest.NewServer(b, db)
			webtest.MustOrg(b, db, "acme", "Acme")
			acc := webtest.MustAccount(b, db, "admin@accord.test", account.RoleAdmin)
			token, _, err := account.CreateAPIToken(b.Context(), db, acc, "bench", nil, srv.Clock.Now())
			databasetest.Must(b, err)
			b.Run("show-org", func(b *testing.B) {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/orgs/acme", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				n := 0
				for b.Loop() {
					if n++; n%100 == 0 {
						srv.Clock.Advance(10 * time.Second) // stay within the account's rate
					}
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
			limit := ratelimit.Limit{Name: "api-account", Max: 600, Window: time.Minute}
			b.Run("database-count", func(b *testing.B) {
				now := srv.Clock.Now()
				for b.Loop() {
					if _, err := limit.Take(b.Context(), db, "account:bench", now); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

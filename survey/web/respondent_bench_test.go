package web_test

import (
	"net/http"
	"testing"
	"time"

	"accord/analytics/site/sitetest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// BenchmarkRespondent measures one respondent through the real router: GET
// the form, POST a complete answer set, on each database. Each iteration
// uses a link of its own, as in accord-load.
//
//	ACCORD_TEST_POSTGRES_URL=… go test -run '^$' -bench Respondent -benchtime 2000x ./survey/web/
func BenchmarkRespondent(b *testing.B) {
	for _, dialect := range databasetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := databasetest.Open(b, dialect)
			srv := sitetest.NewServer(b, db)
			org := webtest.MustOrg(b, db, "acme", "Acme")
			people := make([]roster.Person, b.N)
			for i := range people {
				people[i] = roster.Person{OrgID: org.ID, Email: "p" + itoa(i) + "@acme.test", Function: roster.Functions[i%6], Active: true}
			}
			databasetest.Must(b, db.CreateInBatches(&people, 1000).Error)
			pulse, err := survey.PulseInstrumentID(b.Context(), db)
			databasetest.Must(b, err)
			opens := srv.Clock.Now().Add(-time.Hour)
			_, tokens, err := survey.CreateRound(b.Context(), db, org, pulse, "Bench", opens, opens.Add(48*time.Hour), people)
			databasetest.Must(b, err)
			links := make([]string, 0, len(tokens))
			for _, t := range tokens {
				links = append(links, "/s/"+t)
			}
			answers := form("A1", "2", "T1", "4", "T2", "3", "T3", "4", "T4", "3", "I1", "2", "I2", "3", "P1", "4", "P2", "2", "P3", "3", "P4", "4", "C1", "Share the roadmap earlier.")
			b.ResetTimer()
			for i := range b.N {
				c := srv.Client(b)
				if r := c.Submit(links[i], links[i], answers); r.Status != http.StatusSeeOther {
					b.Fatalf("submit = %d", r.Status)
				}
			}
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

package analytics_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"accord/analytics"
	"accord/analytics/export/exporttest"
	"accord/survey"
	"accord/survey/account"
	"accord/survey/apperr"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

var portfolioNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// clients creates n organisations named c1…cn, the i-th with a chance of
// "completely aligned" that grows with i, so their shares differ, and
// computes their rollups as closing their rounds would have.
func clients(t *testing.T, db *gorm.DB, n int) []*survey.Organisation {
	t.Helper()
	var out []*survey.Organisation
	for i := range n {
		out = append(out, exporttest.MustClient(t, db, exporttest.Client{Slug: fmt.Sprintf("c%d", i+1),
			Name: fmt.Sprintf("Client org %d", i+1), Seed: uint64(i + 1), Aligned: 0.05 + 0.05*float64(i)}))
	}
	databasetest.Must(t, analytics.RollupAll(t.Context(), db, portfolioNow))
	return out
}

func ids(orgs []*survey.Organisation) []int64 {
	var out []int64
	for _, o := range orgs {
		out = append(out, o.ID)
	}
	return out
}

func optIn(t *testing.T, db *gorm.DB, orgs ...*survey.Organisation) {
	t.Helper()
	for _, o := range orgs {
		databasetest.Must(t, db.Model(o).Update("benchmark_opt_in", true).Error)
	}
}

func loadPortfolio(t *testing.T, db *gorm.DB, acc *account.Account, opts analytics.PortfolioOptions) *analytics.Portfolio {
	t.Helper()
	p, err := analytics.LoadPortfolio(t.Context(), db, acc, portfolioNow, opts)
	if err != nil {
		t.Fatalf("portfolio of %s: %v", acc.Email, err)
	}
	return p
}

// TestPortfolioEqualsDashboards: each row shows what the organisation's
// dashboard shows for its latest closed round, and a consultant sees only
// their organisations, an admin all, a leader none.
func TestPortfolioEqualsDashboards(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		orgs := clients(t, db, 3)
		cons := webtest.MustAccount(t, db, "con@accord.test", account.RoleConsultant, orgs[0].ID, orgs[2].ID)
		admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)
		lead := webtest.MustAccount(t, db, "lead@accord.test", account.RoleLeader, orgs[0].ID)

		p := loadPortfolio(t, db, cons, analytics.PortfolioOptions{})
		var names []string
		for _, r := range p.Rows {
			names = append(names, r.Label)
		}
		if want := []string{"Client org 1", "Client org 3"}; !slices.Equal(names, want) {
			t.Errorf("consultant's portfolio %v, want %v", names, want)
		}
		if n := len(loadPortfolio(t, db, admin, analytics.PortfolioOptions{}).Rows); n != 3 {
			t.Errorf("admin's portfolio has %d rows, want 3", n)
		}
		if _, err := analytics.LoadPortfolio(t.Context(), db, lead, portfolioNow, analytics.PortfolioOptions{}); apperr.ErrorCode(err) != apperr.ENOTFOUND {
			t.Errorf("leader's portfolio: %v, want ENOTFOUND", err)
		}

		for _, r := range p.Rows {
			d, err := analytics.LoadDashboard(t.Context(), db, r.Org, analytics.Query{}, portfolioNow)
			databasetest.Must(t, err)
			if !r.Published || r.Latest.ID != d.Round.ID {
				t.Fatalf("%s: latest %v published %v, dashboard shows %s", r.Label, r.Latest, r.Published, d.Round.Title)
			}
			m := d.Current.Measures
			if r.Measures.Share != m.Share || r.Measures.Versus != m.Versus || r.Measures.ResponseRate != m.ResponseRate {
				t.Errorf("%s: share %+v rate %v, dashboard %+v rate %v", r.Label, r.Measures.Share, r.Measures.ResponseRate, m.Share, m.ResponseRate)
			}
			for i := range m.Indices {
				if r.Measures.Indices[i].Mean != m.Indices[i].Mean {
					t.Errorf("%s %s: %+v, dashboard %+v", r.Label, m.Indices[i].Name, r.Measures.Indices[i].Mean, m.Indices[i].Mean)
				}
			}
			if len(r.Spark) != len(d.Trend) {
				t.Fatalf("%s: sparkline of %d rounds, trend of %d", r.Label, len(r.Spark), len(d.Trend))
			}
			for i, pt := range r.Spark {
				if pt.Share != d.Trend[i].Share.Estimate {
					t.Errorf("%s sparkline %d: %v, trend %v", r.Label, i, pt.Share, d.Trend[i].Share.Estimate)
				}
			}
			if r.Open == nil {
				t.Errorf("%s: the open round is missing", r.Label)
			}
		}
	})
}

// TestPortfolioSortLabelsPercentiles: sorting by any column keeps
// organisations without a result last; anonymous labels follow creation
// order whatever the sort; percentiles rank shares within the portfolio.
func TestPortfolioSortLabelsPercentiles(t *testing.T) {
	t.Parallel()
	db := databasetest.Open(t, "sqlite")
	orgs := clients(t, db, 4)
	// A fifth organisation with no closed round: no result to sort by.
	empty := webtest.MustOrg(t, db, "empty", "Aardvark (no rounds)")
	admin := webtest.MustAccount(t, db, "admin@accord.test", account.RoleAdmin)

	for _, desc := range []bool{false, true} {
		p := loadPortfolio(t, db, admin, analytics.PortfolioOptions{Sort: analytics.SortShare, Desc: desc, Anonymise: true})
		if last := p.Rows[len(p.Rows)-1]; last.Org.ID != empty.ID || last.Label != "Client E" {
			t.Errorf("desc=%v: last row %s (%s), want the organisation without rounds, labelled Client E", desc, last.Label, last.Org.Slug)
		}
		for i := 1; i < len(p.Rows)-1; i++ {
			a, b := p.Rows[i-1].Measures.Share.Estimate, p.Rows[i].Measures.Share.Estimate
			if (!desc && a > b) || (desc && a < b) {
				t.Errorf("desc=%v: row %d share %v before %v", desc, i, a, b)
			}
		}
		for _, r := range p.Rows {
			want := "Client " + string(rune('A'+slices.Index(append(ids(orgs), empty.ID), r.Org.ID)))
			if r.Label != want {
				t.Errorf("%s labelled %q, want %q", r.Org.Slug, r.Label, want)
			}
		}
		published := p.Rows[:len(p.Rows)-1]
		for _, r := range published {
			below := 0.0
			for _, o := range published {
				switch {
				case o.Org.ID == r.Org.ID:
				case o.Measures.Share.Estimate < r.Measures.Share.Estimate:
					below++
				case o.Measures.Share.Estimate == r.Measures.Share.Estimate:
					below += 0.5
				}
			}
			if want := 100 * below / float64(len(published)-1); r.Percentile != want {
				t.Errorf("%s: percentile %v, want %v", r.Label, r.Percentile, want)
			}
		}
		if !math.IsNaN(p.Rows[len(p.Rows)-1].Percentile) {
			t.Errorf("organisation without result has percentile %v", p.Rows[len(p.Rows)-1].Percentile)
		}
	}
	p := loadPortfolio(t, db, admin, analytics.PortfolioOptions{})
	if p.Rows[0].Org.ID != empty.ID {
		t.Errorf("sorted by name, first is %s, want Aardvark", p.Rows[0].Label)
	}
	if analytics.ParsePortfolioSort("nonsense") != analytics.SortName {
		t.Error("an unknown sort key should sort by name")
	}
}

// counter counts SQL statements, to show the portfolio costs the same
// number of queries for 2 organisations as for 6.
type counter struct {
	logger.Interface
	n atomic.Int64
}

func (c *counter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n.Add(1)
}

func TestPortfolioQueriesDoNotGrowWithOrganisations(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		orgs := clients(t, db, 6)
		optIn(t, db, orgs...)
		small := webtest.MustAccount(t, db, "small@accord.test", account.RoleConsultant, orgs[0].ID, orgs[1].ID)
		large := webtest.MustAccount(t, db, "large@accord.test", account.RoleConsultant, ids(orgs)...)
		queries := func(acc *account.Account) int64 {
			loadPortfolio(t, db, acc, analytics.PortfolioOptions{}) // rollups computed once
			c := &counter{Interface: logger.Discard}
			_, err := analytics.LoadPortfolio(t.Context(), db.Session(&gorm.Session{Logger: c}), acc, portfolioNow, analytics.PortfolioOptions{})
			databasetest.Must(t, err)
			return c.n.Load()
		}
		if a, b := queries(small), queries(large); a != b || b > 5 {
			t.Errorf("portfolio of 2 organisations: %d queries; of 6: %d; want the same, at most 5", a, b)
		}
	})
}

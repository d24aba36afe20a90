package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// optedIn adds five organisations that share their figures with the
// cross-client benchmark, each with one closed round.
func optedIn(t *testing.T, w *world) {
	t.Helper()
	for i := range 5 {
		org := webtest.MustOrg(t, w.db, fmt.Sprintf("client-%d", i), fmt.Sprintf("Client %d Ltd", i))
		databasetest.Must(t, w.db.Model(org).Update("benchmark_opt_in", true).Error)
		analyticstest.MustRound(t, w.db, org, analyticstest.Round{Title: "Pulse", OpensAt: jan, A1: analyticstest.A1(i, 8)})
		// Figures come from current rollups, as computed when a round closes.
		databasetest.Must(t, analytics.Refresh(t.Context(), w.db, org, w.srv.Clock.Now()))
	}
}

type portfolioReply struct {
	Data []struct {
		Label       string
		Org         *struct{ Slug string }
		LatestRound *struct{ Title *string } `json:"latest_round"`
		Result      map[string]any
		Percentile  *float64
		Trend       []struct{ CompletelyAligned *float64 } `json:"trend"`
		RoundOpen   bool                                   `json:"round_open"`
	}
	Next           *string
	CrossBenchmark struct {
		Figures []struct {
			Scope, Measure string
			Withheld       bool
			Orgs           int
		}
	} `json:"cross_benchmark"`
}

func getPortfolio(t *testing.T, w *world, who, path string) (portfolioReply, reply) {
	t.Helper()
	r := w.get(t, who, path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s as %s: %d: %s", path, who, r.Status, r.Body)
	}
	var p portfolioReply
	databasetest.Must(t, json.Unmarshal(r.Body, &p))
	return p, r
}

func TestPortfolio(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		optedIn(t, w)
		p, _ := getPortfolio(t, w, cons, "/api/v1/portfolio")
		var labels []string
		for _, row := range p.Data {
			labels = append(labels, row.Label)
		}
		if !slices.Equal(labels, []string{"Acme", "Gamma"}) {
			t.Fatalf("consultant's portfolio %v, want Acme and Gamma only", labels)
		}
		acme, gamma := p.Data[0], p.Data[1]
		if acme.Org.Slug != "acme" || *acme.LatestRound.Title != "February" || !acme.RoundOpen || len(acme.Trend) != 2 {
			t.Errorf("acme row %+v", acme)
		}
		if acme.Result["suppressed"] != false || acme.Result["scores"] == nil {
			t.Errorf("acme result %v, want published scores", acme.Result)
		}
		if gamma.LatestRound != nil || gamma.Result != nil || len(gamma.Trend) != 0 || gamma.Percentile != nil {
			t.Errorf("gamma, without rounds: %+v", gamma)
		}
		published := map[string]bool{}
		for _, f := range p.CrossBenchmark.Figures {
			published[f.Scope+" "+f.Measure] = !f.Withheld
			if !f.Withheld && f.Orgs != 5 {
				t.Errorf("figure %s %s rests on %d organisations, want the 5 that opted in", f.Scope, f.Measure, f.Orgs)
			}
		}
		if !published["whole completely_aligned"] || published["product completely_aligned"] {
			t.Errorf("cross-client figures published: %v", published)
		}

		expectError(t, w.get(t, leadA, "/api/v1/portfolio"), http.StatusNotFound, "nothing at this address")
		for _, q := range []string{"?sort=bogus", "?dir=up", "?labels=secret", "?anonymous=1"} {
			if r := w.get(t, admin, "/api/v1/portfolio"+q); r.Status != http.StatusBadRequest {
				t.Errorf("portfolio%s: %d, want 400", q, r.Status)
			}
		}
	})
}

func TestAnonymousPortfolioNamesNobody(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		p, r := getPortfolio(t, w, cons, "/api/v1/portfolio?labels=anonymous")
		body := strings.ToLower(string(r.Body))
		for _, secret := range []string{"acme", "gamma", "february", "january"} {
			if strings.Contains(body, secret) {
				t.Errorf("anonymous portfolio mentions %q", secret)
			}
		}
		if len(p.Data) != 2 || p.Data[0].Label != "Client A" || p.Data[1].Label != "Client B" || p.Data[0].Org != nil {
			t.Errorf("anonymous rows %+v", p.Data)
		}
	})
}

func TestPortfolioPages(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db)
		optedIn(t, w)
		all, _ := getPortfolio(t, w, admin, "/api/v1/portfolio?sort=share&dir=desc&limit=200")
		var want []string
		for _, row := range all.Data {
			want = append(want, row.Org.Slug)
		}
		got, pages := collect(t, w, admin, "/api/v1/portfolio?sort=share&dir=desc&limit=3", "label", nil)
		var labels []string
		for _, row := range all.Data {
			labels = append(labels, row.Label)
		}
		if len(want) != 8 || !slices.Equal(got, labels) || pages != 3 {
			t.Errorf("pages of 3: %v in %d pages, want %v in 3", got, pages, labels)
		}
	})
}

package analytics_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/webkit/webtest"
)

// insightFixture mirrors analytics/testdata/insight.json, written by
// analytics/testdata/insight.py with SciPy and statsmodels.
type insightFixture struct {
	Rounds []struct {
		Title       string
		Opens       time.Time
		Respondents []struct {
			Person, Function, Team string
			A1                     int
			Likert                 map[string]int
			Declined               bool
		}
	}
	Expected struct {
		Statements []struct {
			Key                 string
			All, Sales, Product struct {
				Answers [5]int
				Mean    [3]float64
			}
			Gap, Change       [3]float64
			ChangeP           float64 `json:"change_p"`
			ChangeQ           float64 `json:"change_q"`
			ChangeSignificant bool    `json:"change_significant"`
		}
		Drivers []struct {
			Key          string
			N            int
			R, Low, High float64
			P, Q         float64
			Significant  bool
		}
		Focus              []string
		Weakest, Strongest string
		Verdict            struct {
			Aligned, N      int
			Diff, Low, High float64
		}
		ProductVerdict struct {
			Aligned, N      int
			Diff, Low, High float64
		} `json:"product_verdict"`
		Trend    struct{ Slope, Low, High, P float64 }
		Response struct {
			Sales, Product [2]int
			Low, High      float64
		}
	}
}

func loadInsightFixture(t *testing.T, db *gorm.DB) (*survey.Organisation, insightFixture) {
	t.Helper()
	raw, err := os.ReadFile("testdata/insight.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx insightFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	org := webtest.MustOrg(t, db, "acme", "Acme")
	for _, r := range fx.Rounds {
		var rs []analyticstest.Respondent
		for _, p := range r.Respondents {
			rs = append(rs, analyticstest.Respondent{Person: p.Person, Function: p.Function, Team: p.Team,
				Region: "EMEA", TenureBand: "1-2 years", A1: p.A1, Likert: p.Likert, Declined: p.Declined})
		}
		analyticstest.MustRound(t, db, org, analyticstest.Round{Title: r.Title, OpensAt: r.Opens, Respondents: rs})
	}
	return org, fx
}

// The insight of the last round matches SciPy and statsmodels on every
// number: statements, sides, changes, drivers, focus areas, the verdict
// against the study, the trend and the response-rate check.
func TestInsightAgainstReference(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org, fx := loadInsightFixture(t, db)
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, jan.AddDate(2, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		in, err := analytics.LoadInsight(t.Context(), db, d)
		if err != nil {
			t.Fatal(err)
		}
		want := fx.Expected
		if in.Open || in.Round.Title != "R4" || len(in.Statements) != len(want.Statements) {
			t.Fatalf("round %s open=%v with %d statements; want R4 closed with %d", in.Round.Title, in.Open, len(in.Statements), len(want.Statements))
		}
		const tol = 1e-9
		side := func(name string, got analytics.StatementMeasure, answers [5]int, mean [3]float64) {
			t.Helper()
			if got.Hidden.Hidden() || got.Answers != answers {
				t.Errorf("%s: hidden %v answers %v; want %v", name, got.Hidden, got.Answers, answers)
				return
			}
			interval(t, name, got.Mean, mean[0], mean[1], mean[2])
			n := float64(got.N)
			if !close(got.Disagree, float64(answers[0]+answers[1])/n, tol) || !close(got.Agree, float64(answers[3]+answers[4])/n, tol) {
				t.Errorf("%s: disagree %v agree %v", name, got.Disagree, got.Agree)
			}
		}
		for i, w := range want.Statements {
			s := in.Statements[i]
			if s.Key != w.Key || s.Custom || s.Prompt == "" {
				t.Fatalf("statement %d = %s (custom %v, prompt %q); want built-in %s", i, s.Key, s.Custom, s.Prompt, w.Key)
			}
			side(s.Key+" all", s.All, w.All.Answers, w.All.Mean)
			side(s.Key+" sales", s.Sales, w.Sales.Answers, w.Sales.Mean)
			side(s.Key+" product", s.Product, w.Product.Answers, w.Product.Mean)
			interval(t, s.Key+" gap", s.Gap, w.Gap[0], w.Gap[1], w.Gap[2])
			if s.Change == nil || s.Change.From != "R3" {
				t.Fatalf("%s: change %+v; want one from R3", s.Key, s.Change)
			}
			interval(t, s.Key+" change", s.Change.Diff, w.Change[0], w.Change[1], w.Change[2])
			if !close(s.Change.P, w.ChangeP, 1e-8) || !close(s.Change.Q, w.ChangeQ, 1e-8) || s.Change.Significant != w.ChangeSignificant {
				t.Errorf("%s change: p %v q %v significant %v; want %v %v %v", s.Key, s.Change.P, s.Change.Q, s.Change.Significant, w.ChangeP, w.ChangeQ, w.ChangeSignificant)
			}
		}
		for _, w := range want.Drivers {
			i := slices.IndexFunc(in.Drivers, func(d analytics.Driver) bool { return d.Key == w.Key })
			if i < 0 {
				t.Fatalf("no driver %s", w.Key)
			}
			dr := in.Drivers[i]
			if dr.Hidden.Hidden() || dr.R.N != w.N || dr.Significant != w.Significant {
				t.Errorf("driver %s: hidden %v n %d significant %v; want n %d significant %v", w.Key, dr.Hidden, dr.R.N, dr.Significant, w.N, w.Significant)
			}
			interval(t, "driver "+w.Key, dr.R, w.R, w.Low, w.High)
			if !close(dr.P, w.P, 1e-8) || !close(dr.Q, w.Q, 1e-8) {
				t.Errorf("driver %s: p %v q %v; want %v %v", w.Key, dr.P, dr.Q, w.P, w.Q)
			}
		}
		for i := 1; i < len(in.Drivers); i++ {
			if in.Drivers[i].R.Estimate > in.Drivers[i-1].R.Estimate {
				t.Errorf("drivers not strongest first: %s after %s", in.Drivers[i].Key, in.Drivers[i-1].Key)
			}
		}
		var focus []string
		for _, f := range in.FocusAreas {
			focus = append(focus, f.Key)
		}
		if !slices.Equal(focus, want.Focus) || in.Weakest != want.Weakest || in.Strongest != want.Strongest {
			t.Errorf("focus %v weakest %s strongest %s; want %v %s %s", focus, in.Weakest, in.Strongest, want.Focus, want.Weakest, want.Strongest)
		}
		verdict := func(name string, got analytics.BenchmarkVerdict, aligned, n int, diff, lo, hi float64) {
			t.Helper()
			if got.Hidden.Hidden() || got.StudyN != 350 || !close(got.Study.Estimate, 0.092, tol) {
				t.Fatalf("%s verdict %+v; want shown against 350 study respondents", name, got)
			}
			interval(t, name+" verdict", got.Diff, diff, lo, hi)
			dir := 0
			if lo > 0 {
				dir = 1
			} else if hi < 0 {
				dir = -1
			}
			if got.Direction != dir || !close(got.Share.Estimate, float64(aligned)/float64(n), tol) {
				t.Errorf("%s verdict direction %d share %v; want %d, %d/%d", name, got.Direction, got.Share.Estimate, dir, aligned, n)
			}
		}
		v := want.Verdict
		verdict("organisation", in.Verdict, v.Aligned, v.N, v.Diff, v.Low, v.High)
		pv := want.ProductVerdict
		verdict("product", in.ProductVerdict, pv.Aligned, pv.N, pv.Diff, pv.Low, pv.High)
		tr := in.Trend
		if !tr.Enough || tr.Rounds != 5 {
			t.Fatalf("trend %+v; want five rounds", tr)
		}
		interval(t, "trend", tr.Slope.Interval, want.Trend.Slope, want.Trend.Low, want.Trend.High)
		if !close(tr.Slope.P, want.Trend.P, 1e-8) {
			t.Errorf("trend p %v; want %v", tr.Slope.P, want.Trend.P)
		}
		rc := in.Response
		if rc.Hidden.Hidden() || rc.SalesInvited != want.Response.Sales[1] || rc.ProductInv != want.Response.Product[1] {
			t.Fatalf("response check %+v; want sales %v product %v", rc, want.Response.Sales, want.Response.Product)
		}
		interval(t, "response rates", rc.Diff, float64(want.Response.Sales[0])/float64(want.Response.Sales[1])-1, want.Response.Low, want.Response.High)
	})
}

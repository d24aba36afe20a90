package analytics_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/analytics/stats"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// measureFixture stores the rounds analytics/testdata/measures.py describes:
// R0 with ten people, then R1 with the same ten (five sales, five product)
// and two sales people who did not answer.
func measureFixture(t *testing.T, db *gorm.DB) *survey.Organisation {
	t.Helper()
	org := webtest.MustOrg(t, db, "acme", "Acme")
	sales := func(i int) analyticstest.Respondent {
		return analyticstest.Respondent{Person: "s" + string(rune('1'+i)), Function: roster.FunctionSales,
			Team: "Hunters", Region: "EMEA", TenureBand: "1-2 years"}
	}
	product := func(i int) analyticstest.Respondent {
		return analyticstest.Respondent{Person: "p" + string(rune('1'+i)), Function: roster.FunctionProduct,
			Team: "Builders", Region: "EMEA", TenureBand: "3-5 years"}
	}
	var r0, r1 []analyticstest.Respondent
	for i := range 5 {
		for _, r := range []analyticstest.Respondent{sales(i), product(i)} {
			r.A1 = 2
			if r.Person == "s1" {
				r.A1 = 1
			}
			r.Likert = map[string]int{"T1": 3, "T2": 3, "T3": 3, "T4": 3, "I1": 3, "I2": 3}
			r0 = append(r0, r)
		}
	}
	salesA1, productA1 := []int{1, 2, 2, 3, 4}, []int{1, 1, 2, 2, 2}
	salesTrust, productTrust := []int{2, 2, 3, 3, 4}, []int{4, 4, 5, 5, 3}
	salesInfo := [][2]int{{1, 2}, {2, 3}, {3, 3}, {4, 5}, {5, 5}}
	productInfo := [][2]int{{3, 3}, {4, 4}, {2, 3}, {5, 4}, {1, 2}}
	for i := range 5 {
		s := sales(i)
		s.A1 = salesA1[i]
		s.Likert = likert(salesTrust[i], salesInfo[i], 3)
		if i == 0 {
			s.Likert = likert(salesTrust[i], salesInfo[i], 0)
			s.Likert["P1"] = 5
			s.Comment = `<b>Bold</b> & "quoted"`
		}
		p := product(i)
		p.A1 = productA1[i]
		p.Likert = likert(productTrust[i], productInfo[i], 4)
		if i == 1 {
			p.Comment = "Plain words"
		}
		r1 = append(r1, s, p)
	}
	for i := 5; i < 7; i++ {
		s := sales(i)
		s.Declined = true
		r1 = append(r1, s)
	}
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R0", OpensAt: jan, Respondents: r0})
	analyticstest.MustRound(t, db, org, analyticstest.Round{Title: "R1", OpensAt: jan.AddDate(0, 1, 0), Respondents: r1})
	return org
}

// likert answers every trust item with trust, the information items with
// info and every process item with process (0: unanswered).
func likert(trust int, info [2]int, process int) map[string]int {
	m := map[string]int{"I1": info[0], "I2": info[1]}
	for _, k := range []string{"T1", "T2", "T3", "T4"} {
		m[k] = trust
	}
	for _, k := range []string{"P1", "P2", "P3", "P4"} {
		if process != 0 {
			m[k] = process
		}
	}
	return m
}

func TestMeasuresAgainstHandComputedFixture(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := measureFixture(t, db)
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, jan.AddDate(0, 3, 0))
		if err != nil {
			t.Fatal(err)
		}
		if d.Round == nil || d.Round.Title != "R1" || len(d.Trend) != 2 {
			t.Fatalf("round shown %+v, trend of %d; want R1 and two closed rounds", d.Round, len(d.Trend))
		}
		m := d.Current.Measures
		if m.Hidden || m.Responses != 10 || m.Invited != 12 || !close(m.ResponseRate, 10.0/12, 1e-12) {
			t.Fatalf("organisation: hidden=%v responses=%d invited=%d rate=%v; want 10 of 12", m.Hidden, m.Responses, m.Invited, m.ResponseRate)
		}
		// Expected values: analytics/testdata/measures.py (SciPy 1.10).
		interval(t, "completely aligned", m.Share, 0.3, 0.10779126740630102, 0.6032218525388546)
		if m.A1 != [4]int{3, 5, 1, 1} || !close(m.Versus.P, 0.05709746375921631, 1e-9) || m.Versus.Direction != 0 {
			t.Errorf("A1 %v, binomial %+v; want [3 5 1 1], p 0.0571, not distinguishable", m.A1, m.Versus)
		}
		if !m.FitOK || !close(m.Fit.Stat, 7.546906482875918, 1e-9) || !close(m.Fit.P, 0.05636539394624664, 1e-9) || !m.SmallExpected {
			t.Errorf("fit %+v ok=%v small=%v; want chi-square 7.547, p 0.0564, flagged small expected counts", m.Fit, m.FitOK, m.SmallExpected)
		}
		want := [][3]float64{
			{66.66666666666666, 44.1851680369915, 89.14816529634182},
			{62.5, 43.18315577377517, 81.81684422622483},
			{55.0, 32.61530999580863, 77.38469000419137},
			{67.5, 55.42927220197569, 79.57072779802431},
		}
		for i, w := range want {
			interval(t, m.Indices[i].Name, m.Indices[i].Mean, w[0], w[1], w[2])
		}
		if a := m.Indices[2]; !close(a.Alpha, 0.9219858156028369, 1e-9) || a.AlphaN != 10 {
			t.Errorf("information alpha %v over %d, want 0.922 over 10", a.Alpha, a.AlphaN)
		}
		if a := m.Indices[3]; a.Alpha != 1 || a.AlphaN != 9 {
			t.Errorf("process alpha %v over %d, want 1 over the 9 who answered every item", a.Alpha, a.AlphaN)
		}
		if a := m.Indices[0]; !math.IsNaN(a.Alpha) {
			t.Errorf("alignment alpha %v, want NaN (one item)", a.Alpha)
		}

		gaps := [][3]float64{
			{-26.66666666666668, -73.29094304670366, 19.957609713370303},
			{-35.0, -65.50556731792453, -4.494432682075466},
			{5.0, -43.524642950577515, 53.524642950577515},
			{-15.0, -42.764451051977986, 12.764451051977986},
		}
		if len(d.Gaps) != 4 {
			t.Fatalf("gaps %+v, want one per index", d.Gaps)
		}
		for i, w := range gaps {
			interval(t, "gap "+d.Gaps[i].Index, d.Gaps[i].Diff, w[0], w[1], w[2])
			if d.Gaps[i].Significant() != (i == 1) {
				t.Errorf("gap %s significant = %v", d.Gaps[i].Index, d.Gaps[i].Significant())
			}
		}
		if s := d.Gaps[0].Sales; s.High != 100 || !close(s.Estimate, 53.333333333333336, 1e-9) {
			t.Errorf("sales alignment %+v, want 53.3 with its upper bound clipped to 100", s)
		}

		if d.Change == nil || d.Change.From != "R0" {
			t.Fatalf("change %+v, want one from R0", d.Change)
		}
		interval(t, "change in share", d.Change.Share, 0.2, -0.1597936015062252, 0.5141461574374272)
		interval(t, "change in trust", d.Change.Indices[1], 12.5, -6.816844226224827, 31.816844226224827)
		if d.Change.ShareSignificant() || d.Change.IndexSignificant(1) {
			t.Error("a change whose interval includes 0 is flagged significant")
		}
	})
}

func interval(t *testing.T, name string, got stats.Interval, est, lo, hi float64) {
	t.Helper()
	if !close(got.Estimate, est, 1e-9) || !close(got.Low, lo, 1e-6) || !close(got.High, hi, 1e-6) {
		t.Errorf("%s = %.6f [%.6f, %.6f], want %.6f [%.6f, %.6f]", name, got.Estimate, got.Low, got.High, est, lo, hi)
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestRollupsMatchRawAnswers(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := measureFixture(t, db)
		now := jan.AddDate(0, 3, 0)
		for _, f := range []analytics.Group{{}, {Fixed: analytics.DimFunction, Attrs: analytics.Attrs{Function: "sales"}}} {
			got, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{Filter: f}, now)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := analytics.LoadDashboardRaw(t.Context(), db, org, analytics.Query{Filter: f})
			if err != nil {
				t.Fatal(err)
			}
			raw.Now = got.Now // the clock of the view, not a computed figure
			sameDashboard(t, got, raw)
		}
	})
}

func TestDashboardBeforeAnyRound(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		org := webtest.MustOrg(t, db, "acme", "Acme")
		d, err := analytics.LoadDashboard(t.Context(), db, org, analytics.Query{}, time.Now())
		if err != nil || d.Round != nil || len(d.Rounds) != 0 {
			t.Fatalf("dashboard %+v, %v; want no round", d, err)
		}
	})
}

// sameDashboard compares two dashboards field by field, comments aside
// (they are shuffled); %v prints NaN alike, which == does not.
func sameDashboard(t *testing.T, a, b *analytics.Dashboard) {
	t.Helper()
	show := func(d *analytics.Dashboard) string {
		x := *d
		x.Comments, x.Org = nil, nil
		x.Round, x.Previous, x.Change = nil, nil, nil
		return fmt.Sprintf("%+v|%+v|%+v|%+v", x, deref(d.Round), deref(d.Previous), deref(d.Change))
	}
	sa, sb := show(a), show(b)
	if sa == sb {
		return
	}
	i := 0
	for i < len(sa) && i < len(sb) && sa[i] == sb[i] {
		i++
	}
	from := max(0, i-300)
	t.Errorf("dashboards differ at byte %d:\nrollups …%s\nraw     …%s", i, sa[from:min(len(sa), i+200)], sb[from:min(len(sb), i+200)])
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

package analytics

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"accord/analytics/stats"
)

// heatmapFixture is testdata/heatmap.json, written by testdata/heatmap.py.
type heatmapFixture struct {
	K     int
	Teams []struct {
		Team   string
		People []struct {
			A1    int
			Index [4]float64
		}
	}
	Expected []struct {
		Team        string
		X           int
		P, Q        float64
		Significant bool
	}
}

// measuresOfPeople builds the published measures of people's answers.
func measuresOfPeople(g Group, a1 []int, index [][4]float64) Measures {
	m := Measures{Group: g, Responses: len(a1), Invited: len(a1)}
	for _, l := range a1 {
		m.A1[l-1]++
		m.A1N++
	}
	for i := range m.Indices {
		var s stats.Summary
		for _, x := range index {
			s.Add(x[i])
		}
		m.Indices[i] = IndexMeasure{Name: IndexNames[i], Summary: s, Mean: stats.BoundedMeanInterval(s, 0, 100, ConfidenceLevel)}
	}
	return m
}

// TestReferenceHeatmapContrasts: each team's cells against the rest of the
// organisation, with false discoveries controlled across every cell tested,
// match statsmodels' proportions_ztest, SciPy's Welch test and
// multipletests(method="fdr_bh"); a team below the minimum group size is
// hidden and takes no part, and BH calls fewer cells than the unadjusted
// tests would.
func TestReferenceHeatmapContrasts(t *testing.T) {
	raw, err := os.ReadFile("testdata/heatmap.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx heatmapFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	d := &Dashboard{K: fx.K, Current: TrendPoint{Known: true}}
	var allA1 []int
	var allIndex [][4]float64
	b := Breakdown{Dim: DimTeam}
	for _, team := range fx.Teams {
		var a1 []int
		var index [][4]float64
		for _, p := range team.People {
			a1, index = append(a1, p.A1), append(index, p.Index)
		}
		allA1, allIndex = append(allA1, a1...), append(allIndex, index...)
		g := Group{}.With(DimTeam, team.Team)
		m := measuresOfPeople(g, a1, index)
		if len(a1) < fx.K {
			m = Measures{Group: g, Hidden: true, Reason: FewResponses}
		}
		b.Groups = append(b.Groups, m)
	}
	d.Current.Measures = measuresOfPeople(Group{}, allA1, allIndex)
	d.Breakdowns = []Breakdown{b}
	got := HeatmapContrasts(d)
	if len(fx.Expected) != 5*5 {
		t.Fatalf("fixture has %d cells, want 25", len(fx.Expected))
	}
	called, unadjusted := 0, 0
	for _, e := range fx.Expected {
		c := got[Group{}.With(DimTeam, e.Team)][e.X]
		if !c.Tested || math.Abs(c.P-e.P) > 1e-9*math.Max(e.P, 1e-300)+1e-15 || math.Abs(c.Q-e.Q) > 1e-9*e.Q+1e-15 {
			t.Errorf("team %s cell %d: %+v, want p %.17g q %.17g", e.Team, e.X, c, e.P, e.Q)
		}
		if (c.Direction != 0) != e.Significant {
			t.Errorf("team %s cell %d: direction %d, statsmodels rejects = %v", e.Team, e.X, c.Direction, e.Significant)
		}
		if e.Significant {
			called++
		}
		if e.P < 0.05 {
			unadjusted++
		}
	}
	if !(called < unadjusted) || called == 0 {
		t.Errorf("BH calls %d cells, unadjusted tests %d: the fixture should show the adjustment at work", called, unadjusted)
	}
	for x, c := range got[Group{}.With(DimTeam, "F")] {
		if c.Tested || !math.IsNaN(c.Q) || c.Direction != 0 {
			t.Errorf("hidden team F cell %d tested: %+v", x, c)
		}
	}
}

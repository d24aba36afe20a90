package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestReferencePostStratify checks the weighted mean, variance, effective
// sample size and intervals against testdata/weighted.json, computed by
// testdata/weighted.py from the individual answers and their weights with
// statsmodels (DescrStatsW, proportion_confint).
func TestReferencePostStratify(t *testing.T) {
	raw, err := os.ReadFile("testdata/weighted.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Kind   string
		Strata []struct {
			Population float64
			X          []float64
		}
		Mean, Variance, NEff, Low, High float64
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 8 {
		t.Fatalf("weighted.json has %d cases", len(cases))
	}
	var w worst
	for _, c := range cases {
		strata := make([]Stratum, len(c.Strata))
		n := 0
		for i, s := range c.Strata {
			strata[i] = Stratum{Population: s.Population, Sample: Summarize(s.X)}
			n += len(s.X)
		}
		got := PostStratify(strata)
		w.check(t, "mean", got.Mean, c.Mean, 1e-12, 1e-13)
		w.check(t, "variance", got.Variance, c.Variance, 1e-9, 1e-10)
		w.check(t, "neff", got.NEff, c.NEff, 1e-12, 1e-13)
		iv := got.Wilson(0.95)
		if c.Kind == "score" {
			iv = got.BoundedInterval(0, 100, 0.95)
		}
		w.check(t, c.Kind+" low", iv.Low, c.Low, 1e-9, 1e-11)
		w.check(t, c.Kind+" high", iv.High, c.High, 1e-9, 1e-11)
		if !(iv.High > iv.Low) || iv.N != n || got.N != n {
			t.Errorf("%s case %+v: interval %+v over %d answers, want a non-zero width over %d", c.Kind, c.Strata, iv, got.N, n)
		}
	}
	t.Logf("worst relative error %.2g", w.rel)
}

// TestPostStratifyMatchesUnweightedWhenComposed: a sample with the
// population's composition is its own weighted version, at its own size.
func TestPostStratifyMatchesUnweightedWhenComposed(t *testing.T) {
	a, b := Summarize([]float64{0, 25, 50, 75}), Summarize([]float64{100, 100, 50, 25, 0, 75, 50, 25})
	got := PostStratify([]Stratum{{Population: 10, Sample: a}, {Population: 20, Sample: b}})
	all := a.Merge(b)
	if math.Abs(got.Mean-all.Mean()) > 1e-12 || math.Abs(got.NEff-12) > 1e-9 {
		t.Errorf("weighted %+v, want the plain mean %v over 12", got, all.Mean())
	}
	plain := BoundedMeanInterval(all, 0, 100, 0.95)
	if iv := got.BoundedInterval(0, 100, 0.95); math.Abs(iv.Low-plain.Low) > 1e-9 || math.Abs(iv.High-plain.High) > 1e-9 {
		t.Errorf("weighted interval %+v, plain %+v", iv, plain)
	}
	if none := PostStratify([]Stratum{{Population: 5}}); !math.IsNaN(none.Mean) || !math.IsNaN(none.Wilson(0.95).Low) {
		t.Errorf("no answers: %+v", none)
	}
}

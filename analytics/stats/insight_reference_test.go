package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// insightReference mirrors testdata/insight.json, written by
// testdata/insight.py from SciPy and statsmodels.
type insightReference struct {
	AgrestiCoull []struct {
		K, N             int
		Level, Low, High float64
	} `json:"agresti_coull"`
	Bounded []struct {
		X                              []float64
		Lo, Hi, Level, Mean, Low, High float64
	}
	Pearson []struct {
		X, Y                   []float64
		Level, R, P, Low, High float64
	}
	BH    []struct{ P, Q []float64 }
	Welch []struct {
		A, B []float64
		P    float64
	}
	Feldt []struct {
		Alpha     float64
		N, Items  int
		Low, High float64
	}
	ZTest []struct {
		K1, N1, K2, N2 int
		P              float64
	}
	Multinomial []struct {
		Observed []int
		Probs    []float64
		P        float64
	}
	Trend []struct {
		Rounds []struct {
			T float64
			Y []float64
		}
		Slope, Low, High, P float64
	}
}

func loadInsightReference(t *testing.T) insightReference {
	t.Helper()
	raw, err := os.ReadFile("testdata/insight.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref insightReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.AgrestiCoull) == 0 || len(ref.Bounded) == 0 || len(ref.Pearson) == 0 || len(ref.BH) == 0 || len(ref.Trend) == 0 {
		t.Fatal("insight.json is missing cases")
	}
	return ref
}

// On 0/1 answers the bounded-mean interval is Agresti–Coull's, as
// statsmodels computes it.
func TestReferenceBoundedMeanIsAgrestiCoull(t *testing.T) {
	var w worst
	for _, c := range loadInsightReference(t).AgrestiCoull {
		s := Summary{N: c.N, Sum: float64(c.K), SumSq: float64(c.K)}
		got := BoundedMeanInterval(s, 0, 1, c.Level)
		w.check(t, "low", got.Low, c.Low, exactTol, absFloor)
		w.check(t, "high", got.High, c.High, exactTol, absFloor)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceBoundedMean(t *testing.T) {
	var w worst
	for _, c := range loadInsightReference(t).Bounded {
		got := BoundedMeanInterval(Summarize(c.X), c.Lo, c.Hi, c.Level)
		w.check(t, "mean", got.Estimate, c.Mean, exactTol, absFloor)
		w.check(t, "low", got.Low, c.Low, exactTol, 1e-12)
		w.check(t, "high", got.High, c.High, exactTol, 1e-12)
		if !(got.High > got.Low) {
			t.Errorf("%v: zero-width interval %v", c.X, got)
		}
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferencePearson(t *testing.T) {
	var w worst
	for _, c := range loadInsightReference(t).Pearson {
		var p Pairs
		for i := range c.X {
			p.Add(c.X[i], c.Y[i])
		}
		got := Pearson(p, c.Level)
		w.check(t, "r", got.R.Estimate, c.R, exactTol, 1e-13)
		w.check(t, "p", got.P, c.P, 1e-8, 1e-14)
		w.check(t, "low", got.R.Low, c.Low, exactTol, 1e-13)
		w.check(t, "high", got.R.High, c.High, exactTol, 1e-13)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceBenjaminiHochberg(t *testing.T) {
	var w worst
	for _, c := range loadInsightReference(t).BH {
		got := BenjaminiHochberg(c.P)
		for i := range c.Q {
			w.check(t, "q", got[i], c.Q[i], 1e-12, 1e-15)
		}
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceWelchTest(t *testing.T) {
	var w worst
	ref := loadInsightReference(t)
	if len(ref.Welch) == 0 {
		t.Fatal("no Welch cases")
	}
	for _, c := range ref.Welch {
		w.check(t, "p", WelchTest(Summarize(c.A), Summarize(c.B)), c.P, 1e-8, 1e-14)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceFeldt(t *testing.T) {
	var w worst
	ref := loadInsightReference(t)
	if len(ref.Feldt) == 0 {
		t.Fatal("no Feldt cases")
	}
	for _, c := range ref.Feldt {
		got := FeldtInterval(c.Alpha, c.N, c.Items, 0.95)
		w.check(t, "low", got.Low, c.Low, 1e-8, 1e-12)
		w.check(t, "high", got.High, c.High, 1e-8, 1e-12)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceTwoProportionTest(t *testing.T) {
	var w worst
	ref := loadInsightReference(t)
	if len(ref.ZTest) == 0 {
		t.Fatal("no z test cases")
	}
	for _, c := range ref.ZTest {
		w.check(t, "p", TwoProportionTest(c.K1, c.N1, c.K2, c.N2), c.P, 1e-9, 1e-14)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestReferenceMultinomialExactTest(t *testing.T) {
	var w worst
	ref := loadInsightReference(t)
	if len(ref.Multinomial) == 0 {
		t.Fatal("no multinomial cases")
	}
	for _, c := range ref.Multinomial {
		w.check(t, "p", MultinomialExactTest(c.Observed, c.Probs), c.P, 1e-9, 1e-14)
	}
	t.Logf("worst relative error %.2g", w.rel)
	if p := MultinomialExactTest([]int{1000, 0}, []float64{1, 1}); !math.IsNaN(p) && p > 1e-100 {
		t.Errorf("two categories, 1000 and 0: p %v", p)
	}
	if p := MultinomialExactTest([]int{15, 110, 40, 5}, []float64{0.092, 0.642, 0.237, 0.0289}); !math.IsNaN(p) {
		t.Errorf("170 answers: p %v, want NaN (too many outcomes to enumerate)", p)
	}
}

func TestReferenceTrendSlope(t *testing.T) {
	var w worst
	for _, c := range loadInsightReference(t).Trend {
		var pts []TrendPoint
		for _, r := range c.Rounds {
			pts = append(pts, TrendPoint{T: r.T, S: Summarize(r.Y)})
		}
		got := TrendSlope(pts, 0.95)
		w.check(t, "slope", got.Estimate, c.Slope, 1e-10, 1e-12)
		w.check(t, "low", got.Low, c.Low, 1e-10, 1e-12)
		w.check(t, "high", got.High, c.High, 1e-10, 1e-12)
		w.check(t, "p", got.P, c.P, 1e-8, 1e-14)
	}
	t.Logf("worst relative error %.2g", w.rel)
}

func TestInsightEdges(t *testing.T) {
	if iv := BoundedMeanInterval(Summary{}, 0, 100, 0.95); !math.IsNaN(iv.Estimate) || iv.Low != 0 || iv.High != 100 {
		t.Errorf("empty bounded mean = %+v", iv)
	}
	if c := Pearson(Pairs{N: 3, SumX: 3, SumY: 3, SumXX: 5, SumYY: 5, SumXY: 4}, 0.95); !math.IsNaN(c.R.Estimate) || c.R.Excludes(0) {
		t.Errorf("3 pairs = %+v", c)
	}
	var flat Pairs
	for i := range 10 {
		flat.Add(50, float64(i))
	}
	if c := Pearson(flat, 0.95); !math.IsNaN(c.R.Estimate) || c.R.Excludes(0) {
		t.Errorf("no spread in x = %+v", c)
	}
	one := []TrendPoint{{T: 0, S: Summarize([]float64{1, 0, 1})}}
	if s := TrendSlope(one, 0.95); !math.IsNaN(s.Estimate) {
		t.Errorf("one round = %+v", s)
	}
	same := []TrendPoint{{T: 0, S: Summarize([]float64{1, 1})}, {T: 1, S: Summarize([]float64{1, 1})}}
	if s := TrendSlope(same, 0.95); s.Excludes(0) {
		t.Errorf("every answer on the line = %+v", s)
	}
	if q := BenjaminiHochberg([]float64{0.01, math.NaN(), 0.04}); !math.IsNaN(q[1]) || q[0] != 0.02 || q[2] != 0.04 {
		t.Errorf("BH with a hidden cell = %v", q)
	}
}

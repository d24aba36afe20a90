package stats

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the 97.5% standard normal quantile.
const z95 = 1.959963984540054

func TestWilson(t *testing.T) {
	z2 := z95 * z95
	cases := []struct {
		name      string
		k, n      int
		level     float64
		want      Interval
		tolerance float64
	}{
		{"no data: uninformative", 0, 0, 0.95, Interval{nan, 0, 1, 0}, 0},
		// With k=0 the upper bound is z²/(n+z²) and the lower exactly 0.
		{"no successes", 0, 10, 0.95, Interval{0, 0, z2 / (10 + z2), 10}, 1e-15},
		{"all successes", 10, 10, 0.95, Interval{1, 10 / (10 + z2), 1, 10}, 1e-15},
		// Textbook value for 5/10: 0.2366 to 0.7634.
		{"half", 5, 10, 0.95, Interval{0.5, 0.2366, 0.7634, 10}, 5e-5},
		{"successes > n", 11, 10, 0.95, Interval{nan, nan, nan, 10}, 0},
		{"negative successes", -1, 10, 0.95, Interval{nan, nan, nan, 10}, 0},
		{"negative n", 0, -1, 0.95, Interval{nan, nan, nan, -1}, 0},
		{"level 0", 3, 10, 0, Interval{nan, nan, nan, 10}, 0},
		{"level 1", 3, 10, 1, Interval{nan, nan, nan, 10}, 0},
		{"level NaN", 3, 10, nan, Interval{nan, nan, nan, 10}, 0},
	}
	for _, c := range cases {
		assertInterval(t, c.name, Wilson(c.k, c.n, c.level), c.want, c.tolerance)
	}
}

func TestWilsonStaysInUnitInterval(t *testing.T) {
	for n := 1; n <= 300; n++ {
		for k := 0; k <= n; k++ {
			iv := Wilson(k, n, 0.99)
			if iv.Low < 0 || iv.High > 1 || iv.Low > iv.Estimate || iv.Estimate > iv.High {
				t.Fatalf("Wilson(%d, %d) = %+v", k, n, iv)
			}
		}
	}
}

func TestProportionDifference(t *testing.T) {
	cases := []struct {
		name           string
		k1, n1, k2, n2 int
		want           Interval
		tolerance      float64
	}{
		// Newcombe (1998) Table II, method 10, printed to 4 decimals.
		{"Newcombe example (a)", 56, 70, 48, 80, Interval{0.2, 0.0524, 0.3339, 150}, 5e-5},
		{"Newcombe example (h)", 10, 10, 0, 10, Interval{1, 0.6075, 1, 20}, 5e-5},
		{"Newcombe example (f), both zero", 0, 10, 0, 10, Interval{0, -0.2775, 0.2775, 20}, 5e-5},
		{"first group empty", 0, 0, 3, 10, Interval{nan, -1, 1, 10}, 0},
		{"second group empty", 3, 10, 0, 0, Interval{nan, -1, 1, 10}, 0},
		{"invalid counts", 11, 10, 3, 10, Interval{nan, nan, nan, 20}, 0},
	}
	for _, c := range cases {
		assertInterval(t, c.name, ProportionDifference(c.k1, c.n1, c.k2, c.n2, 0.95), c.want, c.tolerance)
	}
	// Swapping the groups mirrors the interval.
	ab, ba := ProportionDifference(46, 500, 30, 400, 0.9), ProportionDifference(30, 400, 46, 500, 0.9)
	assertInterval(t, "mirror", ab, Interval{-ba.Estimate, -ba.High, -ba.Low, 900}, 1e-15)
	if iv := ProportionDifference(3, 10, 3, 10, 0.95); iv.Excludes(0) {
		t.Errorf("equal proportions exclude 0: %+v", iv)
	}
}

func TestBinomialTest(t *testing.T) {
	cases := []struct {
		name string
		k, n int
		p    float64
		want float64
	}{
		{"no trials: the only outcome", 0, 0, 0.3, 1},
		{"none of 10 at 1/2: 2/1024", 0, 10, 0.5, 2.0 / 1024},
		{"all of 10 at 1/2", 10, 10, 0.5, 2.0 / 1024},
		{"3 of 10 at 1/2: 2*(1+10+45+120)/1024", 3, 10, 0.5, 352.0 / 1024},
		{"observed equals expected", 4, 10, 0.4, 1},
		{"p = 0, k = 0", 0, 10, 0, 1},
		{"p = 0, k > 0 is impossible", 1, 10, 0, 0},
		{"p = 1, k = n", 10, 10, 1, 1},
		{"p = 1, k < n is impossible", 9, 10, 1, 0},
		{"k > n", 11, 10, 0.5, nan},
		{"negative k", -1, 10, 0.5, nan},
		{"p > 1", 1, 10, 1.5, nan},
		{"p NaN", 1, 10, nan, nan},
	}
	for _, c := range cases {
		if got := BinomialTest(c.k, c.n, c.p); !near(got, c.want, 1e-14, 0) {
			t.Errorf("%s: BinomialTest(%d, %d, %v) = %v, want %v", c.name, c.k, c.n, c.p, got, c.want)
		}
	}
}

// TestBinomialTestBruteForce checks the binary search against the
// definition: sum every outcome's probability that is no larger than the
// observed one's (with the same 1e-7 relative tolerance).
func TestBinomialTestBruteForce(t *testing.T) {
	for _, p := range []float64{0.01, 0.092, 0.25, 1.0 / 3, 0.5, 0.7, 0.97} {
		for n := 1; n <= 60; n++ {
			dist := distuv.Binomial{N: float64(n), P: p}
			for k := 0; k <= n; k++ {
				thresh := dist.Prob(float64(k)) * (1 + 1e-7)
				want := 0.0
				for j := 0; j <= n; j++ {
					if pj := dist.Prob(float64(j)); pj <= thresh {
						want += pj
					}
				}
				want = math.Min(1, want)
				if got := BinomialTest(k, n, p); !near(got, want, 1e-9, 0) {
					t.Fatalf("BinomialTest(%d, %d, %v) = %v, brute force %v", k, n, p, got, want)
				}
			}
		}
	}
}

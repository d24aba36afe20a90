package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestExcludes(t *testing.T) {
	cases := []struct {
		name string
		iv   Interval
		v    float64
		want bool
	}{
		{"inside", Interval{Low: -1, High: 1}, 0, false},
		{"on the bound", Interval{Low: -1, High: 1}, 1, false},
		{"below", Interval{Low: -1, High: 1}, -1.5, true},
		{"above", Interval{Low: -1, High: 1}, 2, true},
		{"NaN bounds never exclude", Interval{Low: nan, High: nan}, 0, false},
		{"infinite bounds never exclude", Interval{Low: negInf, High: posInf}, 1e300, false},
		{"degenerate", Interval{Low: 2, High: 2}, 2.0000001, true},
	}
	for _, c := range cases {
		if got := c.iv.Excludes(c.v); got != c.want {
			t.Errorf("%s: Excludes(%v) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	cases := []struct {
		name      string
		xs        []float64
		mean, vr  float64
		wantSumSq float64
	}{
		{"empty: mean undefined", nil, nan, 0, 0},
		{"one value: no spread estimate", []float64{4}, 4, 0, 16},
		{"two values", []float64{2, 5}, 3.5, 4.5, 29},
		{"likert", []float64{1, 2, 3, 4, 5}, 3, 2.5, 55},
		{"constant", []float64{3, 3, 3}, 3, 0, 27},
	}
	for _, c := range cases {
		s := Summarize(c.xs)
		if s.N != len(c.xs) || s.SumSq != c.wantSumSq {
			t.Errorf("%s: Summarize = %+v", c.name, s)
		}
		if !near(s.Mean(), c.mean, 0, 0) || s.Variance() != c.vr {
			t.Errorf("%s: mean %v variance %v, want %v %v", c.name, s.Mean(), s.Variance(), c.mean, c.vr)
		}
	}
}

func TestVarianceNeverNegative(t *testing.T) {
	// 0.1 is not exact in binary, so SumSq - Sum²/N cancels to a tiny
	// number of either sign; the clamp must keep it at or above zero.
	for n := 2; n < 200; n++ {
		var s Summary
		for range n {
			s.Add(0.1)
		}
		if v := s.Variance(); v < 0 || v > 1e-15 {
			t.Fatalf("n=%d: variance of a constant = %v", n, v)
		}
	}
}

// twoPass is the textbook mean and sample variance from raw data, used to
// check that sufficient statistics lose nothing for survey-like data.
func twoPass(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs)-1)
}

// splitSummaries summarises xs in uneven chunks and merges them, as a
// dashboard rollup would.
func splitSummaries(xs []float64, chunks int) Summary {
	var total Summary
	for i := range chunks {
		lo, hi := i*len(xs)/chunks, (i+1)*len(xs)/chunks
		total = total.Merge(Summarize(xs[lo:hi]))
	}
	return total
}

func TestSummaryMatchesRawData(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 2 + rng.IntN(500)
		a, b := make([]float64, n), make([]float64, 3+rng.IntN(300))
		for i := range a {
			a[i] = float64(1 + rng.IntN(5)) // Likert answers
		}
		for i := range b {
			b[i] = rng.NormFloat64()*2 + 3
		}
		whole := Summarize(a)
		rolled := splitSummaries(a, 1+rng.IntN(7))
		if whole != rolled {
			t.Fatalf("trial %d: rollup %+v != whole %+v", trial, rolled, whole)
		}
		mean, variance := twoPass(a)
		if !near(whole.Mean(), mean, 1e-13, 0) || !near(whole.Variance(), variance, 1e-12, 0) {
			t.Fatalf("trial %d: summary mean/var %v/%v, raw %v/%v", trial, whole.Mean(), whole.Variance(), mean, variance)
		}
		// The interval from the summary equals the one from raw data.
		half := tQuantile(0.95, float64(n-1)) * math.Sqrt(variance/float64(n))
		assertInterval(t, "MeanInterval", MeanInterval(rolled, 0.95),
			Interval{Estimate: mean, Low: mean - half, High: mean + half, N: n}, 1e-12)

		mb, vb := twoPass(b)
		sa, sb := variance/float64(n), vb/float64(len(b))
		df := (sa + sb) * (sa + sb) / (sa*sa/float64(n-1) + sb*sb/float64(len(b)-1))
		half = tQuantile(0.9, df) * math.Sqrt(sa+sb)
		assertInterval(t, "MeanDifference", MeanDifference(rolled, splitSummaries(b, 3), 0.9),
			Interval{Estimate: mean - mb, Low: mean - mb - half, High: mean - mb + half, N: n + len(b)}, 1e-12)
	}
}

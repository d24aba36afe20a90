package stats

import (
	"math"
	"testing"
)

// TestNoPanics feeds every function hostile inputs: thin data, invalid
// levels and probabilities, and samples containing NaN or infinities. A
// dashboard must get NaN or an error back, never a crash.
func TestNoPanics(t *testing.T) {
	levels := []float64{nan, negInf, -1, 0, 1e-12, 0.5, 0.95, 1 - 1e-12, 1, 2, posInf}
	counts := []int{-1, 0, 1, 2, 7, 1_000_000}
	probs := []float64{nan, -0.1, 0, 1e-300, 0.092, 0.5, 1 - 1e-16, 1, 1.1, posInf}
	samples := []Summary{
		{}, {N: -3}, {N: 1, Sum: 2, SumSq: 4},
		Summarize([]float64{1, 2, 3}),
		Summarize([]float64{1, nan, 3}),
		Summarize([]float64{1, posInf, 3}),
		Summarize([]float64{negInf, posInf}),
		Summarize([]float64{1e308, -1e308, 1e308}),
		{N: 5, Sum: 10, SumSq: -1}, // corrupt rollup
	}
	run := func(name string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s panicked: %v", name, r)
			}
		}()
		f()
	}
	for _, lv := range levels {
		for _, k := range counts {
			for _, n := range counts {
				run("Wilson", func() { Wilson(k, n, lv) })
				run("ProportionDifference", func() { ProportionDifference(k, n, n, n, lv) })
			}
		}
		for _, a := range samples {
			run("MeanInterval", func() { MeanInterval(a, lv) })
			for _, b := range samples {
				run("MeanDifference", func() { MeanDifference(a, b, lv) })
			}
		}
	}
	for _, p := range probs {
		for _, k := range counts {
			for _, n := range counts {
				run("BinomialTest", func() {
					if got := BinomialTest(k, n, p); got < 0 || got > 1 {
						t.Errorf("BinomialTest(%d, %d, %v) = %v outside [0, 1]", k, n, p, got)
					}
				})
			}
		}
	}
	run("ChiSquareGoodnessOfFit", func() {
		_, _ = ChiSquareGoodnessOfFit([]int{math.MaxInt32, 0, 1}, []float64{1e-300, 1e300, 1})
	})
	run("CronbachAlpha", func() {
		CronbachAlpha([][]float64{{nan, 1}, {posInf, 2}, {3, negInf}})
		CronbachAlphaFromSummaries(samples, Summary{N: 3})
	})
}

package stats

import (
	"math"
	"slices"
)

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values
// (q-values) of ps, in the same order: a finding whose q is below α is
// significant with the expected share of false discoveries among those
// shown at most α. NaN p-values (numbers not shown) take no part and stay
// NaN, so hiding a cell never changes the others' verdicts less cautiously.
// The same as statsmodels' multipletests(method="fdr_bh").
func BenjaminiHochberg(ps []float64) []float64 {
	out := make([]float64, len(ps))
	var idx []int
	for i, p := range ps {
		out[i] = math.NaN()
		if !math.IsNaN(p) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case ps[a] < ps[b]:
			return -1
		case ps[a] > ps[b]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	running := 1.0
	for j := len(idx) - 1; j >= 0; j-- {
		i := idx[j]
		running = math.Min(running, ps[i]*m/float64(j+1))
		out[i] = running
	}
	return out
}

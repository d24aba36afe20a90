package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrNoData is returned when a test is asked about an empty sample.
var ErrNoData = errors.New("stats: no observations")

// ChiSquareResult is the outcome of a chi-square goodness-of-fit test.
type ChiSquareResult struct {
	Stat float64 // Pearson's chi-square statistic
	DF   int     // degrees of freedom: categories - 1
	P    float64 // upper-tail p-value
	// MinExpected is the smallest expected count. The chi-square
	// approximation is unreliable when it is small (a common rule is < 5),
	// so callers should flag such results rather than trust P.
	MinExpected float64
}

// ChiSquareGoodnessOfFit tests observed category counts against expected
// proportions.
//
// expected holds proportions (or any positive weights); they are
// normalised to sum to 1 and scaled to the observed total, so callers need
// not make them match exactly. It returns ErrNoData when the observed total
// is 0, and an error for fewer than two categories, mismatched lengths,
// negative counts, or an expected weight that is not finite and positive
// (a zero weight makes the statistic infinite or undefined).
func ChiSquareGoodnessOfFit(observed []int, expected []float64) (ChiSquareResult, error) {
	if len(observed) != len(expected) {
		return ChiSquareResult{}, fmt.Errorf("stats: %d observed categories but %d expected", len(observed), len(expected))
	}
	if len(observed) < 2 {
		return ChiSquareResult{}, errors.New("stats: chi-square needs at least 2 categories")
	}
	total, weights := 0, 0.0
	for i, o := range observed {
		if o < 0 {
			return ChiSquareResult{}, fmt.Errorf("stats: negative count %d in category %d", o, i)
		}
		e := expected[i]
		if !(e > 0) || math.IsInf(e, 1) {
			return ChiSquareResult{}, fmt.Errorf("stats: expected weight %v in category %d is not finite and positive", e, i)
		}
		total += o
		weights += e
	}
	if total == 0 {
		return ChiSquareResult{}, ErrNoData
	}
	var stat float64
	minExp := math.Inf(1)
	for i, o := range observed {
		e := float64(total) * expected[i] / weights
		d := float64(o) - e
		stat += d * d / e
		minExp = math.Min(minExp, e)
	}
	df := len(observed) - 1
	p := distuv.ChiSquared{K: float64(df)}.Survival(stat)
	return ChiSquareResult{Stat: stat, DF: df, P: p, MinExpected: minExp}, nil
}

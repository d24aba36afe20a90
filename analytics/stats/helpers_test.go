package stats

import (
	"math"
	"testing"
)

// near reports whether got is within rel (relative) or abs of want; NaN
// matches NaN and infinities must match exactly.
func near(got, want, rel, abs float64) bool {
	if math.IsNaN(want) || math.IsInf(want, 0) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= rel*math.Abs(want)+abs
}

// assertInterval fails unless every field of got matches want to tol.
func assertInterval(t *testing.T, name string, got, want Interval, tol float64) {
	t.Helper()
	if !near(got.Estimate, want.Estimate, tol, tol) || !near(got.Low, want.Low, tol, tol) ||
		!near(got.High, want.High, tol, tol) || got.N != want.N {
		t.Errorf("%s = %+v, want %+v", name, got, want)
	}
}

var (
	nan    = math.NaN()
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

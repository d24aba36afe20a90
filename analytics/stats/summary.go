package stats

import "math"

// Interval is an estimate with a two-sided confidence interval.
type Interval struct {
	Estimate float64 // point estimate
	Low      float64 // lower confidence bound
	High     float64 // upper confidence bound
	// N is the number of observations the interval rests on (for a
	// difference, the total over both groups).
	N int
}

// Excludes reports whether v lies outside [Low, High].
//
// It is false whenever a bound is NaN, so an undefined interval never reads
// as evidence of a difference.
func (i Interval) Excludes(v float64) bool {
	return v < i.Low || v > i.High
}

// Summary holds sufficient statistics of a sample: what rollups store.
//
// Variance is derived from Sum and SumSq, which loses relative precision of
// about 1e-16 * mean²/variance. That is negligible for survey scales (small
// integers, where Sum and SumSq are exact), but values with a large mean and
// tiny spread should be shifted (e.g. by a known centre) before summarising.
type Summary struct {
	N     int     // number of observations
	Sum   float64 // sum of the observations
	SumSq float64 // sum of their squares
}

// Summarize returns the sufficient statistics of xs.
func Summarize(xs []float64) Summary {
	var s Summary
	for _, x := range xs {
		s.Add(x)
	}
	return s
}

// Add records one observation.
func (s *Summary) Add(x float64) {
	s.N++
	s.Sum += x
	s.SumSq += x * x
}

// Merge returns the statistics of both samples combined.
func (s Summary) Merge(o Summary) Summary {
	return Summary{N: s.N + o.N, Sum: s.Sum + o.Sum, SumSq: s.SumSq + o.SumSq}
}

// Mean returns the sample mean, or NaN when N is 0.
func (s Summary) Mean() float64 {
	if s.N <= 0 {
		return math.NaN()
	}
	return s.Sum / float64(s.N)
}

// Variance returns the sample variance (divisor N-1), or 0 when N < 2.
//
// Returning 0 rather than NaN keeps rollup arithmetic simple; interval
// functions check N themselves and never treat N < 2 as "no spread".
func (s Summary) Variance() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	m2 := s.SumSq - s.Sum*s.Sum/n
	// Cancellation can leave a tiny negative number for (near-)constant
	// data; the true value is never negative.
	if m2 < 0 {
		m2 = 0
	}
	return m2 / (n - 1)
}

// validLevel reports whether level is a usable confidence level.
func validLevel(level float64) bool {
	return level > 0 && level < 1
}

// nanInterval is the result for invalid arguments.
func nanInterval(n int) Interval {
	nan := math.NaN()
	return Interval{Estimate: nan, Low: nan, High: nan, N: n}
}

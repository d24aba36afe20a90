package stats

import "math"

// BoundedMeanInterval returns the mean of scores that lie between lo and hi
// (a 0–100 index, a 1–5 answer) with an adjusted interval that is never of
// zero width: the Agresti–Coull interval generalised to bounded scores.
//
// Rescaled to [0, 1], z²/2 pseudo-answers are added at each end of the
// scale and the normal interval of the augmented sample is taken (Agresti
// and Coull 1998 add z²/2 successes and failures to a proportion; on 0/1
// answers this interval is exactly theirs, which the tests check against
// statsmodels). Where every answer is the same the t interval has zero
// width and claims certainty five answers cannot give; this one widens with
// 1/√n. For large groups it is the usual normal interval. The Estimate is
// the observed mean; the bounds stay within [lo, hi].
//
// Edge cases: N == 0 gives Estimate NaN and the uninformative [lo, hi]. A
// negative N, hi <= lo or an invalid level give NaN fields.
func BoundedMeanInterval(s Summary, lo, hi, level float64) Interval {
	if s.N < 0 || !(hi > lo) || !validLevel(level) {
		return nanInterval(s.N)
	}
	if s.N == 0 {
		return Interval{Estimate: math.NaN(), Low: lo, High: hi}
	}
	w := hi - lo
	n := float64(s.N)
	// The sums of the rescaled answers y = (x - lo) / w.
	sumY := (s.Sum - n*lo) / w
	sumY2 := (s.SumSq - 2*lo*s.Sum + n*lo*lo) / (w * w)
	z := zQuantile(level)
	c := z * z / 2
	nt := n + 2*c
	mean := (sumY + c) / nt
	variance := math.Max(0, (sumY2+c)/nt-mean*mean)
	half := z * math.Sqrt(variance/nt)
	return Interval{
		Estimate: s.Sum / n,
		Low:      lo + w*math.Max(0, mean-half),
		High:     lo + w*math.Min(1, mean+half),
		N:        s.N,
	}
}

// DifferenceOf returns a.Estimate - b.Estimate with the MOVER interval
// (method of variance estimates recovery, Zou and Donner 2008) built from
// the two groups' own intervals; with Wilson intervals it is Newcombe's
// hybrid score interval (ProportionDifference). Built from
// BoundedMeanInterval it inherits its non-zero width. N is a.N + b.N; a NaN
// in either interval gives NaN fields.
func DifferenceOf(a, b Interval) Interval {
	n := a.N + b.N
	for _, v := range []float64{a.Estimate, a.Low, a.High, b.Estimate, b.Low, b.High} {
		if math.IsNaN(v) {
			return nanInterval(n)
		}
	}
	d := a.Estimate - b.Estimate
	return Interval{Estimate: d,
		Low:  d - math.Hypot(a.Estimate-a.Low, b.High-b.Estimate),
		High: d + math.Hypot(a.High-a.Estimate, b.Estimate-b.Low), N: n}
}

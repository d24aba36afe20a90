package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// zQuantile returns the two-sided standard normal critical value for level.
func zQuantile(level float64) float64 {
	return distuv.UnitNormal.Quantile(0.5 + 0.5*level)
}

// Wilson returns the Wilson score interval for a proportion successes/n.
//
// Wilson is used instead of the textbook Wald interval because it stays
// inside [0, 1] and keeps close to nominal coverage for small n and for
// proportions near 0 or 1, which is where survey segments usually are.
//
// Edge cases: n == 0 gives Estimate NaN and the uninformative [0, 1] (the
// Wilson formula's own limit); 0 or n successes give a bound of exactly 0 or
// 1. Negative counts, successes > n or an invalid level give NaN fields.
func Wilson(successes, n int, level float64) Interval {
	if n < 0 || successes < 0 || successes > n || !validLevel(level) {
		return nanInterval(n)
	}
	if n == 0 {
		return Interval{Estimate: math.NaN(), Low: 0, High: 1, N: 0}
	}
	k, nf := float64(successes), float64(n)
	z := zQuantile(level)
	z2 := z * z
	// Newcombe (1998) eq. 3, written as SciPy writes it.
	denom := 2 * (nf + z2)
	centre := (2*k + z2) / denom
	half := z * math.Sqrt(z2+4*k*(nf-k)/nf) / denom
	low, high := centre-half, centre+half
	// At the extremes the bound is exactly 0 or 1; rounding must not leave
	// it a hair outside (or inside) the unit interval.
	if successes == 0 {
		low = 0
	}
	if successes == n {
		high = 1
	}
	return Interval{
		Estimate: k / nf,
		Low:      math.Max(0, low),
		High:     math.Min(1, high),
		N:        n,
	}
}

// ProportionDifference returns p1 - p2 with Newcombe's hybrid score
// interval (Newcombe 1998, method 10), built from the two Wilson intervals.
//
// It inherits Wilson's good behaviour at small n and at 0% or 100%, where
// the Wald difference interval collapses. N is n1 + n2.
//
// Edge cases: if either group is empty the difference is undefined:
// Estimate NaN with the uninformative [-1, 1]. Invalid counts or level give
// NaN fields.
func ProportionDifference(k1, n1, k2, n2 int, level float64) Interval {
	a, b := Wilson(k1, n1, level), Wilson(k2, n2, level)
	n := n1 + n2
	if math.IsNaN(a.Low) || math.IsNaN(b.Low) {
		return nanInterval(n)
	}
	if n1 == 0 || n2 == 0 {
		return Interval{Estimate: math.NaN(), Low: -1, High: 1, N: n}
	}
	d := a.Estimate - b.Estimate
	lowDist := math.Hypot(a.Estimate-a.Low, b.High-b.Estimate)
	highDist := math.Hypot(a.High-a.Estimate, b.Estimate-b.Low)
	return Interval{Estimate: d, Low: d - lowDist, High: d + highDist, N: n}
}

// BinomialTest returns the exact two-sided p-value for k successes in n
// trials under success probability p.
//
// It uses the same method as scipy.stats.binomtest: the p-value is the total
// probability of all outcomes no more likely than the observed one, with a
// relative tolerance of 1e-7 so that outcomes equal up to rounding count as
// ties. Tails come from the binomial CDF rather than summed terms, so tiny
// p-values keep their relative precision.
//
// Edge cases: n == 0 (hence k == 0) gives 1, the only possible outcome.
// p == 0 or p == 1 gives 1 for the only possible outcome and 0 otherwise.
// Negative n, k outside [0, n] or p outside [0, 1] give NaN.
func BinomialTest(k, n int, p float64) float64 {
	if n < 0 || k < 0 || k > n || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	kf, nf := float64(k), float64(n)
	if p == 0 || p == 1 {
		// Degenerate distribution: gonum's log-probabilities are NaN here.
		if kf == p*nf {
			return 1
		}
		return 0
	}
	if kf == p*nf {
		return 1
	}
	dist := distuv.Binomial{N: nf, P: p}
	// lowerTail(j) = P(X <= j); upperTail(j) = P(X >= j) computed as the
	// lower tail of the mirrored distribution, because 1-CDF would lose
	// all precision for small p-values.
	mirror := distuv.Binomial{N: nf, P: 1 - p}
	lowerTail := func(j int) float64 {
		if j < 0 {
			return 0
		}
		return dist.CDF(float64(j))
	}
	upperTail := func(j int) float64 {
		if j > n {
			return 0
		}
		return mirror.CDF(float64(n - j))
	}
	pmf := func(j int) float64 { return dist.Prob(float64(j)) }
	thresh := pmf(k) * (1 + 1e-7)

	var pval float64
	if kf < p*nf {
		// The pmf is non-increasing from ceil(np) to n: find the first
		// index there whose probability is within the threshold.
		lo, hi := int(math.Ceil(p*nf)), n+1
		for lo < hi {
			mid := lo + (hi-lo)/2
			if pmf(mid) <= thresh {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		pval = lowerTail(k) + upperTail(lo)
	} else {
		// The pmf is non-decreasing from 0 to floor(np): find the last
		// index there whose probability is within the threshold.
		lo, hi := -1, int(math.Floor(p*nf))
		for lo < hi {
			mid := lo + (hi-lo+1)/2
			if pmf(mid) <= thresh {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		pval = lowerTail(lo) + upperTail(k)
	}
	return math.Min(1, pval)
}

// TwoProportionTest returns the two-sided p-value of the pooled z test of
// p1 = p2, as statsmodels' proportions_ztest([k1, k2], [n1, n2]) gives it.
// It is NaN where the test is undefined: an empty group, or both shares 0
// or both 1 (no spread to test against).
func TwoProportionTest(k1, n1, k2, n2 int) float64 {
	if n1 <= 0 || n2 <= 0 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2 {
		return math.NaN()
	}
	p := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return math.NaN()
	}
	z := (float64(k1)/float64(n1) - float64(k2)/float64(n2)) / se
	return 2 * distuv.UnitNormal.Survival(math.Abs(z))
}

package stats

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// tQuantile returns the two-sided Student t critical value for level.
// The common case (95%, integer degrees of freedom) comes from a table
// filled once: the inverse incomplete beta function costs about 15µs, and a
// dashboard asks for hundreds of intervals.
func tQuantile(level, df float64) float64 {
	if level == 0.95 && df >= 1 && df <= tTableSize && df == math.Trunc(df) {
		return t95()[int(df)]
	}
	return cachedTQuantile(level, df)
}

// quantiles keeps the critical values the t table does not hold
// (fractional Welch degrees of freedom, groups above 2,001) and those of
// the F distribution (alpha intervals): the same data asks for the same
// ones on every request, and each costs an inverse incomplete beta
// function. Emptied when it reaches quantileCacheSize.
var quantiles struct {
	sync.Mutex
	m map[quantileKey]float64
}

// quantileKey is a distribution ('t' or 'F'), its parameters and the level
// or probability.
type quantileKey struct {
	dist       byte
	a, b, prob float64
}

const quantileCacheSize = 8192

// cachedQuantile returns compute() for key, computing it once.
func cachedQuantile(key quantileKey, compute func() float64) float64 {
	quantiles.Lock()
	v, ok := quantiles.m[key]
	quantiles.Unlock()
	if ok {
		return v
	}
	v = compute()
	quantiles.Lock()
	if quantiles.m == nil || len(quantiles.m) >= quantileCacheSize {
		quantiles.m = make(map[quantileKey]float64)
	}
	quantiles.m[key] = v
	quantiles.Unlock()
	return v
}

func cachedTQuantile(level, df float64) float64 {
	return cachedQuantile(quantileKey{dist: 't', a: df, prob: level}, func() float64 { return studentsTQuantile(level, df) })
}

// fQuantile is the F distribution's quantile at p, kept once computed.
func fQuantile(d1, d2, p float64) float64 {
	return cachedQuantile(quantileKey{dist: 'F', a: d1, b: d2, prob: p}, func() float64 {
		return distuv.F{D1: d1, D2: d2}.Quantile(p)
	})
}

func studentsTQuantile(level, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + 0.5*level)
}

// tTableSize is the largest tabulated degrees of freedom: groups of up to
// 2,001 respondents.
const tTableSize = 2000

// t95 holds the 95% critical values for 1..tTableSize degrees of freedom,
// computed by the same function on first use and never changed after.
var t95 = sync.OnceValue(func() []float64 {
	t := make([]float64, tTableSize+1)
	for df := 1; df <= tTableSize; df++ {
		t[df] = studentsTQuantile(0.95, float64(df))
	}
	return t
})

// unbounded is the interval for an estimate whose spread cannot be
// estimated: infinitely wide, so it never excludes anything.
func unbounded(est float64, n int) Interval {
	return Interval{Estimate: est, Low: math.Inf(-1), High: math.Inf(1), N: n}
}

// MeanInterval returns the sample mean with a Student t confidence interval.
//
// Edge cases: with N == 0 the Estimate is NaN and with N == 1 it is the one
// value; in both the bounds are -Inf and +Inf, because spread cannot be
// estimated from fewer than two answers and a narrow interval would claim a
// certainty the data do not have. With N >= 2 and zero variance the
// interval is [mean, mean]: the sample shows no spread at all. A negative N
// or invalid level gives NaN fields.
func MeanInterval(s Summary, level float64) Interval {
	if s.N < 0 || !validLevel(level) {
		return nanInterval(s.N)
	}
	mean := s.Mean()
	if s.N < 2 {
		return unbounded(mean, s.N)
	}
	se := math.Sqrt(s.Variance() / float64(s.N))
	half := tQuantile(level, float64(s.N-1)) * se
	return Interval{Estimate: mean, Low: mean - half, High: mean + half, N: s.N}
}

// MeanDifference returns mean(a) - mean(b) with a Welch t interval.
//
// Welch's interval is used rather than the pooled one because answer
// variances differ between teams; it does not assume they are equal, and
// costs little when they are. Degrees of freedom follow
// Welch–Satterthwaite. N is a.N + b.N.
//
// Edge cases: if either group has fewer than two answers the bounds are
// -Inf and +Inf (its spread is unknown); the Estimate is NaN if either
// group is empty. If both groups have zero variance the interval is
// [difference, difference]. A negative N or invalid level gives NaN fields.
func MeanDifference(a, b Summary, level float64) Interval {
	n := a.N + b.N
	if a.N < 0 || b.N < 0 || !validLevel(level) {
		return nanInterval(n)
	}
	diff := a.Mean() - b.Mean()
	if a.N < 2 || b.N < 2 {
		return unbounded(diff, n)
	}
	va := a.Variance() / float64(a.N)
	vb := b.Variance() / float64(b.N)
	se2 := va + vb
	if se2 == 0 {
		// The Welch df is 0/0 here, but every df gives zero width.
		return Interval{Estimate: diff, Low: diff, High: diff, N: n}
	}
	df := se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	half := tQuantile(level, df) * math.Sqrt(se2)
	return Interval{Estimate: diff, Low: diff - half, High: diff + half, N: n}
}

// WelchTest returns the two-sided p-value of Welch's t test of equal
// means, as scipy.stats.ttest_ind(a, b, equal_var=False) gives it. It is
// NaN where the test is undefined: fewer than two answers in a group, or
// no spread in either.
func WelchTest(a, b Summary) float64 {
	if a.N < 2 || b.N < 2 {
		return math.NaN()
	}
	va, vb := a.Variance()/float64(a.N), b.Variance()/float64(b.N)
	se2 := va + vb
	if se2 == 0 {
		return math.NaN()
	}
	df := se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	t := (a.Mean() - b.Mean()) / math.Sqrt(se2)
	return math.Min(1, 2*distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t)))
}

package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TrendPoint is one round of a trend: when it was (in any unit, e.g.
// years) and the sufficient statistics of its answers.
type TrendPoint struct {
	T float64
	S Summary
}

// Slope is the straight-line trend of answers over time: how much the
// mean moves per unit of T, with its confidence interval and the two-sided
// p-value of "no trend".
type Slope struct {
	Interval
	P float64
}

// TrendSlope fits a straight line to every answer of every round by least
// squares (each respondent one observation, so a round of 200 weighs more
// than a round of 20) and returns its slope with a heteroscedasticity-
// consistent (HC0, White) standard error and the normal quantile, as
// statsmodels' OLS(...).fit(cov_type="HC0") gives it on the individual
// answers. Unlike a chain of round-to-round changes, each too uncertain on
// its own, the slope uses every round at once: a share falling from 42% to
// 23% over four rounds reads as a fall. For 0/1 answers the slope is that
// of the Cochran–Armitage trend test.
//
// Edge cases: fewer than two distinct times, or fewer than three answers,
// leave the slope undefined (NaN fields); when every answer lies on the
// line the spread cannot be estimated and the bounds are −Inf and +Inf
// (never significant), with P NaN. N is the number of answers.
func TrendSlope(points []TrendPoint, level float64) Slope {
	var all Summary
	tSum := 0.0
	for _, p := range points {
		all = all.Merge(p.S)
		tSum += float64(p.S.N) * p.T
	}
	undefined := Slope{Interval: nanInterval(all.N), P: math.NaN()}
	if !validLevel(level) || all.N < 3 {
		return undefined
	}
	n := float64(all.N)
	tBar := tSum / n
	sxx, sxy := 0.0, 0.0
	for _, p := range points {
		d := p.T - tBar
		sxx += float64(p.S.N) * d * d
		sxy += d * p.S.Sum
	}
	if sxx <= 0 {
		return undefined
	}
	b := sxy / sxx
	a := all.Sum/n - b*tBar
	meat := 0.0
	for _, p := range points {
		d := p.T - tBar
		fit := a + b*p.T
		rss := math.Max(0, p.S.SumSq-2*fit*p.S.Sum+float64(p.S.N)*fit*fit)
		meat += d * d * rss
	}
	if meat <= 1e-12*math.Max(1, all.SumSq)*sxx/n {
		return Slope{Interval: Interval{Estimate: b, Low: math.Inf(-1), High: math.Inf(1), N: all.N}, P: math.NaN()}
	}
	se := math.Sqrt(meat) / sxx
	h := zQuantile(level) * se
	p := 2 * distuv.UnitNormal.Survival(math.Abs(b/se))
	return Slope{Interval: Interval{Estimate: b, Low: b - h, High: b + h, N: all.N}, P: p}
}

package stats

import "math"

// Stratum is one part of a sample, weighted to its share of a population
// (post-stratification): Population is how many of the population are in
// it (people invited), Sample the answers of those of them who answered.
type Stratum struct {
	Population float64
	Sample     Summary
}

// Weighted is a sample weighted to its population's composition: each
// answer of stratum h weighs W_h / n_h, W_h being the stratum's share of
// the population and n_h its number of answers, so that the strata count
// as they do in the population, not as they happened to answer.
//
// Its uncertainty is carried by Kish's effective sample size
// n_eff = (Σw)² / Σw² = 1 / Σ_h (W_h² / n_h): the number of unweighted
// answers that would be as precise. We chose it over the linearised
// (stratified) variance Σ_h W_h² s_h² / n_h because it plugs into the same
// intervals as the unweighted numbers (Wilson for a share, the bounded
// mean for a 0–100 score), which never have zero width, and it equals the
// number of answers when the sample already has the population's
// composition; weighting can only make it smaller. It ignores the gain in
// precision that stratification can bring, so its intervals are cautious.
type Weighted struct {
	// Mean is Σ_h W_h · mean_h.
	Mean float64
	// Variance is the weighted variance of the answers about Mean,
	// Σ w (x − Mean)² / Σ w (numpy's and DescrStatsW's ddof 0).
	Variance float64
	// NEff is Kish's effective sample size; N the number of answers.
	NEff float64
	N    int
	// Shares are the strata's population shares W_h, in order.
	Shares []float64
}

// PostStratify weights strata to their population shares. Strata without
// answers or without population take no part (their share is 0); with none
// left every field is NaN (N 0).
func PostStratify(strata []Stratum) Weighted {
	w := Weighted{Shares: make([]float64, len(strata))}
	var pop float64
	for _, s := range strata {
		if s.Sample.N > 0 && s.Population > 0 {
			pop += s.Population
		}
	}
	if !(pop > 0) {
		nan := math.NaN()
		return Weighted{Mean: nan, Variance: nan, NEff: nan, Shares: w.Shares}
	}
	var sumSq, sumW2 float64
	for i, s := range strata {
		if s.Sample.N <= 0 || !(s.Population > 0) {
			continue
		}
		share := s.Population / pop
		n := float64(s.Sample.N)
		w.Shares[i] = share
		w.N += s.Sample.N
		w.Mean += share * s.Sample.Sum / n
		sumSq += share * s.Sample.SumSq / n
		sumW2 += share * share / n
	}
	w.Variance = math.Max(0, sumSq-w.Mean*w.Mean)
	w.NEff = 1 / sumW2
	return w
}

// Wilson is the Wilson score interval of a weighted share (answers of 0
// and 1) at the effective sample size. N is the number of answers.
func (w Weighted) Wilson(level float64) Interval {
	if math.IsNaN(w.Mean) || !validLevel(level) || !(w.NEff > 0) {
		return nanInterval(w.N)
	}
	p, n := w.Mean, w.NEff
	z := zQuantile(level)
	z2 := z * z
	denom := 2 * (n + z2)
	centre := (2*n*p + z2) / denom
	half := z * math.Sqrt(z2+4*n*p*(1-p)) / denom
	return Interval{Estimate: p, Low: math.Max(0, centre-half), High: math.Min(1, centre+half), N: w.N}
}

// BoundedInterval is BoundedMeanInterval of weighted scores between lo and
// hi: the augmented sample is NEff answers with the weighted mean and
// variance, plus z²/2 pseudo-answers at each end of the scale. It never
// has zero width. N is the number of answers.
func (w Weighted) BoundedInterval(lo, hi, level float64) Interval {
	if math.IsNaN(w.Mean) || !(hi > lo) || !validLevel(level) || !(w.NEff > 0) {
		return nanInterval(w.N)
	}
	width := hi - lo
	n := w.NEff
	my := (w.Mean - lo) / width
	sumY := n * my
	sumY2 := n * (w.Variance/(width*width) + my*my)
	z := zQuantile(level)
	c := z * z / 2
	nt := n + 2*c
	mean := (sumY + c) / nt
	variance := math.Max(0, (sumY2+c)/nt-mean*mean)
	half := z * math.Sqrt(variance/nt)
	return Interval{Estimate: w.Mean, Low: lo + width*math.Max(0, mean-half), High: lo + width*math.Min(1, mean+half), N: w.N}
}

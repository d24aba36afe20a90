package stats

import "math"

// maxMultinomialOutcomes bounds the enumeration of MultinomialExactTest to
// about a millisecond of a dashboard's time: four categories up to about
// 100 answers. Past that the smallest expected count of the study's
// shares (2.9%) is near 3 and above, where the chi-square approximation
// is fair, and it is used, flagged approximate.
const maxMultinomialOutcomes = 200_000

// MultinomialExactTest returns the exact p-value of observed counts
// against category probabilities probs: the total probability, under the
// multinomial distribution, of every outcome with the same total that is
// no more likely than the one observed (relative tolerance 1e-7 for ties,
// as scipy.stats.binomtest uses for two categories). Where expected counts
// are small the chi-square approximation misleads and this does not.
//
// probs are normalised. It returns NaN for invalid input, no observations,
// or more than maxMultinomialOutcomes outcomes to enumerate.
func MultinomialExactTest(observed []int, probs []float64) float64 {
	k := len(observed)
	if k < 2 || len(probs) != k {
		return math.NaN()
	}
	n, total := 0, 0.0
	for i, o := range observed {
		if o < 0 || !(probs[i] > 0) {
			return math.NaN()
		}
		n += o
		total += probs[i]
	}
	if n == 0 || outcomes(n, k) > maxMultinomialOutcomes {
		return math.NaN()
	}
	// terms[i][x] = x·log p_i − log x!, so that the log-probability of an
	// outcome is log n! plus the sum of its categories' terms.
	terms := make([][]float64, k)
	for i := range terms {
		terms[i] = make([]float64, n+1)
		lp := math.Log(probs[i] / total)
		for x := 0; x <= n; x++ {
			lg, _ := math.Lgamma(float64(x + 1))
			terms[i][x] = float64(x)*lp - lg
		}
	}
	lgN, _ := math.Lgamma(float64(n + 1))
	obs := lgN
	for i, o := range observed {
		obs += terms[i][o]
	}
	limit := obs + math.Log1p(1e-7)
	// The last two categories are summed in linear space (exp of their
	// terms, precomputed): the enumeration's inner loop then multiplies
	// instead of calling exp, about ten times faster.
	// Each is scaled so that its largest value is 1, and the scale put back
	// with the other categories' terms, so that nothing overflows.
	a, ca := linear(terms[k-2])
	b, cb := linear(terms[k-1])
	p := 0.0
	var walk func(i, left int, acc float64)
	walk = func(i, left int, acc float64) {
		if i < k-2 {
			for x := 0; x <= left; x++ {
				walk(i+1, left-x, acc+terms[i][x])
			}
			return
		}
		// P(outcome) = exp(acc) · a[x] · b[left−x], included when its log
		// is at most limit.
		scale := math.Exp(acc + ca + cb)
		if scale == 0 {
			return // every outcome here is below 1e-308: nothing to add
		}
		bound := math.Exp(limit - acc - ca - cb)
		sum := 0.0
		for x := 0; x <= left; x++ {
			if q := a[x] * b[left-x]; q <= bound {
				sum += q
			}
		}
		p += scale * sum
	}
	walk(0, n, lgN)
	return math.Min(1, p)
}

// linear returns exp of each term less the largest, and the largest.
func linear(terms []float64) ([]float64, float64) {
	top := math.Inf(-1)
	for _, t := range terms {
		top = math.Max(top, t)
	}
	out := make([]float64, len(terms))
	for i, t := range terms {
		out[i] = math.Exp(t - top)
	}
	return out, top
}

// outcomes is the number of ways to split n into k ordered counts,
// C(n+k−1, k−1), as a float to avoid overflow.
func outcomes(n, k int) float64 {
	c := 1.0
	for j := 1; j < k; j++ {
		c = c * float64(n+j) / float64(j)
	}
	return c
}

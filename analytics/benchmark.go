package analytics

import (
	"math"

	"accord/analytics/stats"
	"accord/survey"
)

// BenchmarkMinN is the smallest yearly number of the study's respondents
// (DESIGN §2: about 350 to 1,200), used for the benchmark's own interval:
// the benchmark is an estimate too, and the widest plausible interval keeps
// the comparison honest.
const BenchmarkMinN = 350

// BenchmarkInterval returns the completely-aligned benchmark with its 95%
// Wilson interval at BenchmarkMinN respondents (about 7% to 13%).
func BenchmarkInterval() stats.Interval {
	k := int(math.Round(survey.BenchmarkCompletelyAligned * BenchmarkMinN))
	iv := stats.Wilson(k, BenchmarkMinN, ConfidenceLevel)
	iv.Estimate = survey.BenchmarkCompletelyAligned
	return iv
}

// Versus is how a round's share compares with the benchmark.
type Versus struct {
	P         float64 // exact two-sided binomial p-value against the benchmark share
	Direction int     // +1 above, -1 below, 0 not distinguishable at the 5% level
}

// CompareWithBenchmark tests a reported round's completely-aligned share
// against the benchmark with an exact binomial test (DESIGN §3).
func CompareWithBenchmark(r RoundShare) Versus { return CompareShare(r.Aligned, r.N) }

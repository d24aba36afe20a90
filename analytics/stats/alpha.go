package stats

import (
	"math"
)

// CronbachAlpha returns Cronbach's alpha for a respondents × items matrix.
//
// Rows are respondents and columns are items; every row must answer every
// item (drop incomplete rows first), otherwise the result is NaN. It is
// computed through [CronbachAlphaFromSummaries] so that raw data and
// rollups can never disagree. See that function for the edge cases.
func CronbachAlpha(items [][]float64) float64 {
	if len(items) == 0 {
		return math.NaN()
	}
	k := len(items[0])
	perItem := make([]Summary, k)
	var total Summary
	for _, row := range items {
		if len(row) != k {
			return math.NaN()
		}
		sum := 0.0
		for j, x := range row {
			perItem[j].Add(x)
			sum += x
		}
		total.Add(sum)
	}
	return CronbachAlphaFromSummaries(perItem, total)
}

// CronbachAlphaFromSummaries returns Cronbach's alpha from sufficient
// statistics: one Summary per item and one of each respondent's total
// score, which is all a rollup needs to store.
//
// alpha = k/(k-1) * (1 - sum of item variances / variance of totals).
//
// Edge cases, all NaN: fewer than 2 items, fewer than 2 respondents, item
// summaries whose N differs from the total's (answers were not complete),
// or zero variance of the totals (alpha is 0/0). Alpha is not clamped: a
// negative value is a real signal that items do not measure one thing.
func CronbachAlphaFromSummaries(items []Summary, total Summary) float64 {
	k := len(items)
	if k < 2 || total.N < 2 {
		return math.NaN()
	}
	var itemVar float64
	for _, s := range items {
		if s.N != total.N {
			return math.NaN()
		}
		itemVar += s.Variance()
	}
	totalVar := total.Variance()
	if totalVar == 0 {
		return math.NaN()
	}
	kf := float64(k)
	return kf / (kf - 1) * (1 - itemVar/totalVar)
}

// FeldtInterval returns Cronbach's alpha with Feldt's (1965) confidence
// interval, for alpha computed over n respondents who answered all of
// items items: (1 − alpha) follows an F distribution with n − 1 and
// (n − 1)(items − 1) degrees of freedom, so that
// [1 − (1 − alpha)·F(1 − γ/2), 1 − (1 − alpha)·F(γ/2)] covers the true
// alpha with probability 1 − γ (as pingouin's cronbach_alpha computes it).
// An alpha over a handful of people reads as the rough figure it is.
//
// Edge cases: NaN alpha, n < 2 or items < 2 give NaN bounds; alpha 1 (no
// error variance) gives [1, 1]. An invalid level gives NaN fields.
func FeldtInterval(alpha float64, n, items int, level float64) Interval {
	if !validLevel(level) {
		return nanInterval(n)
	}
	iv := Interval{Estimate: alpha, Low: math.NaN(), High: math.NaN(), N: n}
	if math.IsNaN(alpha) || n < 2 || items < 2 {
		return iv
	}
	d1, d2 := float64(n-1), float64((n-1)*(items-1))
	g := (1 - level) / 2
	iv.Low = 1 - (1-alpha)*fQuantile(d1, d2, 1-g)
	iv.High = 1 - (1-alpha)*fQuantile(d1, d2, g)
	return iv
}

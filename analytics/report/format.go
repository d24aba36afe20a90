package report

import (
	"fmt"
	"math"

	"accord/analytics/stats"
)

// Numbers read as on the dashboard: one decimal, a true minus sign, en
// dashes in ranges.

func pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

func pctRange(iv stats.Interval) string { return pct(iv.Low) + "–" + pct(iv.High) }

func num(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return signed(x, false)
}

func estimable(iv stats.Interval) bool {
	return !math.IsInf(iv.Low, 0) && !math.IsInf(iv.High, 0) && !math.IsNaN(iv.Low) && !math.IsNaN(iv.High)
}

func numRange(iv stats.Interval) string {
	if !estimable(iv) {
		return "not estimable"
	}
	return num(iv.Low) + "–" + num(iv.High)
}

func signed(x float64, plus bool) string {
	s := fmt.Sprintf("%.1f", math.Abs(x))
	switch {
	case s == "0.0":
		return s
	case x < 0:
		return "−" + s
	case plus:
		return "+" + s
	}
	return s
}

func diffRange(iv stats.Interval, scale float64) string {
	if !estimable(iv) {
		return "not estimable"
	}
	return "[" + signed(scale*iv.Low, true) + ", " + signed(scale*iv.High, true) + "]"
}

func pValue(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}

func fewer(k int) string { return fmt.Sprintf("fewer than %d responses", k) }

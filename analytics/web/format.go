package web

import (
	"fmt"
	"math"

	"accord/analytics"
	"accord/analytics/stats"
)

// Numbers are formatted here, once, so that every page, chart table and
// card says the same thing the same way. The minus sign is U+2212 and
// ranges use an en dash, as in print.

func pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// pctRange is a share's interval: "5.2%–36.0%".
func pctRange(iv stats.Interval) string {
	return pct(iv.Low) + "–" + pct(iv.High)
}

// num is an index value on the 0–100 scale.
func num(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return signed(x, false)
}

// numRange is an index interval: "43.2–81.8", or "not estimable" when a
// group had one respondent (no spread to estimate).
func numRange(iv stats.Interval) string {
	if math.IsInf(iv.Low, 0) || math.IsInf(iv.High, 0) || math.IsNaN(iv.Low) {
		return "not estimable"
	}
	return num(iv.Low) + "–" + num(iv.High)
}

// signed formats x with one decimal; with plus, positive values get "+".
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

// diffRange is a difference's interval: "[−16.0, +51.4]".
func diffRange(iv stats.Interval, scale float64) string {
	if math.IsInf(iv.Low, 0) || math.IsInf(iv.High, 0) || math.IsNaN(iv.Low) {
		return "interval not estimable"
	}
	return "[" + signed(scale*iv.Low, true) + ", " + signed(scale*iv.High, true) + "]"
}

// pValue reads "p = 0.057" or "p < 0.001".
func pValue(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}

// alpha reads Cronbach's alpha, or why there is none.
func alpha(im analytics.IndexMeasure, name string) string {
	switch {
	case name == "alignment":
		return "one item"
	case math.IsNaN(im.Alpha):
		return "not estimable"
	}
	return fmt.Sprintf("%.2f (%d complete)", im.Alpha, im.AlphaN)
}

// fewer is what a hidden cell reads.
func fewer(k int) string { return fmt.Sprintf("fewer than %d responses", k) }

// rate reads a response rate with its counts: "71.4% (5 of 7)".
func rate(m analytics.Measures) string {
	if m.Invited == 0 {
		return fmt.Sprintf("%d responses, no invitations recorded", m.Responses)
	}
	return fmt.Sprintf("%s (%d of %d)", pct(m.ResponseRate), m.Responses, m.Invited)
}

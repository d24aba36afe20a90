// Package format writes Accord's numbers one way everywhere — dashboard,
// tables, report and exports' labels: one decimal, a true minus sign
// (U+2212), en dashes in ranges, and words where a figure cannot be
// estimated.
package format

import (
	"fmt"
	"math"
	"strings"
	"time"

	"accord/analytics"
	"accord/analytics/stats"
	"accord/survey"
)

// InProgress says that a round is still open and how long it has left,
// for labels of rounds in charts and tables ("open, 4 days left"); it is
// empty for a closed round.
func InProgress(r analytics.RoundInfo, now time.Time) string {
	switch n := r.DaysLeft(now); {
	case r.Closed():
		return ""
	case n == 0:
		return "open, closing now"
	case n == 1:
		return "open, last day"
	default:
		return fmt.Sprintf("open, %d days left", n)
	}
}

// RoundLabel names a round in a chart or table, marking a questionnaire
// change and, for an open round, that it is in progress:
// "Spring pulse (questionnaire v2)", "June pulse (open, 4 days left)".
func RoundLabel(r analytics.RoundInfo, now time.Time) string {
	s := r.Title
	if r.VersionChange {
		s += fmt.Sprintf(" (questionnaire v%d)", r.InstrumentVersion)
	}
	if open := InProgress(r, now); open != "" {
		s += " (" + open + ")"
	}
	return s
}

// RoundAxisLabel names a round on a chart's axis: its title, and below it
// for an open round that it is still in progress.
func RoundAxisLabel(r analytics.RoundInfo, now time.Time) string {
	if open := InProgress(r, now); open != "" {
		return r.Title + "\n(" + open + ")"
	}
	return r.Title
}

// Pct is a share in percent: "15.0%", or "–" when there is none.
func Pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", Round1(100*x))
}

// Round1 rounds to one decimal, halves away from zero. Every table and
// every chart label rounds through it, so that a chart's 31.3 is its
// table's 31.3 (printf alone rounds 31.25 to 31.2).
func Round1(x float64) float64 { return math.Round(10*x) / 10 }

// PctRange is a share's interval: "5.2%–36.0%".
func PctRange(iv stats.Interval) string { return Pct(iv.Low) + "–" + Pct(iv.High) }

// Num is an index value on the 0–100 scale.
func Num(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return Signed(x, false)
}

// Estimable reports whether an interval has finite bounds (a group of one
// respondent has no spread to estimate).
func Estimable(iv stats.Interval) bool {
	return !math.IsInf(iv.Low, 0) && !math.IsInf(iv.High, 0) && !math.IsNaN(iv.Low) && !math.IsNaN(iv.High)
}

// NumRange is an index interval: "43.2–81.8", or "not estimable".
func NumRange(iv stats.Interval) string {
	if !Estimable(iv) {
		return "not estimable"
	}
	return Num(iv.Low) + "–" + Num(iv.High)
}

// Signed formats x with one decimal; with plus, positive values get "+".
func Signed(x float64, plus bool) string {
	s := fmt.Sprintf("%.1f", math.Abs(Round1(x)))
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

// DiffRange is a difference's interval scaled by scale: "[−16.0, +51.4]",
// or "not estimable".
func DiffRange(iv stats.Interval, scale float64) string {
	if !Estimable(iv) {
		return "not estimable"
	}
	return "[" + Signed(scale*iv.Low, true) + ", " + Signed(scale*iv.High, true) + "]"
}

// PValue reads "p = 0.057" or "p < 0.001".
func PValue(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}

// Why is what a hidden cell reads: the true reason it is hidden, for an
// organisation whose minimum group size is k. A hidden group stored
// without its reason reads as having too few responses.
func Why(r analytics.Reason, k int) string {
	if !r.Hidden() {
		r = analytics.FewResponses
	}
	return r.Text(k)
}

// Rate reads a response rate with its counts: "71.4% (5 of 7)".
func Rate(m analytics.Measures) string {
	if m.Invited == 0 {
		return fmt.Sprintf("%d responses, no invitations recorded", m.Responses)
	}
	return fmt.Sprintf("%s (%d of %d)", Pct(m.ResponseRate), m.Responses, m.Invited)
}

// RateCell is a response-rate table cell of a group in one round, with k the
// minimum group size; shown is false when the cell holds no number.
func RateCell(p analytics.TrendPoint, k int) (text string, shown bool) {
	switch {
	case !p.Known:
		return "–", false
	case p.Hidden:
		return Why(p.Reason, k), false
	}
	if !p.Round.Closed() {
		return Rate(p.Measures) + " so far", true
	}
	return Rate(p.Measures), true
}

// Index is an index's value, or why it is hidden.
func Index(im analytics.IndexMeasure, k int) string {
	if im.Hidden.Hidden() {
		return "hidden: " + Why(im.Hidden, k)
	}
	return Num(im.Mean.Estimate)
}

// Share is a group's completely-aligned share, or why it is hidden.
func Share(m analytics.Measures, k int) string {
	if m.A1Hidden.Hidden() {
		return "hidden: " + Why(m.A1Hidden, k)
	}
	return Pct(m.Share.Estimate)
}

// Alpha reads an index's Cronbach's alpha, or why there is none.
func Alpha(im analytics.IndexMeasure, k int) string {
	switch {
	case im.Name == survey.IndexAlignment:
		return "one item"
	case im.Hidden.Hidden():
		return "–"
	case im.AlphaHidden.Hidden():
		return fmt.Sprintf("hidden: fewer than %d complete answers", k)
	case math.IsNaN(im.Alpha):
		return "not estimable"
	}
	if iv := im.AlphaInterval; Estimable(iv) {
		return fmt.Sprintf("%.2f (%.2f–%.2f; %d complete)", im.Alpha, iv.Low, iv.High, im.AlphaN)
	}
	return fmt.Sprintf("%.2f (%d complete)", im.Alpha, im.AlphaN)
}

// GapNote says why the perception gap, or some of its indices, cannot be
// shown, and what would show it; "" when every index's gap is shown.
func GapNote(gaps []analytics.Gap, k int) string {
	var sales, product analytics.Reason
	hidden := 0
	for _, g := range gaps {
		if g.Hidden.Hidden() {
			hidden++
			sales, product = max(sales, g.SalesHidden), max(product, g.ProductHidden)
		}
	}
	if hidden == 0 {
		return ""
	}
	var why []string
	if sales.Hidden() {
		why = append(why, "sales: "+Why(sales, k))
	}
	if product.Hidden() {
		why = append(why, "product: "+Why(product, k))
	}
	what := "The perception gap cannot be shown"
	if hidden < len(gaps) {
		what = "Some indices' gaps cannot be shown (the table says which)"
	}
	return fmt.Sprintf("%s: it needs at least %d answers from sales and from product in this round (%s).", what, k, strings.Join(why, "; "))
}

package web

import (
	"fmt"
	"math"

	"accord/analytics"
	"accord/analytics/format"
)

// Numbers are formatted by analytics/format, so that every page, chart
// table, card and report says the same thing the same way; what follows
// reads the dashboard's own measures.

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

// rate reads a response rate with its counts: "71.4% (5 of 7)".
func rate(m analytics.Measures) string {
	if m.Invited == 0 {
		return fmt.Sprintf("%d responses, no invitations recorded", m.Responses)
	}
	return fmt.Sprintf("%s (%d of %d)", format.Pct(m.ResponseRate), m.Responses, m.Invited)
}

package web

import (
	"fmt"
	"math"

	"accord/analytics"
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

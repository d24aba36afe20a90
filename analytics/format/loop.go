package format

import (
	"fmt"
	"math"
	"strings"

	"accord/analytics"
	"accord/survey"
)

// ResultsForEveryone words the whole organisation's results in a closed
// round for the people who were invited to it: the completely aligned
// share beside the study's, the indices and how many answered, each only
// when it is published. Nothing below the whole organisation: a group's
// numbers are for its leaders, and a message to everyone must not single
// one out. Empty when the round's results are hidden.
func ResultsForEveryone(p analytics.TrendPoint) []string {
	if !p.Known || p.Hidden {
		return nil
	}
	m := p.Measures
	var out []string
	if !m.A1Hidden.Hidden() && m.A1N > 0 {
		out = append(out, fmt.Sprintf("%s of those who answered described sales and product as completely aligned; in the study of product teams, %s did.",
			Pct(m.Share.Estimate), Pct(survey.BenchmarkCompletelyAligned)))
	}
	var idx []string
	for i, im := range m.Indices {
		if !im.Hidden.Hidden() && !math.IsNaN(im.Mean.Estimate) {
			idx = append(idx, fmt.Sprintf("%s index %s", analytics.IndexNames[i], Num(im.Mean.Estimate)))
		}
	}
	if len(idx) > 0 {
		out = append(out, "On a scale of 0 to 100: "+strings.Join(idx, ", ")+".")
	}
	if m.Invited > 0 {
		out = append(out, fmt.Sprintf("%d of the %d people invited answered (%s).", m.Responses, m.Invited, Pct(m.ResponseRate)))
	}
	return out
}

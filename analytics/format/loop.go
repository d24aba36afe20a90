package format

import (
	"math"

	"accord/analytics"
	"accord/survey"
)

// ResultsForEveryone is what a results message reports of the whole
// organisation's results in a closed round, for the people who were
// invited to it: the completely aligned share beside the study's, the
// indices and how many answered, each only when it is published. Nothing
// below the whole organisation: a group's numbers are for its leaders,
// and a message to everyone must not single one out. Empty when the
// round's results are hidden. Each email words it in its reader's
// language (survey/notify.ResultLines).
func ResultsForEveryone(p analytics.TrendPoint) survey.RoundResults {
	var out survey.RoundResults
	if !p.Known || p.Hidden {
		return out
	}
	m := p.Measures
	if !m.A1Hidden.Hidden() && m.A1N > 0 {
		share := m.Share.Estimate
		out.AlignedShare, out.Benchmark = &share, survey.BenchmarkCompletelyAligned
	}
	for i, im := range m.Indices {
		if !im.Hidden.Hidden() && !math.IsNaN(im.Mean.Estimate) {
			out.Indices = append(out.Indices, survey.IndexResult{Index: analytics.IndexNames[i], Mean: im.Mean.Estimate})
		}
	}
	if m.Invited > 0 {
		out.Responses, out.Invited, out.ResponseRate = m.Responses, m.Invited, m.ResponseRate
	}
	return out
}

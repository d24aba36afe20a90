package analytics

import (
	"math"

	"accord/analytics/stats"
	"accord/survey"
)

// Why results cannot be weighted to the roster (Weighting.Unweighted).
const (
	// WeightOneFunction: the filter fixes the function, so there is
	// nothing to weight.
	WeightOneFunction = "one_function"
	// WeightFewFunctions: fewer than two functions have results shown (at
	// least the minimum group size of responses and their share shown).
	WeightFewFunctions = "few_functions"
	// WeightGroupHidden: the group itself is hidden.
	WeightGroupHidden = "group_hidden"
)

// Weighting is the group's results weighted to the roster's composition by
// function (post-stratification): each function counts with its share of
// the people invited to the round, not with its share of the answers, so
// that a function that answered more does not pull the result its way.
//
// Only functions whose results are shown take part (at least the minimum
// group size of responses, not hidden for any reason, with their
// completely-aligned share shown), and the weights are their shares of the
// people invited among them: a hidden function's answers and invitations
// never enter, so a weighted number is a function of published numbers
// alone and reveals nothing a hidden group holds. An index is weighted
// only when it is shown for every function that takes part; otherwise it
// is hidden with that function's reason.
//
// Intervals use Kish's effective sample size (stats.Weighted): Wilson for
// the share, the bounded mean for the indices.
type Weighting struct {
	// Unweighted says why nothing is weighted ("" when it is).
	Unweighted string
	// Functions are those taking part, in the breakdown's order; Left the
	// functions of the group that do not (hidden, or too few), as roster
	// values.
	Functions []WeightedFunction
	Left      []string
	Share     stats.Interval // completely aligned, as a fraction
	ShareNEff float64
	// Verdict is the weighted share against the study (MOVER from the
	// weighted share's Wilson interval and the study's).
	Verdict BenchmarkVerdict
	Indices [4]WeightedIndex
}

// WeightedFunction is one function taking part in the weighting.
type WeightedFunction struct {
	Function           string
	Invited, Responses int
	// Weight is the function's share of the people invited among the
	// functions taking part; AnswerShare its share of their responses.
	Weight, AnswerShare float64
}

// WeightedIndex is one index weighted to the roster.
type WeightedIndex struct {
	Hidden Reason
	Mean   stats.Interval // 0–100
	NEff   float64
}

// weightingOf weights the shown group d to its roster by function.
func weightingOf(d *Dashboard) Weighting {
	w := Weighting{Share: nanInterval(), ShareNEff: math.NaN(), Verdict: hiddenVerdict(d.Filter)}
	for i := range w.Indices {
		w.Indices[i] = WeightedIndex{Hidden: FewResponses, Mean: nanInterval(), NEff: math.NaN()}
	}
	switch {
	case d.Filter.Has(DimFunction):
		w.Unweighted = WeightOneFunction
		return w
	case groupReason(&d.Current.Measures, d.Current.Known).Hidden():
		w.Unweighted = WeightGroupHidden
		return w
	}
	var parts []Measures
	for _, b := range d.Breakdowns {
		if b.Dim != DimFunction {
			continue
		}
		for _, m := range b.Groups {
			if m.Hidden || m.Responses < d.K || m.Invited <= 0 || m.A1Hidden.Hidden() {
				w.Left = append(w.Left, m.Group.Function)
				continue
			}
			parts = append(parts, m)
		}
	}
	if len(parts) < 2 {
		w.Unweighted = WeightFewFunctions
		return w
	}
	strata := make([]stats.Stratum, len(parts))
	responses := 0
	for i, m := range parts {
		k := float64(m.A1[0])
		strata[i] = stats.Stratum{Population: float64(m.Invited), Sample: stats.Summary{N: m.A1N, Sum: k, SumSq: k}}
		responses += m.Responses
	}
	share := stats.PostStratify(strata)
	w.Share, w.ShareNEff = share.Wilson(ConfidenceLevel), share.NEff
	for i, m := range parts {
		w.Functions = append(w.Functions, WeightedFunction{Function: m.Group.Function, Invited: m.Invited, Responses: m.Responses,
			Weight: share.Shares[i], AnswerShare: float64(m.Responses) / float64(responses)})
	}
	w.Verdict = weightedVerdict(d.Filter, w.Share)
	for i := range w.Indices {
		w.Indices[i] = weightedIndex(parts, i)
	}
	return w
}

func weightedIndex(parts []Measures, i int) WeightedIndex {
	strata := make([]stats.Stratum, len(parts))
	for j, m := range parts {
		if im := m.Indices[i]; im.Hidden.Hidden() {
			return WeightedIndex{Hidden: im.Hidden, Mean: nanInterval(), NEff: math.NaN()}
		}
		strata[j] = stats.Stratum{Population: float64(m.Invited), Sample: m.Indices[i].Summary}
	}
	ws := stats.PostStratify(strata)
	return WeightedIndex{Mean: ws.BoundedInterval(0, 100, ConfidenceLevel), NEff: ws.NEff}
}

func hiddenVerdict(g Group) BenchmarkVerdict { return verdictOf(g, &Measures{}, false) }

// weightedVerdict compares a weighted share with the study's: the MOVER
// interval of the difference from the two Wilson intervals (Newcombe's
// method, with the weighted share at its effective sample size).
func weightedVerdict(g Group, share stats.Interval) BenchmarkVerdict {
	v := BenchmarkVerdict{Group: g, StudyN: StudyN, Share: share,
		Study: stats.Wilson(studyAligned(), StudyN, ConfidenceLevel)}
	v.Diff = stats.DifferenceOf(share, v.Study)
	v.Study.Estimate = survey.BenchmarkCompletelyAligned
	v.Direction = directionOf(v.Diff)
	return v
}

package api

import (
	"github.com/labstack/echo/v4"

	"accord/analytics"
	"accord/survey/apperr"
)

// weightedParam asks the insight for results weighted to the roster.
const weightedParam = "weighted"

func wantsWeighted(c echo.Context) (bool, error) {
	switch c.QueryParam(weightedParam) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, apperr.Errorf(apperr.EINVALID, "weighted must be 1 or 0.")
}

// Weighted is the group's results weighted to the roster's composition by
// function (post-stratification to the round's invitations), with Kish's
// effective sample size behind each interval. Only functions whose results
// are shown take part.
type Weighted struct {
	// Unweighted says why nothing is weighted: one_function (the filter
	// fixes it), few_functions (fewer than two with results shown) or
	// group_hidden; null when the results are weighted.
	Unweighted        *string            `json:"unweighted"`
	Functions         []WeightedFunction `json:"functions"`
	NotIncluded       []string           `json:"not_included"`
	CompletelyAligned Interval           `json:"completely_aligned"`
	EffectiveN        *float64           `json:"effective_n"`
	Verdict           *Verdict           `json:"verdict"`
	Indices           []WeightedIndex    `json:"indices"`
}

// WeightedFunction is one function taking part in the weighting.
type WeightedFunction struct {
	Function  string  `json:"function"`
	Invited   int     `json:"invited"`
	Responses int     `json:"responses"`
	Weight    float64 `json:"weight"`
}

// WeightedIndex is one index weighted to the roster.
type WeightedIndex struct {
	Index      string   `json:"index"`
	Hidden     *Hidden  `json:"hidden"`
	Mean       Interval `json:"mean"`
	EffectiveN *float64 `json:"effective_n"`
}

func weightedJSON(in *analytics.Insight) *Weighted {
	w, k := in.Weighted, in.K
	out := &Weighted{Functions: []WeightedFunction{}, NotIncluded: []string{}, Indices: []WeightedIndex{}}
	if w.Unweighted != "" {
		why := w.Unweighted
		out.Unweighted = &why
		return out
	}
	for _, f := range w.Functions {
		out.Functions = append(out.Functions, WeightedFunction{Function: f.Function, Invited: f.Invited, Responses: f.Responses, Weight: f.Weight})
	}
	out.NotIncluded = append(out.NotIncluded, w.Left...)
	out.CompletelyAligned, out.EffectiveN = interval(w.Share), num(w.ShareNEff)
	v := verdictJSON(w.Verdict, k)
	out.Verdict = &v
	for i, wi := range w.Indices {
		j := WeightedIndex{Index: analytics.IndexNames[i], Hidden: hidden(wi.Hidden, k)}
		if !wi.Hidden.Hidden() {
			j.Mean, j.EffectiveN = interval(wi.Mean), num(wi.NEff)
		}
		out.Indices = append(out.Indices, j)
	}
	return out
}

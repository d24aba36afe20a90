package api

import (
	"math"

	"accord/analytics"
	"accord/analytics/stats"
	"accord/survey"
)

// The API's JSON shapes. Numbers that the statistics leave undefined (a
// mean of nobody, an interval from one answer, whose bounds are ±Inf, an
// alpha that cannot be computed) are null: JSON has no NaN or Infinity,
// and a client should not mistake "undefined" for zero.

// num returns x, or nil (null) when x is NaN or infinite.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// Interval is an estimate with its 95% interval and the count it rests on.
type Interval struct {
	Estimate *float64 `json:"estimate"`
	Low      *float64 `json:"low"`
	High     *float64 `json:"high"`
	N        int      `json:"n"`
}

// interval converts iv. Without an estimate (nobody answered) the bounds
// are null too: the analytics layer clips an undefined interval to the
// whole 0–100 scale, which would read as a result.
func interval(iv stats.Interval) Interval {
	if num(iv.Estimate) == nil {
		return Interval{N: iv.N}
	}
	return Interval{Estimate: num(iv.Estimate), Low: num(iv.Low), High: num(iv.High), N: iv.N}
}

// GroupKey names a group by the attributes it fixes; null is "any".
type GroupKey struct {
	Function *string `json:"function"`
	Team     *string `json:"team"`
	Region   *string `json:"region"`
	Tenure   *string `json:"tenure"`
	Language *string `json:"language"`
}

func groupKey(g analytics.Group) GroupKey {
	var k GroupKey
	fields := map[analytics.Dim]**string{analytics.DimFunction: &k.Function, analytics.DimTeam: &k.Team,
		analytics.DimRegion: &k.Region, analytics.DimTenure: &k.Tenure, analytics.DimLanguage: &k.Language}
	for _, d := range analytics.Dims {
		if g.Has(d) {
			v := g.Get(d)
			*fields[d] = &v
		}
	}
	return k
}

// Cell is one group in one round: a PublishedCell or a SuppressedCell.
type Cell = any

// PublishedCell is a group whose numbers may be shown. Scores is null in
// an open round (results appear when it closes) and for a group nobody
// was invited to.
type PublishedCell struct {
	Group        GroupKey `json:"group"`
	Label        string   `json:"label"`
	Suppressed   bool     `json:"suppressed"`
	Invited      int      `json:"invited"`
	Responses    int      `json:"responses"`
	ResponseRate *float64 `json:"response_rate"`
	Scores       *Scores  `json:"scores"`
}

// SuppressedCell is a hidden group: no number at all, and the true reason
// it is hidden.
type SuppressedCell struct {
	Group      GroupKey `json:"group"`
	Label      string   `json:"label"`
	Suppressed bool     `json:"suppressed"`
	Reason     string   `json:"reason"`
	ReasonCode string   `json:"reason_code"`
}

// Hidden says why one number of a published group is withheld: Code is
// fewer_responses, fewer_answers or complementary, Reason says it in words.
// The number's fields are then null or zero.
type Hidden struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// hidden is why's Hidden, or nil for a number that is shown.
func hidden(why analytics.Reason, k int) *Hidden {
	if !why.Hidden() {
		return nil
	}
	return &Hidden{Code: why.Code(), Reason: why.Text(k)}
}

// Scores are a published group's measures in a closed round.
type Scores struct {
	A1                A1Counts     `json:"a1"`
	CompletelyAligned Interval     `json:"completely_aligned"`
	VersusBenchmark   Versus       `json:"versus_benchmark"`
	DistributionFit   *Fit         `json:"distribution_fit"`
	Indices           []IndexScore `json:"indices"`
	// A1Hidden is set when the numbers resting on the A1 answers (a1,
	// completely_aligned, versus_benchmark, distribution_fit) are withheld.
	A1Hidden *Hidden `json:"a1_hidden,omitempty"`
}

// A1Counts are the answers to the benchmark item, level 1 (completely
// aligned) to 4 (constant friction).
type A1Counts struct {
	Counts [analytics.A1Levels]int `json:"counts"`
	N      int                     `json:"n"`
}

// Versus compares the completely-aligned share with the benchmark.
type Versus struct {
	Benchmark float64  `json:"benchmark"`
	P         *float64 `json:"p"`
	Direction string   `json:"direction"` // above, below, not_distinguishable
}

// Fit is the chi-square test of the A1 distribution against the study's;
// Approximate is set when an expected count is below 5.
type Fit struct {
	ChiSquare   *float64 `json:"chi_square"`
	DF          int      `json:"df"`
	P           *float64 `json:"p"`
	Approximate bool     `json:"approximate"`
	// ExactP is the exact multinomial test's p-value where Approximate.
	ExactP *float64 `json:"exact_p"`
}

// IndexScore is one index (0–100): its mean with interval, and Cronbach's
// alpha over AlphaN complete answers (null when undefined).
type IndexScore struct {
	Name        string   `json:"name"`
	Mean        Interval `json:"mean"`
	Alpha       *float64 `json:"alpha"`
	AlphaN      int      `json:"alpha_n"`
	Hidden      *Hidden  `json:"hidden,omitempty"`
	AlphaHidden *Hidden  `json:"alpha_hidden,omitempty"`
}

// cell turns a group's measures into its JSON. known is false when nobody
// in the round has the group's attributes; scores are given only for a
// closed round.
func cell(m *analytics.Measures, known, closed bool, k int) Cell {
	key, label := groupKey(m.Group), m.Group.Label()
	if !known {
		return PublishedCell{Group: key, Label: label}
	}
	if m.Hidden {
		return SuppressedCell{Group: key, Label: label, Suppressed: true, Reason: m.Reason.Text(k), ReasonCode: m.Reason.Code()}
	}
	c := PublishedCell{Group: key, Label: label, Invited: m.Invited, Responses: m.Responses, ResponseRate: num(m.ResponseRate)}
	if closed {
		c.Scores = scores(m, k)
	}
	return c
}

func scores(m *analytics.Measures, k int) *Scores {
	s := &Scores{A1: A1Counts{Counts: m.A1, N: m.A1N}, CompletelyAligned: interval(m.Share),
		VersusBenchmark: Versus{Benchmark: survey.BenchmarkCompletelyAligned, P: num(m.Versus.P), Direction: direction(m.Versus.Direction)},
		A1Hidden:        hidden(m.A1Hidden, k)}
	if m.FitOK {
		s.DistributionFit = &Fit{ChiSquare: num(m.Fit.Stat), DF: m.Fit.DF, P: num(m.Fit.P), Approximate: m.SmallExpected, ExactP: num(m.FitExactP)}
	}
	for _, im := range m.Indices {
		s.Indices = append(s.Indices, IndexScore{Name: im.Name, Mean: interval(im.Mean), Alpha: num(im.Alpha), AlphaN: im.AlphaN,
			Hidden: hidden(im.Hidden, k), AlphaHidden: hidden(im.AlphaHidden, k)})
	}
	return s
}

func direction(d int) string {
	switch d {
	case 1:
		return "above"
	case -1:
		return "below"
	}
	return "not_distinguishable"
}

// Difference is a change or gap with whether its interval excludes zero;
// Hidden says why it is withheld (either round's number is).
type Difference struct {
	Difference  Interval `json:"difference"`
	Significant bool     `json:"significant"`
	Hidden      *Hidden  `json:"hidden,omitempty"`
}

// Change is the filtered group's change since the previous closed round:
// the completely-aligned share in fractions, the indices in points.
type Change struct {
	From              string            `json:"from"`
	CompletelyAligned Difference        `json:"completely_aligned"`
	Indices           []NamedDifference `json:"indices"`
}

// NamedDifference is the Difference of one index.
type NamedDifference struct {
	Name string `json:"name"`
	Difference
}

func change(c *analytics.Change, k int) *Change {
	if c == nil {
		return nil
	}
	out := &Change{From: c.From, CompletelyAligned: Difference{interval(c.Share), c.ShareSignificant(), hidden(c.ShareHidden, k)}}
	for i, iv := range c.Indices {
		out.Indices = append(out.Indices, NamedDifference{analytics.IndexNames[i],
			Difference{interval(iv), c.IndexSignificant(i), hidden(c.IndexHidden[i], k)}})
	}
	return out
}

// Gap is the perception gap of one index: sales minus product. Hidden
// says why it is withheld (either side is): its numbers are then null.
type Gap struct {
	Index       string   `json:"index"`
	Sales       Interval `json:"sales"`
	Product     Interval `json:"product"`
	Difference  Interval `json:"difference"`
	Significant bool     `json:"significant"`
	Hidden      *Hidden  `json:"hidden,omitempty"`
}

func gaps(gs []analytics.Gap, k int) []Gap {
	out := []Gap{}
	for _, g := range gs {
		out = append(out, Gap{Index: g.Index, Sales: interval(g.Sales), Product: interval(g.Product),
			Difference: interval(g.Diff), Significant: g.Significant(), Hidden: hidden(g.Hidden, k)})
	}
	return out
}

// Benchmark is the study's completely-aligned share with its own
// uncertainty, its four A1 shares and its source.
type Benchmark struct {
	CompletelyAligned Interval                    `json:"completely_aligned"`
	Shares            [analytics.A1Levels]float64 `json:"shares"`
	Source            string                      `json:"source"`
}

func benchmark() Benchmark {
	return Benchmark{CompletelyAligned: interval(analytics.BenchmarkInterval()), Shares: survey.BenchmarkShares, Source: survey.BenchmarkSource}
}

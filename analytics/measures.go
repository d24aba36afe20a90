package analytics

import (
	"errors"
	"math"

	"accord/analytics/stats"
	"accord/survey"
)

// IndexMeasure is one index of a group in one round.
type IndexMeasure struct {
	Name    string
	Summary stats.Summary  // respondents' index scores, 0–100
	Mean    stats.Interval // mean with its 95% t interval, kept within 0–100
	// Alpha is Cronbach's alpha of the index's items over AlphaN
	// respondents who answered them all; NaN when undefined, and for the
	// alignment index, which has one item.
	Alpha  float64
	AlphaN int
}

// Measures are the numbers of one group in one round. A hidden group has
// Hidden set and nothing else but its key and Invited: the rollup never
// held its numbers.
type Measures struct {
	Group          Group
	Hidden         bool
	CommentsHidden bool
	Invited        int
	Responses      int
	ResponseRate   float64 // responses / invited; NaN without invitations

	A1     [A1Levels]int
	A1N    int
	Share  stats.Interval // completely aligned: A1 level 1, Wilson interval
	Versus Versus         // Share against the benchmark, exact binomial test
	// Fit tests the A1 distribution against the study's; FitOK is false
	// when there are no A1 answers. SmallExpected warns that an expected
	// count is below 5, where the chi-square approximation is unreliable.
	Fit           stats.ChiSquareResult
	FitOK         bool
	SmallExpected bool
	Indices       [4]IndexMeasure // IndexNames order: alignment, trust, information, process
}

// countsOf turns a rollup cell into its counts and response rate only:
// what a response-rate series needs, without the cost of the tests.
func countsOf(c *survey.RollupCell) Measures {
	m := Measures{Group: Group{Fixed: Dim(c.Fixed), Attrs: Attrs{c.Function, c.Team, c.Region, c.TenureBand}},
		Hidden: c.Hidden, CommentsHidden: c.CommentsHidden, Invited: c.Invited, ResponseRate: math.NaN()}
	if c.Hidden {
		return m
	}
	m.Responses = c.Responses
	if c.Invited > 0 {
		m.ResponseRate = float64(c.Responses) / float64(c.Invited)
	}
	return m
}

// measuresOf turns a rollup cell into measures.
func measuresOf(c *survey.RollupCell) Measures {
	m := countsOf(c)
	if c.Hidden {
		return m
	}
	m.A1 = [A1Levels]int{c.A1Level1, c.A1Level2, c.A1Level3, c.A1Level4}
	var align stats.Summary
	for i, n := range m.A1 {
		m.A1N += n
		x := AlignmentScore(i + 1)
		align = align.Merge(stats.Summary{N: n, Sum: float64(n) * x, SumSq: float64(n) * x * x})
	}
	m.Share = stats.Wilson(m.A1[0], m.A1N, ConfidenceLevel)
	m.Versus = CompareShare(m.A1[0], m.A1N)
	if fit, err := stats.ChiSquareGoodnessOfFit(m.A1[:], survey.BenchmarkShares[:]); err == nil {
		m.Fit, m.FitOK, m.SmallExpected = fit, true, fit.MinExpected < 5
	} else if !errors.Is(err, stats.ErrNoData) {
		panic(err) // four positive shares and counts: cannot happen
	}
	m.Indices[0] = indexMeasure(survey.IndexAlignment, align, nil, 0)
	m.Indices[1] = indexMeasure(survey.IndexTrust, stats.Summary{N: c.TrustN, Sum: c.TrustSum, SumSq: c.TrustSumSq}, c.TrustAlpha, c.TrustAlphaN)
	m.Indices[2] = indexMeasure(survey.IndexInformation, stats.Summary{N: c.InformationN, Sum: c.InformationSum, SumSq: c.InformationSumSq}, c.InformationAlpha, c.InformationAlphaN)
	m.Indices[3] = indexMeasure(survey.IndexProcess, stats.Summary{N: c.ProcessN, Sum: c.ProcessSum, SumSq: c.ProcessSumSq}, c.ProcessAlpha, c.ProcessAlphaN)
	return m
}

func indexMeasure(name string, s stats.Summary, alpha *float64, alphaN int) IndexMeasure {
	im := IndexMeasure{Name: name, Summary: s, Mean: clip(stats.MeanInterval(s, ConfidenceLevel), 0, 100),
		Alpha: math.NaN(), AlphaN: alphaN}
	if alpha != nil {
		im.Alpha = *alpha
	}
	return im
}

// clip keeps an interval's bounds within the scale: a mean of scores
// between 0 and 100 cannot lie outside it, whatever the t interval says.
func clip(iv stats.Interval, lo, hi float64) stats.Interval {
	iv.Low = math.Max(lo, iv.Low)
	iv.High = math.Min(hi, iv.High)
	return iv
}

// CompareShare tests a completely-aligned count against the benchmark with
// an exact two-sided binomial test (DESIGN §3).
func CompareShare(aligned, n int) Versus {
	p := stats.BinomialTest(aligned, n, survey.BenchmarkCompletelyAligned)
	v := Versus{P: p}
	if n > 0 && p < 1-ConfidenceLevel {
		v.Direction = 1
		if float64(aligned)/float64(n) < survey.BenchmarkCompletelyAligned {
			v.Direction = -1
		}
	}
	return v
}

// Change is the difference of a group's measures from one round to the
// next. Responses in two rounds are treated as independent samples: they
// cannot be paired (responses are anonymous), and people who answer both
// times make the true interval narrower, so these intervals are cautious.
type Change struct {
	From    string         // title of the earlier round
	Share   stats.Interval // completely aligned, Newcombe interval, as a fraction
	Indices [4]stats.Interval
}

// ShareSignificant reports whether the completely-aligned share changed:
// its interval excludes zero.
func (c *Change) ShareSignificant() bool { return c.Share.Excludes(0) }

// IndexSignificant reports whether index i changed: its interval excludes zero.
func (c *Change) IndexSignificant(i int) bool { return c.Indices[i].Excludes(0) }

func changeOf(from string, before, after *Measures) *Change {
	c := &Change{From: from,
		Share: stats.ProportionDifference(after.A1[0], after.A1N, before.A1[0], before.A1N, ConfidenceLevel)}
	for i := range c.Indices {
		c.Indices[i] = stats.MeanDifference(after.Indices[i].Summary, before.Indices[i].Summary, ConfidenceLevel)
	}
	return c
}

// Gap is the perception gap of one index: how sales sees it minus how
// product sees it, with Welch's interval.
type Gap struct {
	Index          string
	Sales, Product stats.Interval
	Diff           stats.Interval
}

// Significant reports whether the gap's interval excludes zero.
func (g Gap) Significant() bool { return g.Diff.Excludes(0) }

func gapsOf(sales, product *Measures) []Gap {
	gaps := make([]Gap, len(IndexNames))
	for i := range gaps {
		s, p := sales.Indices[i], product.Indices[i]
		gaps[i] = Gap{Index: IndexNames[i], Sales: s.Mean, Product: p.Mean,
			Diff: stats.MeanDifference(s.Summary, p.Summary, ConfidenceLevel)}
	}
	return gaps
}

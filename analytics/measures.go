package analytics

import (
	"errors"
	"math"

	"accord/analytics/stats"
	"accord/survey"
)

// IndexMeasure is one index of a group in one round.
type IndexMeasure struct {
	Name string
	// Hidden says why the index is hidden (Shown when it is not); a hidden
	// index has no numbers: its Mean and Alpha are NaN.
	Hidden  Reason
	Summary stats.Summary  // respondents' index scores, 0–100
	Mean    stats.Interval // mean with its 95% t interval, kept within 0–100
	// Alpha is Cronbach's alpha of the index's items over AlphaN
	// respondents who answered them all; NaN when undefined, and for the
	// alignment index, which has one item.
	Alpha  float64
	AlphaN int
	// AlphaInterval is Feldt's 95% interval of Alpha (NaN bounds when
	// Alpha is NaN): alpha over a few people is a rough figure.
	AlphaInterval stats.Interval
	// AlphaHidden is FewAnswers when fewer than k respondents answered
	// every item: alpha is then NaN.
	AlphaHidden Reason
}

// Measures are the numbers of one group in one round. A hidden group has
// Hidden set, its Reason, and nothing else but its key and Invited: the
// rollup never held its numbers. A published group may still have some
// numbers hidden (A1Hidden, IndexMeasure.Hidden): too few of its people
// answered the questions behind them, or complementary suppression.
type Measures struct {
	Group          Group
	Hidden         bool
	Reason         Reason // why the group is hidden; Shown when it is not
	CommentsHidden bool
	Invited        int
	Responses      int
	ResponseRate   float64 // responses / invited; NaN without invitations

	// A1Hidden says why the numbers resting on the A1 answers are hidden:
	// the counts, the share, the benchmark tests and the alignment index.
	A1Hidden Reason
	A1       [A1Levels]int
	A1N      int
	Share    stats.Interval // completely aligned: A1 level 1, Wilson interval
	Versus   Versus         // Share against the benchmark, exact binomial test
	// Fit tests the A1 distribution against the study's; FitOK is false
	// when there are no A1 answers. SmallExpected warns that an expected
	// count is below 5, where the chi-square approximation is unreliable.
	Fit           stats.ChiSquareResult
	FitOK         bool
	SmallExpected bool
	// FitExactP is the exact multinomial test's p-value, computed (by
	// exactFit, for the group a dashboard shows: it costs milliseconds)
	// where SmallExpected makes the chi-square one unreliable; NaN
	// elsewhere. Surfaces show it beside Fit.P when it is a number.
	FitExactP float64
	Indices   [4]IndexMeasure // IndexNames order: alignment, trust, information, process
}

// countsOf turns a rollup cell into its counts and response rate only:
// what a response-rate series needs, without the cost of the tests.
func countsOf(c *RollupCell) Measures {
	m := Measures{Group: Group{Fixed: Dim(c.Fixed), Attrs: Attrs{c.Function, c.Team, c.Region, c.TenureBand, c.Language}},
		Hidden: c.Hidden, CommentsHidden: c.CommentsHidden, Invited: c.Invited, ResponseRate: math.NaN()}
	if c.Hidden {
		m.Reason = Reason(c.HiddenReason)
		if !m.Reason.Hidden() {
			m.Reason = FewResponses // a cell stored before reasons were
		}
		return m
	}
	m.Responses = c.Responses
	if c.Invited > 0 {
		m.ResponseRate = float64(c.Responses) / float64(c.Invited)
	}
	return m
}

// measuresOf turns a rollup cell into measures, for an organisation whose
// minimum group size is k. The rollup holds no hidden number; a number
// resting on fewer than k people is hidden here too, whatever the cell
// holds, so that this layer alone keeps the threshold.
func measuresOf(c *RollupCell, k int) Measures {
	m := countsOf(c)
	if c.Hidden {
		m.A1Hidden = m.Reason
		for i := range m.Indices {
			m.Indices[i] = hiddenIndex(IndexNames[i], m.Reason)
		}
		return m
	}
	why := cellReasons(c, k)
	if m.A1Hidden = why[0]; m.A1Hidden.Hidden() {
		m.Share = nanInterval()
		m.Versus = Versus{P: math.NaN()}
		m.FitExactP = math.NaN()
		m.Indices[0] = hiddenIndex(survey.IndexAlignment, m.A1Hidden)
	} else {
		m.A1 = [A1Levels]int{c.A1Level1, c.A1Level2, c.A1Level3, c.A1Level4}
		var align stats.Summary
		for i, n := range m.A1 {
			m.A1N += n
			x := AlignmentScore(i + 1)
			align = align.Merge(stats.Summary{N: n, Sum: float64(n) * x, SumSq: float64(n) * x * x})
		}
		m.Share = stats.Wilson(m.A1[0], m.A1N, ConfidenceLevel)
		m.Versus = CompareShare(m.A1[0], m.A1N)
		m.FitExactP = math.NaN()
		if fit, err := stats.ChiSquareGoodnessOfFit(m.A1[:], survey.BenchmarkShares[:]); err == nil {
			m.Fit, m.FitOK, m.SmallExpected = fit, true, fit.MinExpected < 5
		} else if !errors.Is(err, stats.ErrNoData) {
			panic(err) // four positive shares and counts: cannot happen
		}
		m.Indices[0] = indexMeasure(survey.IndexAlignment, Shown, align, nil, 0, k)
	}
	sums := cellSummaries(c)
	alphas := [4]*float64{nil, c.TrustAlpha, c.InformationAlpha, c.ProcessAlpha}
	alphaNs := [4]int{0, c.TrustAlphaN, c.InformationAlphaN, c.ProcessAlphaN}
	for i := 1; i < len(m.Indices); i++ {
		m.Indices[i] = indexMeasure(IndexNames[i], why[i], sums[i], alphas[i], alphaNs[i], k)
	}
	return m
}

// exactFit adds the exact multinomial test to m's fit where expected
// counts are small.
func exactFit(m *Measures) {
	m.FitExactP = math.NaN()
	if m.FitOK && m.SmallExpected && !m.A1Hidden.Hidden() {
		m.FitExactP = stats.MultinomialExactTest(m.A1[:], survey.BenchmarkShares[:])
	}
}

// cellReasons says why each index of a published cell is hidden, in
// IndexNames order (the alignment index's reason is the A1 answers'): the
// reason the rollup stored, or FewAnswers where a number it holds rests on
// fewer than k people. Every reader of scores asks it.
func cellReasons(c *RollupCell, k int) [4]Reason {
	stored := [4]Reason{Reason(c.A1Hidden), Reason(c.TrustHidden), Reason(c.InformationHidden), Reason(c.ProcessHidden)}
	for i, s := range cellSummaries(c) {
		if !stored[i].Hidden() && s.N < k {
			stored[i] = FewAnswers
		}
	}
	return stored
}

func indexMeasure(name string, why Reason, s stats.Summary, alpha *float64, alphaN, k int) IndexMeasure {
	if why.Hidden() {
		return hiddenIndex(name, why)
	}
	im := IndexMeasure{Name: name, Summary: s, Mean: indexInterval(s), Alpha: math.NaN(), AlphaN: alphaN}
	switch {
	case alphaN < k && name != survey.IndexAlignment:
		im.AlphaHidden = FewAnswers
	case alpha != nil:
		im.Alpha = *alpha
	}
	im.AlphaInterval = stats.FeldtInterval(im.Alpha, alphaN, indexItems(name), ConfidenceLevel)
	return im
}

// indexInterval is an index's mean with Student's t interval, kept within
// 0–100, except where every answer is the same: the t interval then has
// zero width ("100.0–100.0"), a certainty five identical answers cannot
// give, and the bounded-mean interval (stats.BoundedMeanInterval), which
// widens with 1/√n, is used instead.
func indexInterval(s stats.Summary) stats.Interval {
	if s.N >= 2 && s.Variance() == 0 {
		return stats.BoundedMeanInterval(s, 0, 100, ConfidenceLevel)
	}
	return clip(stats.MeanInterval(s, ConfidenceLevel), 0, 100)
}

// indexDifference is a minus b with Welch's interval, except where both
// sides have no spread: Welch's interval then has zero width, and the
// MOVER interval built from the two sides' intervals is used instead.
func indexDifference(a, b IndexMeasure) stats.Interval {
	if a.Summary.N >= 2 && b.Summary.N >= 2 && a.Summary.Variance() == 0 && b.Summary.Variance() == 0 {
		return stats.DifferenceOf(a.Mean, b.Mean)
	}
	return stats.MeanDifference(a.Summary, b.Summary, ConfidenceLevel)
}

// indexItems is how many items index name has in the built-in pulse (its
// questions cannot change, so every version has the same).
func indexItems(name string) int {
	n := 0
	for _, q := range survey.PulseQuestions() {
		if q.Index == name && q.Kind == survey.KindLikert {
			n++
		}
	}
	return n
}

// hiddenIndex is an index hidden for why: no numbers.
func hiddenIndex(name string, why Reason) IndexMeasure {
	return IndexMeasure{Name: name, Hidden: why, Mean: nanInterval(), Alpha: math.NaN(), AlphaInterval: nanInterval()}
}

func nanInterval() stats.Interval {
	return stats.Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN()}
}

// clip keeps an interval's bounds within the scale: a mean of scores
// between 0 and 100 cannot lie outside it, whatever the t interval says.
// Infinite bounds (an interval that cannot be estimated) stay infinite, so
// that they read as undefined rather than as "0–100".
func clip(iv stats.Interval, lo, hi float64) stats.Interval {
	if !math.IsInf(iv.Low, -1) {
		iv.Low = math.Max(lo, iv.Low)
	}
	if !math.IsInf(iv.High, 1) {
		iv.High = math.Min(hi, iv.High)
	}
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
// A change rests on the people behind both rounds' numbers: it is hidden
// (its interval NaN) when either is.
type Change struct {
	From        string         // title of the earlier round
	Share       stats.Interval // completely aligned, Newcombe interval, as a fraction
	ShareHidden Reason
	Indices     [4]stats.Interval
	IndexHidden [4]Reason
	// Q are the Benjamini–Hochberg adjusted p-values of the five changes
	// shown (the share's from the pooled z test, the indices' from Welch's
	// test), share first: the change table tests five things at once, and
	// false discoveries are controlled across them. NaN where hidden.
	Q [5]float64
}

// ShareSignificant reports whether the completely-aligned share changed:
// its interval excludes zero and it survives the false-discovery control.
func (c *Change) ShareSignificant() bool {
	return !c.ShareHidden.Hidden() && c.Share.Excludes(0) && c.Q[0] < 1-ConfidenceLevel
}

// IndexSignificant reports whether index i changed: its interval excludes
// zero and it survives the false-discovery control.
func (c *Change) IndexSignificant(i int) bool {
	return !c.IndexHidden[i].Hidden() && c.Indices[i].Excludes(0) && c.Q[i+1] < 1-ConfidenceLevel
}

func changeOf(from string, before, after *Measures) *Change {
	c := &Change{From: from, Share: nanInterval(), ShareHidden: either(after.A1Hidden, before.A1Hidden)}
	ps := []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	if !c.ShareHidden.Hidden() {
		c.Share = stats.ProportionDifference(after.A1[0], after.A1N, before.A1[0], before.A1N, ConfidenceLevel)
		ps[0] = stats.TwoProportionTest(after.A1[0], after.A1N, before.A1[0], before.A1N)
	}
	for i := range c.Indices {
		a, b := after.Indices[i], before.Indices[i]
		c.Indices[i], c.IndexHidden[i] = nanInterval(), either(a.Hidden, b.Hidden)
		if !c.IndexHidden[i].Hidden() {
			c.Indices[i] = indexDifference(a, b)
			ps[i+1] = stats.WelchTest(a.Summary, b.Summary)
		}
	}
	copy(c.Q[:], stats.BenjaminiHochberg(ps))
	return c
}

// Gap is the perception gap of one index: how sales sees it minus how
// product sees it, with Welch's interval. It rests on both sides: Hidden
// says why when either side's index is hidden, and its intervals are NaN.
type Gap struct {
	Index  string
	Hidden Reason
	// SalesHidden and ProductHidden say which side is hidden, and why.
	SalesHidden, ProductHidden Reason
	Sales, Product             stats.Interval
	Diff                       stats.Interval
}

// Significant reports whether the gap's interval excludes zero.
func (g Gap) Significant() bool { return !g.Hidden.Hidden() && g.Diff.Excludes(0) }

func gapsOf(sales, product *Measures) []Gap {
	gaps := make([]Gap, len(IndexNames))
	for i := range gaps {
		s, p := sales.Indices[i], product.Indices[i]
		gaps[i] = Gap{Index: IndexNames[i], Hidden: either(s.Hidden, p.Hidden), SalesHidden: s.Hidden, ProductHidden: p.Hidden,
			Sales: nanInterval(), Product: nanInterval(), Diff: nanInterval()}
		if !gaps[i].Hidden.Hidden() {
			gaps[i].Sales, gaps[i].Product = s.Mean, p.Mean
			gaps[i].Diff = indexDifference(s, p)
		}
	}
	return gaps
}

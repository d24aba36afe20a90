package analytics

import (
	"math"
	"testing"

	"accord/analytics/stats"
	"accord/survey"
)

// TestMeasuresHideWhatRestsOnFewerThanK: the reading layer keeps the
// threshold by itself: a cell that holds a number resting on fewer than k
// people (one stored by an older algorithm, say) is read as hidden for
// fewer answers, with no number left, and an alpha over fewer than k
// complete answers is withheld.
func TestMeasuresHideWhatRestsOnFewerThanK(t *testing.T) {
	t.Parallel()
	one := 0.8
	c := RollupCell{Responses: 6, A1Level2: 6,
		TrustN: 1, TrustSum: 87.5, TrustSumSq: 87.5 * 87.5,
		InformationN: 6, InformationSum: 300, InformationSumSq: 15100, InformationAlpha: &one, InformationAlphaN: 4,
		ProcessHidden: int16(Complementary)}
	m := measuresOf(&c, 5)
	trust := m.Indices[1]
	if trust.Hidden != FewAnswers || !math.IsNaN(trust.Mean.Estimate) || trust.Summary.N != 0 {
		t.Errorf("trust over one person: %+v, want hidden for fewer answers with no number", trust)
	}
	if info := m.Indices[2]; info.Hidden.Hidden() || info.AlphaHidden != FewAnswers || !math.IsNaN(info.Alpha) {
		t.Errorf("information with alpha over 4 complete answers: %+v, want the index shown and alpha withheld", info)
	}
	if p := m.Indices[3]; p.Hidden != Complementary {
		t.Errorf("process stored as hidden: %+v", p)
	}
	if m.A1Hidden.Hidden() || m.A1N != 6 {
		t.Errorf("A1 over six people hidden: %v", m.A1Hidden)
	}
}

// TestClipKeepsUndefinedBounds: an interval that cannot be estimated (one
// answer) stays unbounded rather than reading "0.0–100.0".
func TestClipKeepsUndefinedBounds(t *testing.T) {
	t.Parallel()
	iv := stats.Interval{Estimate: 87.5, Low: math.Inf(-1), High: math.Inf(1), N: 1}
	if got := clip(iv, 0, 100); !math.IsInf(got.Low, -1) || !math.IsInf(got.High, 1) {
		t.Errorf("clip of an unbounded interval = [%v, %v], want it unbounded", got.Low, got.High)
	}
}

// TestStatementsHideWhatRestsOnFewerThanK: the insight reader keeps the
// threshold by itself for statements and drivers too, whatever a row holds.
func TestStatementsHideWhatRestsOnFewerThanK(t *testing.T) {
	t.Parallel()
	row := RollupItem{Answers4: 3, Answers5: 1, PairN: 4, PairSumX: 300, PairSumY: 300, PairSumXX: 23750, PairSumYY: 25000, PairSumXY: 23000}
	if m := statementMeasure(&row, Shown, 5); m.Hidden != FewAnswers || m.N != 0 || !math.IsNaN(m.Mean.Estimate) {
		t.Errorf("statement over 4 people: %+v, want hidden for fewer answers with no number", m)
	}
	if m := statementMeasure(nil, Shown, 5); m.Hidden != FewAnswers {
		t.Errorf("statement not asked: %+v, want hidden", m)
	}
	if m := statementMeasure(&row, Complementary, 3); m.Hidden != Complementary || m.N != 0 {
		t.Errorf("statement of a hidden group: %+v, want the group's reason", m)
	}
	if m := statementMeasure(&RollupItem{Answers5: 6}, Shown, 5); m.Hidden.Hidden() || !(m.Mean.Low < 100) || m.Mean.High != 100 {
		t.Errorf("six answers all 'strongly agree': %+v, want an interval below 100, never 100–100", m.Mean)
	}
}

// TestNoZeroWidthIntervals: an index whose answers are all the same, and
// the gap or change between two such indices, get intervals that reflect
// n, never "100.0–100.0" called significant.
func TestNoZeroWidthIntervals(t *testing.T) {
	t.Parallel()
	same := func(n int, x float64) stats.Summary {
		return stats.Summary{N: n, Sum: float64(n) * x, SumSq: float64(n) * x * x}
	}
	a := indexMeasure(survey.IndexTrust, Shown, same(6, 100), nil, 0, 5)
	if !(a.Mean.Low < 100) || a.Mean.High != 100 || a.Mean.Estimate != 100 {
		t.Errorf("six answers of 100: %+v, want an interval reaching below 100", a.Mean)
	}
	wide := indexMeasure(survey.IndexTrust, Shown, same(6, 100), nil, 0, 5).Mean
	narrow := indexMeasure(survey.IndexTrust, Shown, same(60, 100), nil, 0, 5).Mean
	if !(narrow.Low > wide.Low) {
		t.Errorf("60 answers [%v, 100] not narrower than 6 [%v, 100]", narrow.Low, wide.Low)
	}
	b := indexMeasure(survey.IndexTrust, Shown, same(6, 75), nil, 0, 5)
	if d := indexDifference(a, b); !(d.High > d.Low) || d.Estimate != 25 {
		t.Errorf("difference of two flat groups: %+v, want a real interval", d)
	}
}

// TestAlphaHasFeldtInterval: alpha comes with Feldt's interval, wide over
// few people, and none where alpha is withheld.
func TestAlphaHasFeldtInterval(t *testing.T) {
	t.Parallel()
	a := 0.8
	few := indexMeasure(survey.IndexTrust, Shown, stats.Summary{N: 6, Sum: 300, SumSq: 16000}, &a, 6, 5)
	many := indexMeasure(survey.IndexTrust, Shown, stats.Summary{N: 60, Sum: 3000, SumSq: 160000}, &a, 60, 5)
	if !(few.AlphaInterval.Low < many.AlphaInterval.Low) || !(few.AlphaInterval.High > 0.8) || few.AlphaInterval.Low >= 0.8 {
		t.Errorf("alpha intervals over 6 %+v and 60 %+v", few.AlphaInterval, many.AlphaInterval)
	}
	if w := indexMeasure(survey.IndexTrust, Shown, stats.Summary{N: 6, Sum: 300, SumSq: 16000}, &a, 4, 5); !math.IsNaN(w.AlphaInterval.Low) {
		t.Errorf("withheld alpha has an interval %+v", w.AlphaInterval)
	}
}

// TestChangeTableControlsFalseDiscoveries: a share change whose interval
// just excludes zero is not called significant when it does not survive
// Benjamini–Hochberg across the five changes of the table.
func TestChangeTableControlsFalseDiscoveries(t *testing.T) {
	t.Parallel()
	measures := func(aligned int) *Measures {
		m := &Measures{A1: [A1Levels]int{aligned, 100 - aligned}, A1N: 100}
		for i := range m.Indices {
			m.Indices[i] = indexMeasure(IndexNames[i], Shown, stats.Summary{N: 100, Sum: 5000, SumSq: 100 * (2500 + 400)}, nil, 0, 5)
		}
		return m
	}
	c := changeOf("R0", measures(18), measures(30))
	if !c.Share.Excludes(0) || c.ShareSignificant() || !(c.Q[0] > 0.05) {
		t.Errorf("share change %+v q %v: want an interval excluding 0 but no significance after BH", c.Share, c.Q)
	}
	if lone := stats.TwoProportionTest(30, 100, 18, 100); !(lone < 0.05) {
		t.Fatalf("fixture: the share change alone has p %v, want < 0.05", lone)
	}
}

// TestSmallExpectedCountsGetTheExactTest: where an expected count is
// below 5 the fit carries the exact multinomial p-value.
func TestSmallExpectedCountsGetTheExactTest(t *testing.T) {
	t.Parallel()
	c := RollupCell{Responses: 10, A1Level1: 3, A1Level2: 5, A1Level3: 1, A1Level4: 1}
	m := measuresOf(&c, 5)
	exactFit(&m)
	if !m.SmallExpected || math.IsNaN(m.FitExactP) || m.FitExactP == m.Fit.P {
		t.Errorf("fit %+v exact p %v; want the exact test beside the approximate one", m.Fit, m.FitExactP)
	}
	big := RollupCell{Responses: 400, A1Level1: 40, A1Level2: 250, A1Level3: 95, A1Level4: 15}
	m = measuresOf(&big, 5)
	if exactFit(&m); m.SmallExpected || !math.IsNaN(m.FitExactP) {
		t.Errorf("400 answers: small %v exact p %v; want chi-square alone", m.SmallExpected, m.FitExactP)
	}
}

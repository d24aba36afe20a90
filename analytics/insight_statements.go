package analytics

import (
	"math"
	"slices"

	"accord/analytics/stats"
	"accord/survey"
)

// StatementResult is one agree–disagree statement in the round shown: how
// the filtered group answered it, how sales and product did side by side,
// and its change since the previous closed round.
type StatementResult struct {
	Key, Prompt string
	Index       string // the index it belongs to; "" for the organisation's own statements
	Custom      bool
	All         StatementMeasure
	Sales       StatementMeasure
	Product     StatementMeasure
	// Gap is the sales mean minus the product mean (MOVER interval from
	// the two sides' intervals); GapHidden says why when a side is hidden.
	Gap       stats.Interval
	GapHidden Reason
	// Change is nil when there is no previous closed round.
	Change *StatementChange
}

// StatementMeasure is one group's answers to one statement. A hidden
// measure has Hidden set and no numbers (Mean NaN).
type StatementMeasure struct {
	Hidden  Reason
	N       int
	Answers [survey.LikertPoints]int // strongly disagree … strongly agree
	// Disagree, Neutral and Agree are the shares of answers at 1–2, 3 and
	// 4–5, as fractions: the diverging bar.
	Disagree, Neutral, Agree float64
	// Mean is the mean on 0–100 with the bounded-mean interval
	// (stats.BoundedMeanInterval): never of zero width.
	Mean stats.Interval
}

// StatementChange is a statement's change in mean since the previous
// closed round, resting on both rounds' numbers.
type StatementChange struct {
	From   string
	Hidden Reason
	Diff   stats.Interval // MOVER interval of the difference of means, 0–100 points
	// P is Welch's p-value and Q its Benjamini–Hochberg adjustment across
	// the statements' changes shown; Significant needs both Q < 0.05 and an
	// interval that excludes 0.
	P, Q        float64
	Significant bool
}

// Summary returns the statistics of the answers' scores on 0–100.
func (m StatementMeasure) Summary() stats.Summary {
	var s stats.Summary
	for i, n := range m.Answers {
		x := LikertScore(i + 1)
		s = s.Merge(stats.Summary{N: n, Sum: float64(n) * x, SumSq: float64(n) * x * x})
	}
	return s
}

// statementMeasure reads a row for a group published with why (its cell's
// reason): the row's own reason, and FewAnswers for a number resting on
// fewer than k people whatever the row holds.
func statementMeasure(r *RollupItem, groupHidden Reason, k int) StatementMeasure {
	m := StatementMeasure{Hidden: groupHidden, Mean: nanInterval()}
	if groupHidden.Hidden() {
		return m
	}
	if r == nil {
		m.Hidden = FewAnswers // the statement was not asked of this group
		return m
	}
	if m.Hidden = Reason(r.Hidden); m.Hidden.Hidden() {
		return m
	}
	m.Answers = [survey.LikertPoints]int{r.Answers1, r.Answers2, r.Answers3, r.Answers4, r.Answers5}
	for _, n := range m.Answers {
		m.N += n
	}
	if m.N < k {
		return StatementMeasure{Hidden: FewAnswers, Mean: nanInterval()}
	}
	n := float64(m.N)
	m.Disagree = float64(m.Answers[0]+m.Answers[1]) / n
	m.Neutral = float64(m.Answers[2]) / n
	m.Agree = float64(m.Answers[3]+m.Answers[4]) / n
	m.Mean = stats.BoundedMeanInterval(m.Summary(), 0, 100, ConfidenceLevel)
	return m
}

// groupReason is why a group's numbers are all hidden (Shown when its
// cell is published).
func groupReason(m *Measures, known bool) Reason {
	switch {
	case !known:
		return FewResponses
	case m.Hidden:
		return m.Reason
	}
	return Shown
}

func statementResults(d *Dashboard, qs []statementQuestion, rows statementRowMap, sales, product *Measures) []StatementResult {
	f, k := d.Filter, d.K
	all := groupReason(&d.Current.Measures, d.Current.Known)
	out := make([]StatementResult, len(qs))
	for i, q := range qs {
		r := StatementResult{Key: q.Key, Prompt: q.Prompt, Index: q.Index, Custom: !survey.IsBuiltIn(q.Key),
			All:     statementMeasure(rows.get(d.Round.ID, f, q.Key), all, k),
			Sales:   statementMeasure(rows.get(d.Round.ID, sales.Group, q.Key), groupReason(sales, true), k),
			Product: statementMeasure(rows.get(d.Round.ID, product.Group, q.Key), groupReason(product, true), k)}
		r.GapHidden = either(r.Sales.Hidden, r.Product.Hidden)
		r.Gap = nanInterval()
		if !r.GapHidden.Hidden() {
			r.Gap = stats.DifferenceOf(r.Sales.Mean, r.Product.Mean)
		}
		if p := d.Previous; p != nil {
			before := statementMeasure(rows.get(p.Round.ID, f, q.Key), groupReason(&p.Measures, p.Known), k)
			c := &StatementChange{From: p.Round.Title, Hidden: either(r.All.Hidden, before.Hidden),
				Diff: nanInterval(), P: math.NaN(), Q: math.NaN()}
			if !c.Hidden.Hidden() {
				c.Diff = stats.DifferenceOf(r.All.Mean, before.Mean)
				c.P = stats.WelchTest(r.All.Summary(), before.Summary())
			}
			r.Change = c
		}
		out[i] = r
	}
	controlChanges(out)
	return out
}

// controlChanges adjusts the statements' change p-values for the number of
// changes shown (Benjamini–Hochberg) and decides which are significant.
func controlChanges(rs []StatementResult) {
	ps := make([]float64, len(rs))
	for i, r := range rs {
		ps[i] = math.NaN()
		if r.Change != nil {
			ps[i] = r.Change.P
		}
	}
	qs := stats.BenjaminiHochberg(ps)
	for i := range rs {
		if c := rs[i].Change; c != nil {
			c.Q = qs[i]
			c.Significant = !c.Hidden.Hidden() && c.Q < 1-ConfidenceLevel && c.Diff.Excludes(0)
		}
	}
}

// Driver is how strongly a statement goes with the alignment answer (A1)
// in the filtered group: Pearson's correlation of the statement's score
// with the alignment score over the people who answered both, with its
// Fisher-z interval, whose width reflects how many they are. It is an
// association, not proof of cause.
type Driver struct {
	Key, Prompt string
	Hidden      Reason
	R           stats.Interval
	// P is the correlation's p-value, Q its Benjamini–Hochberg adjustment
	// across the drivers shown; Significant is Q < 0.05.
	P, Q        float64
	Significant bool
}

func drivers(rs []StatementResult, rows statementRowMap, d *Dashboard) []Driver {
	all := groupReason(&d.Current.Measures, d.Current.Known)
	out := make([]Driver, len(rs))
	ps := make([]float64, len(rs))
	for i, s := range rs {
		dr := Driver{Key: s.Key, Prompt: s.Prompt, Hidden: all, R: nanInterval(), P: math.NaN(), Q: math.NaN()}
		if r := rows.get(d.Round.ID, d.Filter, s.Key); !all.Hidden() {
			dr.Hidden = FewAnswers
			if r != nil {
				dr.Hidden = Reason(r.DriverHidden)
			}
			if r != nil && !dr.Hidden.Hidden() {
				if r.PairN < d.K {
					dr.Hidden = FewAnswers
				} else {
					c := stats.Pearson(stats.Pairs{N: r.PairN, SumX: r.PairSumX, SumY: r.PairSumY,
						SumXX: r.PairSumXX, SumYY: r.PairSumYY, SumXY: r.PairSumXY}, ConfidenceLevel)
					dr.R, dr.P = c.R, c.P
				}
			}
		}
		out[i], ps[i] = dr, dr.P
	}
	qs := stats.BenjaminiHochberg(ps)
	for i := range out {
		out[i].Q = qs[i]
		out[i].Significant = out[i].Q < 1-ConfidenceLevel
	}
	sortDrivers(out)
	return out
}

// MaxFocusAreas is how many focus areas an insight suggests at most.
const MaxFocusAreas = 3

// FocusArea is a statement worth working on: it goes with alignment (a
// significant positive driver) and scores at or below the median statement.
type FocusArea struct {
	Key, Prompt string
	Mean        stats.Interval // the statement's mean, 0–100
	R           stats.Interval // its association with A1
	// Priority is R × (100 − mean) / 100: strong association and low score.
	Priority float64
}

func focusAreas(rs []StatementResult, ds []Driver) []FocusArea {
	var means []float64
	byKey := map[string]*StatementResult{}
	for i := range rs {
		if !rs[i].All.Hidden.Hidden() {
			means = append(means, rs[i].All.Mean.Estimate)
			byKey[rs[i].Key] = &rs[i]
		}
	}
	if len(means) == 0 {
		return nil
	}
	slices.Sort(means)
	median := means[len(means)/2]
	if len(means)%2 == 0 {
		median = (means[len(means)/2-1] + median) / 2
	}
	var out []FocusArea
	for _, d := range ds {
		s := byKey[d.Key]
		if s == nil || d.Hidden.Hidden() || !d.Significant || !(d.R.Estimate > 0) || s.All.Mean.Estimate > median {
			continue
		}
		out = append(out, FocusArea{Key: d.Key, Prompt: d.Prompt, Mean: s.All.Mean, R: d.R,
			Priority: d.R.Estimate * (100 - s.All.Mean.Estimate) / 100})
	}
	slices.SortStableFunc(out, func(a, b FocusArea) int {
		switch {
		case a.Priority > b.Priority:
			return -1
		case a.Priority < b.Priority:
			return 1
		}
		return 0
	})
	return out[:min(len(out), MaxFocusAreas)]
}

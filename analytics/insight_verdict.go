package analytics

import (
	"math"
	"time"

	"accord/analytics/stats"
	"accord/survey"
)

// StudyN is the study sample the benchmark verdict compares with: the
// smallest yearly number of respondents the study reported (BenchmarkMinN,
// DESIGN §2: "about 350 to 1,200"), the cautious choice, since a smaller
// study sample makes the study's own share less certain.
const StudyN = BenchmarkMinN

// studyAligned is the study's completely-aligned count at StudyN.
func studyAligned() int { return int(math.Round(survey.BenchmarkCompletelyAligned * StudyN)) }

// BenchmarkVerdict compares a group's completely-aligned share with the
// study's as two samples: the group's answers and the study's StudyN
// respondents, each with its own sampling uncertainty (Newcombe's hybrid
// score interval of the difference). A hidden verdict has Hidden set and
// NaN intervals.
type BenchmarkVerdict struct {
	Group  Group
	Hidden Reason
	Share  stats.Interval // the group's share, Wilson, as a fraction
	Study  stats.Interval // the study's share at StudyN, Wilson
	StudyN int
	Diff   stats.Interval // group minus study, Newcombe, as a fraction
	// Direction is +1 above the study, −1 below, 0 in line (the
	// difference's interval includes 0).
	Direction int
}

// Words says the verdict plainly: "above", "in line with" or "below".
func (v BenchmarkVerdict) Words() string {
	switch v.Direction {
	case 1:
		return "above"
	case -1:
		return "below"
	}
	return "in line with"
}

func verdictOf(g Group, m *Measures, known bool) BenchmarkVerdict {
	v := BenchmarkVerdict{Group: g, StudyN: StudyN, Share: nanInterval(), Diff: nanInterval(),
		Study: stats.Wilson(studyAligned(), StudyN, ConfidenceLevel)}
	v.Study.Estimate = survey.BenchmarkCompletelyAligned
	switch {
	case !known:
		v.Hidden = FewResponses
	case m.Hidden:
		v.Hidden = m.Reason
	case m.A1Hidden.Hidden():
		v.Hidden = m.A1Hidden
	}
	if v.Hidden.Hidden() {
		return v
	}
	v.Share = m.Share
	v.Diff = stats.ProportionDifference(m.A1[0], m.A1N, studyAligned(), StudyN, ConfidenceLevel)
	v.Direction = directionOf(v.Diff)
	return v
}

// directionOf reads a difference from the study: 1 above it, -1 below,
// 0 when its interval holds zero.
func directionOf(diff stats.Interval) int {
	switch {
	case diff.Low > 0:
		return 1
	case diff.High < 0:
		return -1
	}
	return 0
}

// MinTrendRounds is the fewest published closed rounds a trend rests on.
const MinTrendRounds = 4

// trendWindow is how far back a trend looks, unless it needs more rounds.
const trendWindow = 365 * 24 * time.Hour

// TrendTest is a straight-line trend over the last year of closed rounds
// (or the last MinTrendRounds published ones, if the year has fewer).
type TrendTest struct {
	// Enough is false when fewer than MinTrendRounds rounds are published:
	// the other fields are then zero.
	Enough   bool
	Rounds   int
	From, To time.Time
	// Slope is the change per year: percentage points for the share,
	// points on 0–100 for an index (stats.TrendSlope).
	Slope stats.Slope
	// Direction is +1 rising, −1 falling, 0 no clear trend.
	Direction int
}

type trendPoint struct {
	at time.Time
	s  stats.Summary
}

// trendsOf returns the trends of the share and of each index over the
// closed rounds up to the one shown.
func trendsOf(d *Dashboard) (TrendTest, [4]TrendTest) {
	var share []trendPoint
	var index [4][]trendPoint
	for _, p := range d.Trend {
		if p.Round.OpensAt.After(d.Round.OpensAt) {
			break
		}
		at := p.Round.ClosedAt
		if at.IsZero() {
			at = p.Round.ClosesAt
		}
		if !p.Known || p.Hidden {
			continue
		}
		if !p.A1Hidden.Hidden() {
			k := float64(p.A1[0])
			share = append(share, trendPoint{at, stats.Summary{N: p.A1N, Sum: 100 * k, SumSq: 100 * 100 * k}})
		}
		for i, im := range p.Indices {
			if !im.Hidden.Hidden() {
				index[i] = append(index[i], trendPoint{at, im.Summary})
			}
		}
	}
	var out [4]TrendTest
	for i := range out {
		out[i] = trendOf(index[i])
	}
	return trendOf(share), out
}

func trendOf(points []trendPoint) TrendTest {
	if len(points) < MinTrendRounds {
		return TrendTest{}
	}
	end := points[len(points)-1].at
	first := len(points) - MinTrendRounds
	for first > 0 && !points[first-1].at.Before(end.Add(-trendWindow)) {
		first--
	}
	points = points[first:]
	pts := make([]stats.TrendPoint, len(points))
	for i, p := range points {
		pts[i] = stats.TrendPoint{T: p.at.Sub(end).Hours() / (365.25 * 24), S: p.s}
	}
	t := TrendTest{Enough: true, Rounds: len(points), From: points[0].at, To: end, Slope: stats.TrendSlope(pts, ConfidenceLevel)}
	switch {
	case t.Slope.Low > 0:
		t.Direction = 1
	case t.Slope.High < 0:
		t.Direction = -1
	}
	return t
}

// ResponseCheck compares how many of those invited answered in sales and
// in product: when the rates differ by more than chance, results lean
// toward the side that answered more.
type ResponseCheck struct {
	Hidden                   Reason // why a side's rate is hidden
	SalesRate, ProductRate   stats.Interval
	SalesInvited, ProductInv int
	// Diff is the sales rate minus the product rate (Newcombe);
	// Leans is +1 toward sales, −1 toward product, 0 when the rates do not
	// differ by more than chance.
	Diff  stats.Interval
	Leans int
}

func responseCheck(f Group, sales, product *Measures) ResponseCheck {
	c := ResponseCheck{Hidden: either(groupReason(sales, true), groupReason(product, true)),
		SalesRate: nanInterval(), ProductRate: nanInterval(), Diff: nanInterval()}
	if f.Has(DimFunction) {
		c.Hidden = Complementary // one function: there is nothing to compare
		return c
	}
	if c.Hidden.Hidden() || sales.Invited == 0 || product.Invited == 0 {
		if !c.Hidden.Hidden() {
			c.Hidden = FewResponses
		}
		return c
	}
	c.SalesInvited, c.ProductInv = sales.Invited, product.Invited
	c.SalesRate = stats.Wilson(sales.Responses, sales.Invited, ConfidenceLevel)
	c.ProductRate = stats.Wilson(product.Responses, product.Invited, ConfidenceLevel)
	c.Diff = stats.ProportionDifference(sales.Responses, sales.Invited, product.Responses, product.Invited, ConfidenceLevel)
	switch {
	case c.Diff.Low > 0:
		c.Leans = 1
	case c.Diff.High < 0:
		c.Leans = -1
	}
	return c
}

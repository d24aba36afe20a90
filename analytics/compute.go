package analytics

import (
	"math"

	"accord/analytics/stats"
	"accord/survey"
)

// roundInput is everything one round's rollups are computed from.
type roundInput struct {
	round   survey.Round
	tallies map[Attrs]*tally
	// responders maps each person who responded (from the invitations) to
	// the attributes they were invited with, for the continuity rule.
	responders map[int64]Attrs
}

// published is what the continuity rule needs of a closed round: the
// groups it published with their responses, and who responded.
type published struct {
	n          map[Group]int
	responders map[int64]Attrs
}

// computeRound decides what round in may publish, given the previous closed
// round (nil if none), and returns its rollup cells with what the next
// round's continuity rule needs.
func computeRound(in *roundInput, prev *published, k, commentK int) ([]survey.RollupCell, *published) {
	counts := make([]Count, 0, len(in.tallies))
	for a, t := range in.tallies {
		counts = append(counts, Count{Attrs: a, N: t.responses})
	}
	vis := Suppress(counts, k, carries(prev, in.responders))
	comments := Suppress(counts, commentK, nil)

	sums := map[Group]*tally{}
	invited := map[Group]int{}
	for a, t := range in.tallies {
		for mask := Dim(0); mask <= allDims; mask++ {
			g := Project(a, mask)
			invited[g] += t.invited
			if vis.Hidden(g) {
				continue
			}
			s, ok := sums[g]
			if !ok {
				s = &tally{}
				sums[g] = s
			}
			s.add(t)
		}
	}
	out := &published{n: map[Group]int{}, responders: in.responders}
	cells := make([]survey.RollupCell, 0, len(vis.Groups()))
	for _, g := range vis.Groups() {
		c := survey.RollupCell{OrgID: in.round.OrgID, RoundID: in.round.ID, Fixed: int16(g.Fixed),
			Function: g.Function, Team: g.Team, Region: g.Region, TenureBand: g.TenureBand,
			Invited: invited[g], Hidden: vis.Hidden(g), CommentsHidden: vis.Hidden(g) || comments.Hidden(g)}
		if s := sums[g]; s != nil {
			fillCell(&c, s)
			out.n[g] = s.responses
		}
		cells = append(cells, c)
	}
	return cells, out
}

// carries returns, for each group the previous round published, its count
// then and how many of its respondents responded in it again now.
func carries(prev *published, now map[int64]Attrs) map[Group]Carry {
	if prev == nil {
		return nil
	}
	both := map[Group]int{}
	for person, a := range now {
		b, ok := prev.responders[person]
		if !ok {
			continue
		}
		for mask := Dim(0); mask <= allDims; mask++ {
			if g := Project(a, mask); g == Project(b, mask) {
				both[g]++
			}
		}
	}
	out := make(map[Group]Carry, len(prev.n))
	for g, n := range prev.n {
		out[g] = Carry{PrevN: n, Both: both[g]}
	}
	return out
}

// fillCell stores a published group's statistics in its cell.
func fillCell(c *survey.RollupCell, t *tally) {
	c.Responses = t.responses
	c.A1Level1, c.A1Level2, c.A1Level3, c.A1Level4 = t.a1[0], t.a1[1], t.a1[2], t.a1[3]
	alpha := func(x int) (*float64, int) {
		a := stats.CronbachAlphaFromSummaries(t.alphaItems[x], t.alphaTotal[x])
		if math.IsNaN(a) {
			return nil, t.alphaTotal[x].N
		}
		return &a, t.alphaTotal[x].N
	}
	s := t.index[idxTrust]
	c.TrustN, c.TrustSum, c.TrustSumSq = s.N, s.Sum, s.SumSq
	c.TrustAlpha, c.TrustAlphaN = alpha(idxTrust)
	s = t.index[idxInformation]
	c.InformationN, c.InformationSum, c.InformationSumSq = s.N, s.Sum, s.SumSq
	c.InformationAlpha, c.InformationAlphaN = alpha(idxInformation)
	s = t.index[idxProcess]
	c.ProcessN, c.ProcessSum, c.ProcessSumSq = s.N, s.Sum, s.SumSq
	c.ProcessAlpha, c.ProcessAlphaN = alpha(idxProcess)
}

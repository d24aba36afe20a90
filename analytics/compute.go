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
	// statements are the keys of the instrument's agree–disagree
	// statements, in the order of tally.statements.
	statements []string
	skel       *skeleton // of tallies' combinations; see skeleton()
}

// skeleton is the lattice skeleton of the round's attribute combinations,
// built once and shared by every suppression of the round.
func (in *roundInput) skeleton() *skeleton {
	if in.skel == nil {
		counts := make([]Count, 0, len(in.tallies))
		for a := range in.tallies {
			counts = append(counts, Count{Attrs: a})
		}
		in.skel = newSkeleton(counts)
	}
	return in.skel
}

// What a round's numbers rest on, each decided separately (DESIGN §9.1):
// the responses (counts and rates), the A1 answers (the completely-aligned
// share, the A1 distribution and the alignment index) and the answers to
// each Likert index, whose items are optional.
const (
	onResponses = iota
	onA1
	onLikert // onLikert + idxTrust … onLikert + idxProcess
	bases    = onLikert + likertIndices
)

// people returns how many of t's respondents are behind numbers of basis b.
func (t *tally) people(b int) int {
	switch b {
	case onResponses:
		return t.responses
	case onA1:
		return t.a1[0] + t.a1[1] + t.a1[2] + t.a1[3]
	}
	return t.index[b-onLikert].N
}

// published is what the continuity rule needs of a closed round: for each
// basis the groups whose numbers it published with the people behind them,
// and who responded.
type published struct {
	n          [bases]map[Group]int
	statements publishedStatements
	responders map[int64]Attrs
}

func newPublished(responders map[int64]Attrs) *published {
	p := &published{responders: responders, statements: publishedStatements{}}
	for b := range p.n {
		p.n[b] = map[Group]int{}
	}
	return p
}

// visibility is one round's decisions: a Visibility per basis, each within
// the responses' one.
type visibility [bases]*Visibility

// suppressRound decides every number of a round (the rules are in doc.go).
func suppressRound(in *roundInput, prev *published, mv *movement, k int) visibility {
	var counts [bases][]Count
	for a, t := range in.tallies {
		for b := range counts {
			counts[b] = append(counts[b], Count{Attrs: a, N: t.people(b)})
		}
	}
	carry := carries(prev, mv)
	var vis visibility
	sk := in.skeleton()
	vis[onResponses] = suppressOn(sk, counts[onResponses], k, carry[onResponses], nil)
	for b := onA1; b < bases; b++ {
		vis[b] = suppressOn(sk, counts[b], k, carry[b], vis[onResponses])
	}
	return vis
}

// reasons says why each number of g is hidden: the group's reason for every
// number when the group is hidden, else each basis's own.
func (v visibility) reasons(g Group) [bases]Reason {
	var out [bases]Reason
	out[onResponses] = v[onResponses].Reason(g, FewResponses)
	for b := onA1; b < bases; b++ {
		out[b] = either(out[onResponses], v[b].Reason(g, FewAnswers))
	}
	return out
}

// computeRound decides what round in may publish, given the previous closed
// round (nil if none), and returns its rollup cells and statement rows with
// what the next round's continuity rule needs.
func computeRound(in *roundInput, prev *published, k, commentK int) ([]RollupCell, []RollupItem, *published) {
	mv := movementOf(prev, in)
	vis := suppressRound(in, prev, mv, k)
	sv := suppressStatements(in, prev, mv, k, vis)
	counts := make([]Count, 0, len(in.tallies))
	for a, t := range in.tallies {
		counts = append(counts, Count{Attrs: a, N: t.responses})
	}
	comments := suppressOn(in.skeleton(), counts, commentK, nil, nil) // Suppress on the round's skeleton

	sums := map[Group]*tally{}
	invited := map[Group]int{}
	for a, t := range in.tallies {
		for mask := Dim(0); mask <= allDims; mask++ {
			g := Project(a, mask)
			invited[g] += t.invited
			if vis[onResponses].Hidden(g) {
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
	out := newPublished(in.responders)
	groups := vis[onResponses].Groups()
	cells := make([]RollupCell, 0, len(groups))
	var items []RollupItem
	for _, g := range groups {
		why := vis.reasons(g)
		c := RollupCell{OrgID: in.round.OrgID, RoundID: in.round.ID, Fixed: int16(g.Fixed),
			Function: g.Function, Team: g.Team, Region: g.Region, TenureBand: g.TenureBand, Language: g.Language,
			Invited: invited[g], Hidden: why[onResponses].Hidden(), HiddenReason: int16(why[onResponses]),
			CommentsHidden: why[onResponses].Hidden() || comments.Hidden(g)}
		if s := sums[g]; s != nil {
			fillCell(&c, s, why, k)
			for b, r := range why {
				if !r.Hidden() {
					out.n[b][g] = s.people(b)
				}
			}
		}
		cells = append(cells, c)
		if !c.Hidden {
			items = append(items, statementRows(in, g, sums[g], why, sv, out)...)
		}
	}
	return cells, items, out
}

// movement is how a round's respondents moved since the previous closed
// round, per group: who responded in both (by the invitations), how many
// respond now, and how many the previous round published responses of.
type movement struct {
	both, now, before map[Group]int
}

// movementOf returns nil when there is no previous round.
func movementOf(prev *published, in *roundInput) *movement {
	if prev == nil {
		return nil
	}
	m := &movement{both: map[Group]int{}, now: map[Group]int{}, before: prev.n[onResponses]}
	for person, a := range in.responders {
		b, ok := prev.responders[person]
		if !ok {
			continue
		}
		for mask := Dim(0); mask <= allDims; mask++ {
			if g := Project(a, mask); g == Project(b, mask) {
				m.both[g]++
			}
		}
	}
	for a, t := range in.tallies {
		for mask := Dim(0); mask <= allDims; mask++ {
			m.now[Project(a, mask)] += t.responses
		}
	}
	return m
}

// carry returns, for each group whose number the previous round published
// resting on prevN people, how the group's respondents moved.
func (m *movement) carry(prevN map[Group]int) map[Group]Carry {
	if m == nil {
		return nil
	}
	out := make(map[Group]Carry, len(prevN))
	for g, n := range prevN {
		// The previous round's responses are known only where it
		// published them; an index is published only there.
		before := m.before[g]
		out[g] = Carry{PrevN: n, Left: max(0, before-m.both[g]), Both: m.both[g], Joined: max(0, m.now[g]-m.both[g])}
	}
	return out
}

// carries returns, per basis, for each group whose number the previous
// round published: the people behind it then, and how the group's
// respondents moved between the rounds.
func carries(prev *published, mv *movement) [bases]map[Group]Carry {
	var out [bases]map[Group]Carry
	if prev == nil {
		return out
	}
	for b := range out {
		out[b] = mv.carry(prev.n[b])
	}
	return out
}

// fillCell stores a published group's statistics in its cell: only those
// of the numbers why leaves shown, and alphas only over at least k people
// (alpha is not additive, so its threshold is the only rule it needs).
func fillCell(c *RollupCell, t *tally, why [bases]Reason, k int) {
	c.Responses = t.responses
	c.A1Hidden = int16(why[onA1])
	if !why[onA1].Hidden() {
		c.A1Level1, c.A1Level2, c.A1Level3, c.A1Level4 = t.a1[0], t.a1[1], t.a1[2], t.a1[3]
	}
	alpha := func(x int) (*float64, int) {
		a := stats.CronbachAlphaFromSummaries(t.alphaItems[x], t.alphaTotal[x])
		if math.IsNaN(a) || t.alphaTotal[x].N < k {
			return nil, t.alphaTotal[x].N
		}
		return &a, t.alphaTotal[x].N
	}
	index := func(x int) (int16, stats.Summary, *float64, int) {
		why := why[onLikert+x]
		if why.Hidden() {
			return int16(why), stats.Summary{}, nil, 0
		}
		a, n := alpha(x)
		return 0, t.index[x], a, n
	}
	var s stats.Summary
	c.TrustHidden, s, c.TrustAlpha, c.TrustAlphaN = index(idxTrust)
	c.TrustN, c.TrustSum, c.TrustSumSq = s.N, s.Sum, s.SumSq
	c.InformationHidden, s, c.InformationAlpha, c.InformationAlphaN = index(idxInformation)
	c.InformationN, c.InformationSum, c.InformationSumSq = s.N, s.Sum, s.SumSq
	c.ProcessHidden, s, c.ProcessAlpha, c.ProcessAlphaN = index(idxProcess)
	c.ProcessN, c.ProcessSum, c.ProcessSumSq = s.N, s.Sum, s.SumSq
}

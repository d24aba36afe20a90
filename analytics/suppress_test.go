package analytics_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"accord/analytics"
)

// randomCounts draws a random organisation's responses per attribute
// combination: a few functions with nested teams (some shared across
// functions), optional regions and tenure bands, people answering with
// uneven sizes so that small groups are common.
func randomCounts(rng *rand.Rand) []analytics.Count {
	functions := []string{"sales", "product", "engineering", "marketing"}[:2+rng.IntN(3)]
	var teams [][]string
	for i := range functions {
		var ts []string
		for j := range 1 + rng.IntN(3) {
			ts = append(ts, fmt.Sprintf("%s-%d", functions[i][:2], j))
		}
		if rng.IntN(4) == 0 {
			ts = append(ts, "shared")
		}
		teams = append(teams, ts)
	}
	regions := []string{"", "EU", "US", "APAC"}[:1+rng.IntN(4)]
	tenures := []string{"<1", "1-3", "3+"}[:1+rng.IntN(3)]
	people := 4 + rng.IntN(60)
	counts := map[analytics.Attrs]int{}
	for range people {
		fi := rng.IntN(len(functions))
		// Skewed picks: the first values are the big ones.
		pick := func(n int) int { u := rng.Float64(); return int(u * u * float64(n)) }
		a := analytics.Attrs{Function: functions[fi], Team: teams[fi][pick(len(teams[fi]))],
			Region: regions[pick(len(regions))], TenureBand: tenures[pick(len(tenures))]}
		if rng.Float64() < 0.8 {
			counts[a]++
		} else {
			counts[a] += 0 // invited, did not answer
		}
	}
	var out []analytics.Count
	for a, n := range counts {
		out = append(out, analytics.Count{Attrs: a, N: n})
	}
	return out
}

// published is one round's published groups as indicator vectors over
// the attribute combinations, with what the test needs to attack them.
type published struct {
	tuples  []analytics.Count
	visible [][]float64
	groups  []analytics.Group
	vis     *analytics.Visibility
}

func publish(counts []analytics.Count, vis *analytics.Visibility) published {
	p := published{tuples: counts, vis: vis}
	for _, g := range vis.Groups() {
		if vis.Hidden(g) {
			continue
		}
		p.groups = append(p.groups, g)
		p.visible = append(p.visible, p.indicator(g))
	}
	return p
}

func (p published) indicator(g analytics.Group) []float64 {
	v := make([]float64, len(p.tuples))
	for i, t := range p.tuples {
		if t.N > 0 && g.Contains(t.Attrs) {
			v[i] = 1
		}
	}
	return v
}

func (p published) n(v []float64) int {
	s := 0
	for i, x := range v {
		s += int(x) * p.tuples[i].N
	}
	return s
}

// TestSuppressProperties checks, over many random organisations and
// minimum sizes, the rules a leader could otherwise use to single people
// out: every published group has at least k responses; within every
// breakdown of a published group the hidden part is never a single group
// nor fewer than k people; a published group inside another published one
// leaves 0 or at least k people over; groups with the same people share
// their fate.
func TestSuppressProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 400 {
		counts := randomCounts(rng)
		k := 3 + rng.IntN(5)
		vis := analytics.Suppress(counts, k, nil)
		checkProperties(t, fmt.Sprintf("org %d (k=%d, %v)", iter, k, counts), publish(counts, vis), k)
	}
}

// checkProperties checks the published groups of p: each rests on k
// people or more, leaves 0 or k or more over inside any other, and every
// breakdown of it hides 0 or k or more people in two groups or more.
func checkProperties(t *testing.T, where string, p published, k int) {
	t.Helper()
	for i, g := range p.groups {
		if n := p.vis.N(g); n < k {
			t.Fatalf("%s: %s published with %d people", where, g.Label(), n)
		}
		for j, h := range p.groups {
			d := p.n(p.visible[j]) - p.n(p.visible[i])
			if i != j && d > 0 && d < k && contains(p.visible[j], p.visible[i]) {
				t.Fatalf("%s: %s minus %s leaves %d people", where, h.Label(), g.Label(), d)
			}
		}
		checkBreakdowns(t, where, p, g, k)
	}
}

// checkBreakdowns checks every breakdown of published group g: the
// parent's total minus its published children.
func checkBreakdowns(t *testing.T, where string, p published, g analytics.Group, k int) {
	t.Helper()
	for _, d := range analytics.Dims {
		if g.Has(d) {
			continue
		}
		rest := p.vis.N(g)
		var hidden []int
		for _, c := range p.vis.Groups() {
			if c.Fixed != g.Fixed|d || c.Without(d) != g || p.vis.N(c) == 0 {
				continue
			}
			if p.vis.Hidden(c) {
				hidden = append(hidden, p.vis.N(c))
			} else {
				rest -= p.vis.N(c)
			}
		}
		if len(hidden) == 1 || (rest > 0 && rest < k) {
			t.Fatalf("%s: %s by %s: total minus published leaves %d responses in %d hidden groups %v",
				where, g.Label(), d.Name(), rest, len(hidden), hidden)
		}
	}
}

func contains(big, small []float64) bool {
	for i := range big {
		if small[i] > big[i] {
			return false
		}
	}
	return true
}

// TestSuppressNoLinearDisclosure attacks the published groups with every
// linear combination at once: a group or attribute combination of fewer
// than k people is recoverable exactly when its indicator vector lies in
// the span of the published groups' vectors.
func TestSuppressNoLinearDisclosure(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	for iter := range 300 {
		counts := randomCounts(rng)
		k := 3 + rng.IntN(5)
		vis := analytics.Suppress(counts, k, nil)
		p := publish(counts, vis)
		basis := rowBasis(p.visible)
		var small [][]float64
		var names []string
		for _, g := range vis.Groups() {
			if n := vis.N(g); n > 0 && n < k {
				small = append(small, p.indicator(g))
				names = append(names, g.Label())
			}
		}
		for i, v := range small {
			if inSpan(basis, v) {
				t.Errorf("org %d (k=%d): %s (%d people) is a combination of published groups\ncounts %v",
					iter, k, names[i], p.n(v), counts)
			}
		}
	}
}

// rowBasis returns an orthonormal basis of the rows' span (Gram–Schmidt
// with re-orthogonalisation; entries are 0 and 1, so this is stable).
func rowBasis(rows [][]float64) [][]float64 {
	var basis [][]float64
	for _, r := range rows {
		v := append([]float64(nil), r...)
		for range 2 {
			for _, b := range basis {
				d := dot(v, b)
				for i := range v {
					v[i] -= d * b[i]
				}
			}
		}
		if norm := math.Sqrt(dot(v, v)); norm > 1e-9 {
			for i := range v {
				v[i] /= norm
			}
			basis = append(basis, v)
		}
	}
	return basis
}

func inSpan(basis [][]float64, v []float64) bool {
	r := append([]float64(nil), v...)
	for range 2 {
		for _, b := range basis {
			d := dot(r, b)
			for i := range r {
				r[i] -= d * b[i]
			}
		}
	}
	return math.Sqrt(dot(r, r)) < 1e-6
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// demoLikeCounts draws an organisation shaped like accord demo's: about
// 140 respondents of 200, teams nested in six functions, three regions and
// four tenure bands.
func demoLikeCounts(rng *rand.Rand, people int) []analytics.Count {
	functions := []string{"sales", "product", "engineering", "marketing", "executive", "other"}
	weights := []float64{0.3, 0.2, 0.25, 0.1, 0.05, 0.1}
	regions := []string{"EMEA", "Americas", "APAC"}
	tenures := []string{"<1 year", "1-2 years", "3-5 years", "5+ years"}
	counts := map[analytics.Attrs]int{}
	for range people {
		u, fi := rng.Float64(), 0
		for fi < len(weights)-1 && u > weights[fi] {
			u -= weights[fi]
			fi++
		}
		pick := func(n int) int { u := rng.Float64(); return int(u * u * float64(n)) }
		a := analytics.Attrs{Function: functions[fi], Team: fmt.Sprintf("%s-%d", functions[fi], pick(3)),
			Region: regions[pick(3)], TenureBand: tenures[rng.IntN(4)]}
		if rng.Float64() < 0.72 {
			counts[a]++
		} else {
			counts[a] += 0
		}
	}
	var out []analytics.Count
	for a, n := range counts {
		out = append(out, analytics.Count{Attrs: a, N: n})
	}
	return out
}

func BenchmarkSuppress(b *testing.B) {
	for _, tc := range []struct{ people, k int }{{200, 5}, {200, 10}, {1000, 5}} {
		b.Run(fmt.Sprintf("people=%d/k=%d", tc.people, tc.k), func(b *testing.B) {
			counts := demoLikeCounts(rand.New(rand.NewPCG(3, 4)), tc.people)
			for b.Loop() {
				analytics.Suppress(counts, tc.k, nil)
			}
		})
	}
}

func TestSuppressDemoLikeNoLinearDisclosure(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	for iter := range 20 {
		counts := demoLikeCounts(rng, 40+rng.IntN(400))
		k := 3 + rng.IntN(8)
		vis := analytics.Suppress(counts, k, nil)
		p := publish(counts, vis)
		basis := rowBasis(p.visible)
		shown := 0
		for _, g := range vis.Groups() {
			if n := vis.N(g); n > 0 && n < k && inSpan(basis, p.indicator(g)) {
				t.Errorf("org %d (k=%d): %s (%d people) is a combination of published groups", iter, k, g.Label(), n)
			}
			if !vis.Hidden(g) {
				shown++
			}
		}
		t.Logf("org %d: k=%d, %d groups, %d published", iter, k, len(vis.Groups()), shown)
	}
}

// answersOf draws how many of each combination's respondents answered one
// index: its items are optional, so anything from none to all of them.
func answersOf(rng *rand.Rand, counts []analytics.Count) []analytics.Count {
	out := make([]analytics.Count, len(counts))
	skip := rng.Float64()
	for i, c := range counts {
		out[i] = analytics.Count{Attrs: c.Attrs}
		for range c.N {
			if rng.Float64() >= skip {
				out[i].N++
			}
		}
	}
	return out
}

// TestSuppressWithinItemNonResponse attacks one index's numbers when items
// are optional, so that a group of enough responses may have few answers:
// no published index rests on fewer than k answers or sits in a hidden
// group (direct reading); nested groups and every breakdown leave 0 or at
// least k answers over (subtraction); no group of fewer than k answers is
// a combination of published ones (linear combination); and a hidden index
// reads "fewer than k answers" exactly when it has them.
func TestSuppressWithinItemNonResponse(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := range 300 {
		counts := randomCounts(rng)
		k := 3 + rng.IntN(5)
		base := analytics.Suppress(counts, k, nil)
		answers := answersOf(rng, counts)
		vis := analytics.SuppressWithin(answers, k, nil, base)
		p := publish(answers, vis)
		basis := rowBasis(p.visible)
		where := fmt.Sprintf("org %d (k=%d, responses %v, answers %v)", iter, k, counts, answers)
		checkProperties(t, where, p, k)
		for _, g := range vis.Groups() {
			n := vis.N(g)
			if !vis.Hidden(g) && base.Hidden(g) {
				t.Fatalf("%s: %s's index published in a hidden group", where, g.Label())
			}
			if n > 0 && n < k && inSpan(basis, p.indicator(g)) {
				t.Fatalf("%s: %s (%d answers) is a combination of published groups", where, g.Label(), n)
			}
			if few := vis.Reason(g, analytics.FewAnswers) == analytics.FewAnswers; few != (vis.Hidden(g) && n < k) {
				t.Fatalf("%s: %s with %d answers reads %q", where, g.Label(), n, vis.Reason(g, analytics.FewAnswers).Text(k))
			}
		}
	}
}

// TestCarryUnsettled: a number published in the previous round is hidden
// when between 1 and k-1 people behind it may have changed. Responses can
// be linked to people only through invitations, so who answered an index
// in both rounds is known within bounds, and any overlap the bounds allow
// counts.
func TestCarryUnsettled(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		carry analytics.Carry
		n     int
		want  bool
	}{
		{"responses: the same six people", analytics.Carry{PrevN: 6, Both: 6}, 6, false},
		{"responses: one of six left", analytics.Carry{PrevN: 6, Left: 1, Both: 5}, 5, true},
		{"responses: five left, five joined", analytics.Carry{PrevN: 10, Left: 5, Both: 5, Joined: 5}, 10, false},
		{"index: one of the same six stopped answering it", analytics.Carry{PrevN: 6, Both: 6}, 5, true},
		{"index: as many answered, perhaps not the same people", analytics.Carry{PrevN: 5, Both: 6}, 5, true},
		{"index: everyone answered both times", analytics.Carry{PrevN: 6, Both: 6}, 6, false},
		{"index: two of fifty skipped it this time", analytics.Carry{PrevN: 50, Both: 50}, 48, true},
		{"index: ten left, ten joined, all answered", analytics.Carry{PrevN: 20, Left: 10, Both: 10, Joined: 10}, 20, false},
		{"index: k or more changed whatever the overlap", analytics.Carry{PrevN: 12, Left: 6, Both: 6, Joined: 6}, 6, false},
	} {
		if got := tc.carry.Unsettled(tc.n, 5); got != tc.want {
			t.Errorf("%s: Unsettled(%d, 5) = %v, want %v", tc.name, tc.n, got, tc.want)
		}
	}
}

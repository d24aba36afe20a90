package analytics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestRememberedDecisionsMatchFreshOnes: a round's suppressions share a
// skeleton that remembers each decision (suppressOn); every decision it
// hands out again must be the one a fresh suppression of the same input
// makes. The inputs follow one round's order: responses, A1 and each index
// within them (the same counts, or fewer answers), each statement and its
// driver, and the comments under a larger threshold; carries from a
// previous round are drawn for some groups.
func TestRememberedDecisionsMatchFreshOnes(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 4))
	hits := 0
	for iter := range 12 {
		counts := memoCounts(rng, 30+rng.IntN(170))
		k := 3 + rng.IntN(5)
		sk := newSkeleton(counts)
		check := func(what string, cs []Count, kk int, prev map[Group]Carry, base *Visibility) *Visibility {
			t.Helper()
			before := len(sk.decided)
			got := suppressOn(sk, cs, kk, prev, base)
			if len(sk.decided) == before {
				hits++
			}
			want := suppressOn(newSkeleton(cs), cs, kk, prev, base)
			if !slices.Equal(got.groups, want.groups) || !slices.Equal(got.n, want.n) || !slices.Equal(got.hidden, want.hidden) {
				t.Fatalf("round %d, %s (k=%d): the remembered decision differs from a fresh one", iter, what, kk)
			}
			return got
		}
		carry := map[Group]Carry{}
		for _, c := range counts {
			if rng.IntN(3) == 0 {
				g := Project(c.Attrs, Dim(rng.IntN(int(allDims)+1)))
				carry[g] = Carry{PrevN: c.N + rng.IntN(3), Left: rng.IntN(3), Both: c.N, Joined: rng.IntN(2)}
			}
		}
		responses := check("responses", counts, k, carry, nil)
		a1 := check("A1", counts, k, carry, responses)
		for i := range 3 {
			answers := counts
			if rng.IntN(2) == 0 {
				answers = fewer(rng, counts, 0.03)
			}
			check(fmt.Sprintf("index %d", i), answers, k, carry, responses)
		}
		for j := range 6 {
			answers := fewer(rng, counts, 0.03)
			item := check(fmt.Sprintf("statement %d", j), answers, k, nil, responses)
			check(fmt.Sprintf("driver %d", j), answers, k, nil, hiddenInEither(item, a1))
		}
		check("comments", counts, k+2, nil, nil)
	}
	t.Logf("%d decisions handed out again", hits)
	if hits == 0 {
		t.Error("no decision was handed out again; the test exercises nothing")
	}
}

// memoCounts draws a round shaped like the demo's: teams within six
// functions, regions, tenure bands, one language, and a quarter of the
// people invited who did not respond.
func memoCounts(rng *rand.Rand, people int) []Count {
	functions := []string{"sales", "product", "engineering", "marketing", "executive", "other"}
	regions := []string{"EMEA", "Americas", "APAC"}
	tenures := []string{"<1 year", "1-2 years", "3-5 years", "5+ years"}
	byAttrs := map[Attrs]int{}
	for range people {
		f := functions[rng.IntN(len(functions))]
		pick := func(n int) int { u := rng.Float64(); return int(u * u * float64(n)) }
		a := Attrs{Function: f, Team: fmt.Sprintf("%s-%d", f, pick(3)), Region: regions[pick(3)], TenureBand: tenures[rng.IntN(4)]}
		if rng.Float64() < 0.75 {
			byAttrs[a]++
		} else {
			byAttrs[a] += 0
		}
	}
	out := make([]Count, 0, len(byAttrs))
	for a, n := range byAttrs {
		out = append(out, Count{Attrs: a, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return strings.Compare(Project(a.Attrs, allDims).key(), Project(b.Attrs, allDims).key())
	})
	return out
}

// fewer is counts with each person skipping at rate skip.
func fewer(rng *rand.Rand, counts []Count, skip float64) []Count {
	out := make([]Count, len(counts))
	for i, c := range counts {
		out[i] = Count{Attrs: c.Attrs}
		for range c.N {
			if rng.Float64() >= skip {
				out[i].N++
			}
		}
	}
	return out
}

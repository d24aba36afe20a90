package analytics

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
)

// The audit attacks the published groups of a round the way a determined
// reader would: with every linear combination of them at once (sums and
// differences of any number of groups, across all filters). A set of
// respondents is exposed exactly when its indicator vector lies in the
// span of the published groups' vectors. The local rules in suppress.go
// stop the common cases; the audit finds what they miss (say a 2×2 table
// of team by region whose fourth cell is empty) and hides one more group
// each time, until no set of fewer than k respondents can be computed.
//
// Respondents who share their membership of every published group form an
// atom: no combination can split an atom, so the search runs over atoms
// with fewer than k responses ("small atoms"). Arithmetic is exact, modulo
// the prime 2^61-1: a combination over the rationals is one modulo p too,
// so nothing exposed is missed; the reverse error (a spurious dependency)
// has a probability of about 1/p and would only hide a group too many.

// auditBudget bounds the subsets of small atoms one half of the
// meet-in-the-middle search may hold. When a round has more, the audit
// first hides its most specific published groups (which merges atoms)
// until the search fits: less detail, never less protection.
const auditBudget = 1 << 19

const modP = 1<<61 - 1

func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := (hi<<3 | lo>>61) + (lo & modP)
	for r >= modP {
		r -= modP
	}
	return r
}

func addmod(a, b uint64) uint64 {
	r := a + b
	if r >= modP {
		r -= modP
	}
	return r
}

func submod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + modP - b
}

func invmod(a uint64) uint64 {
	r, e := uint64(1), uint64(modP-2)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulmod(r, a)
		}
		a = mulmod(a, a)
	}
	return r
}

// atomSet is the published groups of a round as rows over atoms.
type atomSet struct {
	rows   [][]uint64 // one per published group (one per class), 0/1 over atoms
	groups []int      // lattice index of each row's group
	weight []int      // responses per atom
	small  []int      // atoms with fewer than k responses
}

func (l *lattice) atoms(k int) atomSet {
	var as atomSet
	seen := map[string]bool{}
	for i := range l.groups {
		if l.hidden[i] || l.n[i] == 0 {
			continue
		}
		key := bitsKey(l.members[i])
		if !seen[key] {
			seen[key] = true
			as.groups = append(as.groups, i)
		}
	}
	// A tuple's signature: which published groups contain it.
	sig := map[string]int{}
	atomOf := make([]int, len(l.tupleN))
	words := (len(as.groups) + 63) / 64
	for t, n := range l.tupleN {
		if n == 0 {
			atomOf[t] = -1
			continue
		}
		s := make([]uint64, words)
		for r, g := range as.groups {
			if l.members[g][t/64]&(1<<(t%64)) != 0 {
				s[r/64] |= 1 << (r % 64)
			}
		}
		key := bitsKey(s)
		a, ok := sig[key]
		if !ok {
			a = len(as.weight)
			sig[key] = a
			as.weight = append(as.weight, 0)
		}
		atomOf[t] = a
		as.weight[a] += n
	}
	as.rows = make([][]uint64, len(as.groups))
	for r, g := range as.groups {
		as.rows[r] = make([]uint64, len(as.weight))
		for t, a := range atomOf {
			if a >= 0 && l.members[g][t/64]&(1<<(t%64)) != 0 {
				as.rows[r][a] = 1
			}
		}
	}
	for a, w := range as.weight {
		if w < k {
			as.small = append(as.small, a)
		}
	}
	return as
}

// audit reports whether it hid a group: because a set of fewer than k
// respondents was exposed, or to make the search affordable.
func (l *lattice) audit(k int) bool {
	as := l.atoms(k)
	if len(as.small) == 0 {
		return false
	}
	left, right := (k-1+1)/2, (k-1)/2
	if subsets(len(as.small), left) > auditBudget {
		return l.hideMostSpecific(as.groups)
	}
	z := nullVector(as.rows, len(as.weight))
	var hid bool
	searchZeroSums(as, z, left, right, k, func(set []int) bool {
		if g, ok := l.culprit(as, set); ok {
			l.hidden[g] = true
			hid = true
			return true
		}
		return false // a spurious zero sum: keep looking
	})
	return hid
}

// hideMostSpecific hides the published group that fixes the most
// attributes, the smallest among those.
func (l *lattice) hideMostSpecific(published []int) bool {
	best := -1
	for _, g := range published {
		if l.groups[g].IsOrg() {
			continue
		}
		if best < 0 || moreSpecific(l, g, best) {
			best = g
		}
	}
	if best < 0 {
		return false
	}
	l.hidden[best] = true
	return true
}

func moreSpecific(l *lattice, a, b int) bool {
	fa, fb := bits.OnesCount16(uint16(l.groups[a].Fixed)), bits.OnesCount16(uint16(l.groups[b].Fixed))
	if fa != fb {
		return fa > fb
	}
	return l.n[a] < l.n[b] || (l.n[a] == l.n[b] && a < b)
}

// culprit solves for the combination of published groups that yields the
// atom set and returns its most specific group, the one to hide; false if
// the set is not in fact a combination.
func (l *lattice) culprit(as atomSet, set []int) (int, bool) {
	m, r := len(as.weight), len(as.rows)
	aug := make([][]uint64, m)
	for a := range aug {
		aug[a] = make([]uint64, r+1)
		for j := range r {
			aug[a][j] = as.rows[j][a]
		}
	}
	for _, a := range set {
		aug[a][r] = 1
	}
	pivots := rref(aug, r+1)
	best := -1
	for i, c := range pivots {
		if c == r {
			return 0, false // inconsistent: 1_S is not in the span
		}
		if aug[i][r] != 0 {
			g := as.groups[c]
			if !l.groups[g].IsOrg() && (best < 0 || moreSpecific(l, g, best)) {
				best = g
			}
		}
	}
	return best, best >= 0
}

// rref brings m to reduced row echelon form over GF(p) in place, using the
// first cols columns, and returns the pivot column of each leading row.
func rref(m [][]uint64, cols int) []int {
	var pivots []int
	row := 0
	for c := 0; c < cols && row < len(m); c++ {
		p := -1
		for i := row; i < len(m); i++ {
			if m[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[row], m[p] = m[p], m[row]
		inv := invmod(m[row][c])
		for j := c; j < len(m[row]); j++ {
			m[row][j] = mulmod(m[row][j], inv)
		}
		for i := range m {
			if i == row || m[i][c] == 0 {
				continue
			}
			f := m[i][c]
			for j := c; j < len(m[i]); j++ {
				if m[row][j] != 0 {
					m[i][j] = submod(m[i][j], mulmod(f, m[row][j]))
				}
			}
		}
		pivots = append(pivots, c)
		row++
	}
	return pivots
}

// nullVector returns a random vector z with every row·z = 0. A set S of
// atoms is a combination of the rows exactly when Σ_{a∈S} z_a = 0 for all
// such z; for one random z a false "yes" has probability about 1/p. The
// seed is fixed so that a round's outcome is the same on every run.
func nullVector(rows [][]uint64, cols int) []uint64 {
	m := make([][]uint64, len(rows))
	for i, r := range rows {
		m[i] = slices.Clone(r)
	}
	pivots := rref(m, cols)
	isPivot := make([]bool, cols)
	for _, c := range pivots {
		isPivot[c] = true
	}
	rng := rand.New(rand.NewPCG(0x5eed, 0xacc0))
	z := make([]uint64, cols)
	for c := range z {
		if !isPivot[c] {
			z[c] = rng.Uint64N(modP-1) + 1
		}
	}
	for i, c := range pivots {
		var s uint64
		for j := c + 1; j < cols; j++ {
			if !isPivot[j] && m[i][j] != 0 {
				s = addmod(s, mulmod(m[i][j], z[j]))
			}
		}
		z[c] = submod(0, s)
	}
	return z
}

// subsets counts the subsets of at most size elements of n.
func subsets(n, size int) int {
	total, c := 0, 1
	for j := 0; j <= size && j <= n; j++ {
		total += c
		if total > auditBudget {
			return total
		}
		c = c * (n - j) / (j + 1)
	}
	return total
}

// half is a subset of small atoms from one side of the search.
type half struct {
	items  []int
	weight int
}

// searchZeroSums calls found with every nonempty set of small atoms of
// fewer than k responses whose fingerprints sum to zero, until it returns
// true. A set of at most left+right atoms splits into a left part (its
// first atoms) and a right part whose atoms all come later.
func searchZeroSums(as atomSet, z []uint64, left, right, k int, found func([]int) bool) {
	sums := map[uint64][]half{}
	stop := false
	enumerate(as, z, left, k, func(h half, s uint64) bool {
		if s == 0 && found(h.items) {
			stop = true
			return false
		}
		sums[s] = append(sums[s], half{items: slices.Clone(h.items), weight: h.weight})
		return true
	})
	if stop {
		return
	}
	enumerate(as, z, right, k, func(h half, s uint64) bool {
		for _, x := range sums[submod(0, s)] {
			if x.weight+h.weight < k && x.items[len(x.items)-1] < h.items[0] {
				if found(append(slices.Clone(x.items), h.items...)) {
					return false
				}
			}
		}
		return true
	})
}

// enumerate visits every nonempty subset of small atoms with at most size
// atoms and fewer than k responses, with the sum of its fingerprints.
func enumerate(as atomSet, z []uint64, size, k int, visit func(half, uint64) bool) {
	var items []int
	var rec func(from, weight int, sum uint64) bool
	rec = func(from, weight int, sum uint64) bool {
		for i := from; i < len(as.small); i++ {
			a := as.small[i]
			w := weight + as.weight[a]
			if w >= k {
				continue
			}
			items = append(items, a)
			s := addmod(sum, z[a])
			if !visit(half{items: items, weight: w}, s) {
				return false
			}
			if len(items) < size && !rec(i+1, w, s) {
				return false
			}
			items = items[:len(items)-1]
		}
		return true
	}
	if size > 0 {
		rec(0, 0, 0)
	}
}

func bitsKey(b []uint64) string {
	var s strings.Builder
	for _, w := range b {
		for sh := 0; sh < 64; sh += 8 {
			s.WriteByte(byte(w >> sh))
		}
	}
	return s.String()
}

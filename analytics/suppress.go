package analytics

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
)

// Count is how many people one combination of attributes has behind a
// number in a round: responses, or answers to the questions of one index.
// Combinations that were invited but gave none have N 0.
type Count struct {
	Attrs
	N int
}

// Carry is what the continuity rule knows of a group whose number was
// published in the previous round: how many people it rested on then
// (PrevN), and how many of the group's respondents responded in the
// previous round only (Left), in both (Both) and in this round only
// (Joined). For the number of responses PrevN is Left+Both; for an index
// it is at most that, since items are optional.
type Carry struct {
	PrevN, Left, Both, Joined int
}

// Unsettled reports whether the people behind a number resting on n people
// now may differ from those behind it in the previous round by between 1
// and k-1: its change would then describe those few people. Responses
// cannot be linked to people, so who answered an index in both rounds is
// known only within bounds (between max(0, (PrevN-Left)+(n-Joined)-Both)
// and min(PrevN, n, Both)); the number is unsettled when any overlap in
// those bounds leaves fewer than k changed. For responses the bounds meet
// and the count of changed people is exact: Left + Joined.
func (c Carry) Unsettled(n, k int) bool {
	most := min(c.PrevN, n, c.Both)
	least := min(most, max(0, c.PrevN-c.Left+n-c.Joined-c.Both))
	lo, hi := c.PrevN+n-2*most, c.PrevN+n-2*least // changed people, in steps of 2
	first := max(lo, 1)
	if (first-lo)%2 != 0 {
		first++
	}
	return first <= min(hi, k-1)
}

// Visibility says which groups of one round may be published. It is
// computed once per round, for every group any filter could ask for, so
// that no combination of pages shows more than each page allows.
type Visibility struct {
	k      int
	groups []Group
	n      []int
	hidden []bool
	index  map[Group]int
}

// Suppress decides which groups of a round may be published, given the
// responses per attribute combination, the minimum group size k and, for
// the continuity rule, the groups published in the previous round (nil for
// none). The rules are described in doc.go; each pass only hides more, so
// the loop ends.
func Suppress(counts []Count, k int, previous map[Group]Carry) *Visibility {
	return SuppressWithin(counts, k, previous, nil)
}

// SuppressWithin is Suppress for one index of a round whose groups were
// decided by base (the responses' Visibility; nil for none): counts are the
// people who answered the index, and a group base hides starts hidden, so
// that the index is never shown where the group is not and complementary
// suppression takes the groups already hidden into account.
func SuppressWithin(counts []Count, k int, previous map[Group]Carry, base *Visibility) *Visibility {
	return suppressOn(newSkeleton(counts), counts, k, previous, base)
}

// suppressOn is SuppressWithin on sk, the skeleton of counts' attribute
// combinations, which one round's suppressions share.
//
// The outcome depends only on the people per tuple, k and the groups
// hidden at the start, so sk remembers it under those: most of a round's
// suppressions repeat one already made (every respondent answers A1 and
// nearly every index; a driver rests on the same people as its statement).
// A decision is a fixed point of the rules, so it is also remembered as
// the outcome of starting from itself.
func suppressOn(sk *skeleton, counts []Count, k int, previous map[Group]Carry, base *Visibility) *Visibility {
	tupleN := make([]int, len(sk.order))
	for _, c := range counts {
		tupleN[sk.tuple[c.Attrs]] += c.N
	}
	n := make([]int, len(sk.groups))
	for t, x := range tupleN {
		for _, i := range sk.projections[t] {
			n[i] += x
		}
	}
	hidden := make([]bool, len(sk.groups))
	for i, g := range sk.groups {
		hidden[i] = n[i] < k || (base != nil && base.Hidden(g))
		if c, ok := previous[g]; ok && !hidden[i] && c.Unsettled(n[i], k) {
			hidden[i] = true
		}
	}
	counted := countsKey(tupleN, k)
	if v := sk.remembered(counted, hidden); v != nil {
		return v
	}
	l := newLatticeOn(sk, tupleN, n)
	copy(l.hidden, hidden)
	for {
		l.applyLocalRules(k)
		if !l.audit(k) {
			break
		}
	}
	v := &Visibility{k: k, groups: l.groups, n: l.n, hidden: l.hidden, index: l.index}
	sk.remember(counted, hidden, v)
	sk.remember(counted, l.hidden, v)
	return v
}

// countsKey encodes k and the people per tuple, the part of a
// suppression's input that the groups hidden at the start complete.
func countsKey(tupleN []int, k int) string {
	b := binary.AppendUvarint(make([]byte, 0, 2*len(tupleN)+4), uint64(k))
	for _, x := range tupleN {
		b = binary.AppendUvarint(b, uint64(x))
	}
	return string(b)
}

// hiddenKey encodes which groups are hidden.
func hiddenKey(hidden []bool) string {
	b := make([]byte, (len(hidden)+7)/8)
	for i, h := range hidden {
		if h {
			b[i/8] |= 1 << (i % 8)
		}
	}
	return string(b)
}

// remembered returns the decision made before from counts and hidden at
// the start, or nil.
func (sk *skeleton) remembered(counts string, hidden []bool) *Visibility {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	return sk.decided[counts+"|"+hiddenKey(hidden)]
}

func (sk *skeleton) remember(counts string, hidden []bool, v *Visibility) {
	sk.mu.Lock()
	defer sk.mu.Unlock()
	if sk.decided == nil {
		sk.decided = map[string]*Visibility{}
	}
	sk.decided[counts+"|"+hiddenKey(hidden)] = v
}

// applyLocalRules hides groups until every family, nested pair and class
// of identical groups obeys the rules.
func (l *lattice) applyLocalRules(k int) {
	for changed := true; changed; {
		changed = false
		for _, f := range l.families {
			changed = l.fixFamily(f, k) || changed
		}
		changed = l.fixNested(k) || changed
		changed = l.fixClasses() || changed
	}
}

// Hidden reports whether g may not be published; a group nobody was
// invited to or answered in is hidden too.
func (v *Visibility) Hidden(g Group) bool {
	i, ok := v.index[g]
	return !ok || v.hidden[i]
}

// Reason says why g is hidden: few (FewResponses or FewAnswers, whichever
// the counts were) when it has fewer than k people, Complementary when
// another rule hid it, Shown when it is not hidden.
func (v *Visibility) Reason(g Group, few Reason) Reason {
	return reasonOf(v.Hidden(g), v.N(g), v.k, few)
}

// Known reports whether g has anyone in it this round.
func (v *Visibility) Known(g Group) bool { _, ok := v.index[g]; return ok }

// Groups returns every group of the round (each one some filter could ask
// for), in a stable order.
func (v *Visibility) Groups() []Group { return v.groups }

// N returns the number of responses in g. It is for the query layer only:
// a hidden group's count must never leave it.
func (v *Visibility) N(g Group) int {
	if i, ok := v.index[g]; ok {
		return v.n[i]
	}
	return 0
}

// lattice is every group of a round with the sets of respondents' attribute
// combinations ("tuples") they contain.
type lattice struct {
	groups   []Group
	index    map[Group]int
	n        []int
	members  [][]uint64 // bitset over tuples that gave responses
	hidden   []bool
	families []family
	classes  [][]int // groups with exactly the same respondents
	tupleN   []int   // responses per tuple, in bitset order
}

// family is a parent group and its children along one attribute: a
// partition of the parent's respondents.
type family struct {
	parent   int
	children []int
}

// skeleton is the part of a lattice that depends only on which attribute
// combinations a round has, not on how many people each holds: the groups in
// their order, the tuples in bitset order and the families. One round's
// suppressions (responses, each index, each statement and driver) share one.
// It is read-only once built, but for the decisions it remembers.
type skeleton struct {
	order    []Attrs       // tuples in bitset order
	tuple    map[Attrs]int // position of a tuple in order
	groups   []Group
	index    map[Group]int
	families []family
	// projections[t] are the groups tuple t belongs to, one per mask.
	projections [][]int

	mu      sync.Mutex
	decided map[string]*Visibility // by countsKey and hiddenKey; see suppressOn
}

// newSkeleton builds the skeleton of the attribute combinations in counts.
func newSkeleton(counts []Count) *skeleton {
	sk := &skeleton{tuple: make(map[Attrs]int, len(counts))}
	for _, c := range counts {
		if _, ok := sk.tuple[c.Attrs]; !ok {
			sk.tuple[c.Attrs] = 0
			sk.order = append(sk.order, c.Attrs)
		}
	}
	sortByKey(sk.order, func(a Attrs) string { return Project(a, allDims).key() })
	seen := map[Group]bool{}
	for t, a := range sk.order {
		sk.tuple[a] = t
		for mask := Dim(0); mask <= allDims; mask++ {
			seen[Project(a, mask)] = true
		}
	}
	sk.groups = make([]Group, 0, len(seen))
	for g := range seen {
		sk.groups = append(sk.groups, g)
	}
	sortByKey(sk.groups, Group.key)
	sk.index = make(map[Group]int, len(sk.groups))
	for i, g := range sk.groups {
		sk.index[g] = i
	}
	sk.projections = make([][]int, len(sk.order))
	for t, a := range sk.order {
		p := make([]int, 0, allDims+1)
		for mask := Dim(0); mask <= allDims; mask++ {
			p = append(p, sk.index[Project(a, mask)])
		}
		sk.projections[t] = p
	}
	sk.buildFamilies()
	return sk
}

// sortByKey sorts s by key(s[i]), computing each key once: the order is
// that of comparing the keys, without building two strings per comparison.
func sortByKey[T any](s []T, key func(T) string) {
	type keyed struct {
		key string
		v   T
	}
	ks := make([]keyed, len(s))
	for i, v := range s {
		ks[i] = keyed{key(v), v}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i := range ks {
		s[i] = ks[i].v
	}
}

// newLatticeOn is the lattice on sk, the skeleton of a round's attribute
// combinations, of tupleN people per tuple and n per group (as suppressOn
// counts them); no group is hidden yet.
func newLatticeOn(sk *skeleton, tupleN, n []int) *lattice {
	l := &lattice{groups: sk.groups, index: sk.index, families: sk.families, n: n, tupleN: tupleN}
	words := (len(sk.order) + 63) / 64
	l.hidden = make([]bool, len(l.groups))
	l.members = make([][]uint64, len(l.groups))
	bits := make([]uint64, words*len(l.groups))
	for i := range l.groups {
		l.members[i] = bits[i*words : (i+1)*words : (i+1)*words]
	}
	for t, x := range tupleN {
		if x == 0 {
			continue
		}
		for _, i := range sk.projections[t] {
			l.members[i][t/64] |= 1 << (t % 64)
		}
	}
	l.buildClasses()
	return l
}

func (sk *skeleton) buildFamilies() {
	type famKey struct {
		parent int
		dim    Dim
	}
	at := map[famKey]int{}
	for i, g := range sk.groups {
		for _, d := range Dims {
			if !g.Has(d) {
				continue
			}
			k := famKey{sk.index[g.Without(d)], d}
			j, ok := at[k]
			if !ok {
				j = len(sk.families)
				at[k] = j
				sk.families = append(sk.families, family{parent: k.parent})
			}
			sk.families[j].children = append(sk.families[j].children, i)
		}
	}
}

func (l *lattice) buildClasses() {
	at := map[string]int{}
	for i := range l.groups {
		if l.n[i] == 0 {
			continue
		}
		key := bitsKey(l.members[i])
		j, ok := at[key]
		if !ok {
			j = len(l.classes)
			at[key] = j
			l.classes = append(l.classes, nil)
		}
		l.classes[j] = append(l.classes[j], i)
	}
}

// fixFamily applies complementary suppression to one family: the parent
// equals the sum of its children, so if the parent is published, hidden
// children must be at least two and hold at least k responses together;
// if the parent is hidden, its children must not all be published.
func (l *lattice) fixFamily(f family, k int) bool {
	if l.n[f.parent] == 0 {
		return false
	}
	var hid, vis []int
	sum := 0
	for _, c := range f.children {
		switch {
		case l.n[c] == 0:
		case l.hidden[c]:
			hid = append(hid, c)
			sum += l.n[c]
		default:
			vis = append(vis, c)
		}
	}
	changed := false
	if l.hidden[f.parent] {
		if len(hid) == 0 && len(vis) > 0 {
			l.hidden[l.smallest(vis)] = true
			changed = true
		}
		return changed
	}
	for len(hid) > 0 && (len(hid) < 2 || sum < k) {
		if len(vis) == 0 {
			l.hidden[f.parent] = true
			return true
		}
		c := l.smallest(vis)
		l.hidden[c] = true
		vis = slices.DeleteFunc(vis, func(i int) bool { return i == c })
		hid = append(hid, c)
		sum += l.n[c]
		changed = true
	}
	return changed
}

// smallest returns the group with the fewest responses, the first in
// lattice order among equals, so the outcome is the same on every run.
func (l *lattice) smallest(is []int) int {
	best := is[0]
	for _, i := range is[1:] {
		if l.n[i] < l.n[best] || (l.n[i] == l.n[best] && i < best) {
			best = i
		}
	}
	return best
}

// fixNested hides a published group that a published larger group
// contains with fewer than k respondents to spare: the difference of the
// two would describe those few people.
func (l *lattice) fixNested(k int) bool {
	var vis []int
	for i := range l.groups {
		if !l.hidden[i] {
			vis = append(vis, i)
		}
	}
	changed := false
	for _, a := range vis {
		for _, b := range vis {
			d := l.n[b] - l.n[a]
			if d <= 0 || d >= k || l.hidden[a] || l.hidden[b] || !subset(l.members[a], l.members[b]) {
				continue
			}
			l.hidden[a] = true
			changed = true
		}
	}
	return changed
}

// fixClasses hides every group with the same respondents as a hidden one:
// "team X" and "sales in team X" are the same people when X is a sales team.
func (l *lattice) fixClasses() bool {
	changed := false
	for _, c := range l.classes {
		any := false
		for _, i := range c {
			any = any || l.hidden[i]
		}
		for _, i := range c {
			if any && !l.hidden[i] {
				l.hidden[i] = true
				changed = true
			}
		}
	}
	return changed
}

// subset reports whether bitset a is contained in b.
func subset(a, b []uint64) bool {
	for i := range a {
		if a[i]&^b[i] != 0 {
			return false
		}
	}
	return true
}

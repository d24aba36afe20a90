package analytics_test

import (
	"fmt"
	"slices"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
)

// statementBasis is what one statement's published numbers rest on: its
// answers (the distribution and mean) or, for its driver, the people who
// answered it and A1.
type statementBasis struct {
	key    string
	driver bool
}

func (s statementBasis) String() string {
	if s.driver {
		return "driver " + s.key
	}
	return "statement " + s.key
}

// behindStatement returns the people of round r in g behind basis s.
func (o *randomOrg) behindStatement(r int, g analytics.Group, s statementBasis) []string {
	var ps []string
	for p, a := range o.responders[r] {
		_, answered := o.likert[r][p][s.key]
		if g.Contains(a) && answered && (!s.driver || o.answered[r][p][onA1]) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

// statementRead is what the rollups publish of one group for one basis.
type statementRead struct {
	n   int
	why analytics.Reason
	// group: the group's cell is hidden, and why is its reason.
	group bool
}

// readStatements returns, for round r and basis s, what the rollups say of
// every group: from its statement row when the group is published, else
// its cell's reason.
func readStatements(cells []analytics.RollupCell, items []analytics.RollupItem, s statementBasis) map[analytics.Group]statementRead {
	out := map[analytics.Group]statementRead{}
	for _, c := range cells {
		if c.Hidden {
			out[cellGroup(c)] = statementRead{why: analytics.Reason(c.HiddenReason), group: true}
		}
	}
	for _, it := range items {
		if it.QuestionKey != s.key {
			continue
		}
		g := analytics.Group{Fixed: analytics.Dim(it.Fixed), Attrs: analytics.Attrs{it.Function, it.Team, it.Region, it.TenureBand, it.Language}}
		read := statementRead{n: it.Answers1 + it.Answers2 + it.Answers3 + it.Answers4 + it.Answers5, why: analytics.Reason(it.Hidden)}
		if s.driver {
			read = statementRead{n: it.PairN, why: analytics.Reason(it.DriverHidden)}
		}
		out[g] = read
	}
	return out
}

// checkStatements attacks the statement rollups as checkOrg attacks the
// cells: for every statement's answers and every driver, no published
// number rests on fewer than k people, reasons are true, subtraction and
// linear combinations isolate nobody, and consecutive rounds change by 0
// or at least k people.
func checkStatements(t *testing.T, db *gorm.DB, o *randomOrg) {
	t.Helper()
	var prev map[statementBasis]map[analytics.Group]statementRead
	for r, round := range o.rounds {
		var cells []analytics.RollupCell
		var items []analytics.RollupItem
		if err := db.Where("round_id = ?", round.ID).Find(&cells).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Where("round_id = ?", round.ID).Find(&items).Error; err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			t.Fatalf("%s round %d: no statement rollups", o.org.Slug, r+1)
		}
		now := map[statementBasis]map[analytics.Group]statementRead{}
		for _, key := range []string{"T1", "I2", "P4"} {
			for _, driver := range []bool{false, true} {
				s := statementBasis{key, driver}
				now[s] = readStatements(cells, items, s)
				checkStatementRound(t, o, r, s, now[s])
				if prev != nil {
					checkStatementContinuity(t, o, r, s, prev[s], now[s])
				}
			}
		}
		prev = now
	}
}

func checkStatementRound(t *testing.T, o *randomOrg, r int, s statementBasis, reads map[analytics.Group]statementRead) {
	t.Helper()
	where := fmt.Sprintf("%s (k=%d) round %d, %s", o.org.Slug, o.k, r+1, s)
	var counts []analytics.Count
	for p, a := range o.responders[r] {
		if slices.Contains(o.behindStatement(r, analytics.Group{}, s), p) {
			counts = append(counts, analytics.Count{Attrs: a, N: 1})
		}
	}
	published := map[analytics.Group]bool{}
	var rows [][]float64
	for g, read := range reads {
		n := len(o.behindStatement(r, g, s))
		responses := len(o.members(r, g))
		if read.why.Hidden() {
			if read.n != 0 {
				t.Fatalf("%s: hidden %s holds %d", where, g.Label(), read.n)
			}
			ok := true
			switch read.why {
			case analytics.FewResponses:
				ok = responses < o.k
			case analytics.Complementary:
				ok = read.group && responses >= o.k
			}
			if read.group && !ok {
				t.Fatalf("%s: hidden group %s reads %q with %d responses", where, g.Label(), read.why.Text(o.k), responses)
			}
			switch read.why {
			case analytics.FewResponses:
				ok = read.group
			case analytics.FewAnswers:
				ok = responses >= o.k && n < o.k
			case analytics.Complementary:
				ok = read.group || (responses >= o.k && n >= o.k)
			}
			if !ok {
				t.Fatalf("%s: %s reads %q with %d responses, %d behind", where, g.Label(), read.why.Text(o.k), responses, n)
			}
			continue
		}
		if n < o.k || read.n != n {
			t.Fatalf("%s: %s published resting on %d people (truly %d)", where, g.Label(), read.n, n)
		}
		published[g] = true
		rows = append(rows, indicator(counts, g))
	}
	for g := range published {
		for _, d := range analytics.Dims {
			if g.Has(d) {
				continue
			}
			rest, hidden := len(o.behindStatement(r, g, s)), 0
			for child := range reads {
				if child.Fixed != g.Fixed|d || child.Without(d) != g {
					continue
				}
				if n := len(o.behindStatement(r, child, s)); published[child] {
					rest -= n
				} else if n > 0 {
					hidden++
				}
			}
			if rest != 0 && (rest < o.k || hidden < 2) {
				t.Fatalf("%s: %s minus its published parts by %s leaves %d people in %d hidden groups", where, g.Label(), d.Name(), rest, hidden)
			}
		}
	}
	basis := rowBasis(rows)
	for g := range reads {
		if n := len(o.behindStatement(r, g, s)); n > 0 && n < o.k && inSpan(basis, indicator(counts, g)) {
			t.Fatalf("%s: %s (%d people) is a combination of published groups", where, g.Label(), n)
		}
	}
}

func checkStatementContinuity(t *testing.T, o *randomOrg, r int, s statementBasis, before, after map[analytics.Group]statementRead) {
	t.Helper()
	for g, read := range after {
		if read.why.Hidden() || before[g].why.Hidden() || before[g].n == 0 {
			continue
		}
		a, z := o.behindStatement(r-1, g, s), o.behindStatement(r, g, s)
		changed := 0
		for _, p := range a {
			if !slices.Contains(z, p) {
				changed++
			}
		}
		for _, p := range z {
			if !slices.Contains(a, p) {
				changed++
			}
		}
		if changed > 0 && changed < o.k {
			t.Fatalf("%s (k=%d): %s's %s published in rounds %d and %d, %d people changed", o.org.Slug, o.k, g.Label(), s, r, r+1, changed)
		}
	}
}

package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/roster"
	"accord/survey/webkit/webtest"
)

// randomOrg is a generated organisation: its people and, per round, who
// responded with which attributes and which questions they answered. It is
// the truth the published rollups and pages are checked against.
type randomOrg struct {
	org    *survey.Organisation
	k      int
	rounds []*survey.Round
	// responders[r] maps a person to the attributes they responded with in
	// round r; answered[r] to the bases (see basisNames) they answered.
	responders []map[string]analytics.Attrs
	answered   []map[string][bases]bool
	// likert[r] maps a person to their answers to the statements in round r.
	likert []map[string]map[string]int
}

// What the published numbers rest on, as the rollups store them: the
// responses, the A1 answers and each index's answers.
const (
	onResponses = iota
	onA1
	onTrust
	onInformation
	onProcess
	bases
)

var basisNames = [bases]string{"responses", "A1", "trust", "information", "process"}

// basisItems are the pulse's items of each index basis.
var basisItems = map[int][]string{onTrust: {"T1", "T2", "T3", "T4"}, onInformation: {"I1", "I2"}, onProcess: {"P1", "P2", "P3", "P4"}}

// basisOf reads, for basis b, the people a cell says a number rests on
// and why it is hidden (0: shown).
func basisOf(c analytics.RollupCell, b int) (n int, why analytics.Reason) {
	if c.Hidden {
		return 0, analytics.Reason(c.HiddenReason)
	}
	switch b {
	case onResponses:
		return c.Responses, analytics.Shown
	case onA1:
		return c.A1Level1 + c.A1Level2 + c.A1Level3 + c.A1Level4, analytics.Reason(c.A1Hidden)
	case onTrust:
		return c.TrustN, analytics.Reason(c.TrustHidden)
	case onInformation:
		return c.InformationN, analytics.Reason(c.InformationHidden)
	}
	return c.ProcessN, analytics.Reason(c.ProcessHidden)
}

// newRandomOrg stores an organisation of 10–45 people in a few small
// teams, regions and tenure bands, answering three rounds; a few people
// move team between rounds and about a quarter skip each round. Items are
// optional: each organisation has its own rate of skipped items (up to
// 60%), so an index often rests on fewer people than its group has
// responses, and now and then someone skips A1.
func newRandomOrg(t *testing.T, db *gorm.DB, rng *rand.Rand, slug string) *randomOrg {
	t.Helper()
	o := &randomOrg{org: webtest.MustOrg(t, db, slug, "Org "+slug), k: 3 + rng.IntN(4)}
	if err := db.Model(o.org).Update("min_group_size", o.k).Error; err != nil {
		t.Fatal(err)
	}
	o.org.MinGroupSize = o.k
	functions := []string{roster.FunctionSales, roster.FunctionProduct, roster.FunctionEngineering}[:2+rng.IntN(2)]
	regions := []string{"", "EMEA", "Americas"}[:1+rng.IntN(3)]
	tenures := []string{"<1 year", "1-2 years", "3+ years"}[:1+rng.IntN(3)]
	skip := 0.6 * rng.Float64()
	pick := func(vs []string) string { u := rng.Float64(); return vs[int(u*u*float64(len(vs)))] }
	n := 10 + rng.IntN(36)
	attrs := make([]analytics.Attrs, n)
	for i := range attrs {
		f := pick(functions)
		attrs[i] = analytics.Attrs{Function: f, Team: fmt.Sprintf("%s-%d", f[:2], rng.IntN(3)), Region: pick(regions), TenureBand: pick(tenures)}
	}
	for r := range 3 {
		var rs []analyticstest.Respondent
		who := map[string]analytics.Attrs{}
		answered := map[string][bases]bool{}
		likert := map[string]map[string]int{}
		for i := range attrs {
			if rng.IntN(10) == 0 { // moves team
				attrs[i].Team = fmt.Sprintf("%s-%d", attrs[i].Function[:2], rng.IntN(3))
			}
			a := attrs[i]
			resp := analyticstest.Respondent{Person: fmt.Sprintf("u%d", i), Function: a.Function, Team: a.Team, Region: a.Region,
				TenureBand: a.TenureBand, Declined: rng.Float64() < 0.25, Likert: map[string]int{}}
			var got [bases]bool
			got[onResponses] = true
			if rng.IntN(12) > 0 {
				resp.A1, got[onA1] = 1+rng.IntN(4), true
			}
			for b, items := range basisItems {
				for _, key := range items {
					if rng.Float64() >= skip {
						resp.Likert[key], got[b] = 1+rng.IntN(5), true
					}
				}
			}
			if rng.IntN(3) == 0 {
				resp.Comment = fmt.Sprintf("comment %d of u%d", r, i)
			}
			if !resp.Declined {
				who[resp.Person], answered[resp.Person], likert[resp.Person] = a, got, resp.Likert
			}
			rs = append(rs, resp)
		}
		round := analyticstest.MustRound(t, db, o.org, analyticstest.Round{Title: fmt.Sprintf("Round %d", r+1),
			OpensAt: jan.AddDate(0, r, 0), Respondents: rs})
		o.rounds = append(o.rounds, round)
		o.responders = append(o.responders, who)
		o.answered = append(o.answered, answered)
		o.likert = append(o.likert, likert)
	}
	return o
}

// members returns the people of round r in group g.
func (o *randomOrg) members(r int, g analytics.Group) []string { return o.behind(r, g, onResponses) }

// behind returns the people of round r in group g behind numbers of basis b.
func (o *randomOrg) behind(r int, g analytics.Group, b int) []string {
	var ps []string
	for p, a := range o.responders[r] {
		if g.Contains(a) && o.answered[r][p][b] {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

func cellGroup(c analytics.RollupCell) analytics.Group {
	return analytics.Group{Fixed: analytics.Dim(c.Fixed), Attrs: analytics.Attrs{c.Function, c.Team, c.Region, c.TenureBand, c.Language}}
}

// TestPublishedRollupsNeverRevealSmallGroups generates random
// organisations, with random item non-response, and attacks what the
// rollup tables publish, for every number separately (responses, A1
// answers, each index's answers), with the truth in hand:
//   - direct reading: no published number rests on fewer than k people,
//     and each says truly how many; hidden numbers hold nothing;
//   - subtraction: in every breakdown of a published number, the total
//     minus the published parts is 0 or at least k people in at least two
//     hidden groups;
//   - linear combination: no group of fewer than k people behind a number
//     is a combination of published groups' numbers;
//   - across rounds: a number published in consecutive rounds rests on
//     the same people or on at least k who changed;
//   - honest reasons: "fewer than k" only when it is so.
func TestPublishedRollupsNeverRevealSmallGroups(t *testing.T) {
	t.Parallel()
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		rng := rand.New(rand.NewPCG(11, 12))
		for i := range 20 {
			o := newRandomOrg(t, db, rng, fmt.Sprintf("org-%d", i))
			if err := analytics.Refresh(t.Context(), db, o.org, jan.AddDate(1, 0, 0)); err != nil {
				t.Fatal(err)
			}
			checkOrg(t, db, o)
			checkStatements(t, db, o)
		}
	})
}

// checkOrg runs every attack on every round and basis of o's rollups.
func checkOrg(t *testing.T, db *gorm.DB, o *randomOrg) {
	t.Helper()
	cells := make([][]analytics.RollupCell, len(o.rounds))
	for r, round := range o.rounds {
		if err := db.Where("round_id = ?", round.ID).Find(&cells[r]).Error; err != nil {
			t.Fatal(err)
		}
		for b := range bases {
			checkRound(t, o, r, b, cells[r])
			if r > 0 {
				checkContinuity(t, o, r, b, cells[r-1], cells[r])
			}
		}
	}
}

func checkRound(t *testing.T, o *randomOrg, r, b int, cells []analytics.RollupCell) {
	t.Helper()
	where := fmt.Sprintf("%s (k=%d) round %d, %s", o.org.Slug, o.k, r+1, basisNames[b])
	published := map[analytics.Group]bool{}
	var counts []analytics.Count
	for p, a := range o.responders[r] {
		if o.answered[r][p][b] {
			counts = append(counts, analytics.Count{Attrs: a, N: 1})
		}
	}
	var rows [][]float64
	for _, c := range cells {
		g := cellGroup(c)
		n := len(o.behind(r, g, b))
		stored, why := basisOf(c, b)
		checkReason(t, where, g, c, why, n, len(o.members(r, g)), o.k)
		if why.Hidden() {
			if stored != 0 || (c.Hidden && (c.Responses != 0 || c.A1Level1+c.A1Level2+c.A1Level3+c.A1Level4 != 0 || c.TrustSum != 0)) {
				t.Fatalf("%s: hidden %s holds numbers: %+v", where, g.Label(), c)
			}
			continue
		}
		if n < o.k || stored != n {
			t.Fatalf("%s: %s published resting on %d people (truly %d)", where, g.Label(), stored, n)
		}
		published[g] = true
		rows = append(rows, indicator(counts, g))
	}
	for g := range published {
		checkSubtraction(t, where, o, r, b, g, cells, published)
	}
	basis := rowBasis(rows)
	for _, c := range cells {
		g := cellGroup(c)
		if n := len(o.behind(r, g, b)); n > 0 && n < o.k && inSpan(basis, indicator(counts, g)) {
			t.Fatalf("%s: %s (%d people) is a combination of published groups", where, g.Label(), n)
		}
	}
}

// checkReason: a hidden number says "fewer than k" only when it is so,
// and "cannot be worked out" only when it rests on k people or more.
func checkReason(t *testing.T, where string, g analytics.Group, c analytics.RollupCell, why analytics.Reason, n, responses, k int) {
	t.Helper()
	ok := true
	switch why {
	case analytics.FewResponses:
		ok = c.Hidden && responses < k
	case analytics.FewAnswers:
		ok = !c.Hidden && responses >= k && n < k
	case analytics.Complementary:
		ok = (c.Hidden && responses >= k) || (!c.Hidden && n >= k)
	}
	if !ok {
		t.Fatalf("%s: %s reads %q with %d responses, %d behind the number", where, g.Label(), why.Text(k), responses, n)
	}
}

// checkSubtraction: published g minus its published parts along each
// attribute leaves 0 or at least k people, in at least two hidden parts.
func checkSubtraction(t *testing.T, where string, o *randomOrg, r, b int, g analytics.Group, cells []analytics.RollupCell, published map[analytics.Group]bool) {
	t.Helper()
	for _, d := range analytics.Dims {
		if g.Has(d) {
			continue
		}
		rest, hidden := len(o.behind(r, g, b)), 0
		for _, c := range cells {
			child := cellGroup(c)
			if child.Fixed != g.Fixed|d || child.Without(d) != g {
				continue
			}
			n := len(o.behind(r, child, b))
			if published[child] {
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

func indicator(counts []analytics.Count, g analytics.Group) []float64 {
	v := make([]float64, len(counts))
	for i, c := range counts {
		if g.Contains(c.Attrs) {
			v[i] = 1
		}
	}
	return v
}

// checkContinuity: a number of a group published in rounds r-1 and r
// rests on the same people or on at least k who joined or left it.
func checkContinuity(t *testing.T, o *randomOrg, r, b int, before, after []analytics.RollupCell) {
	t.Helper()
	was := map[analytics.Group]bool{}
	for _, c := range before {
		if _, why := basisOf(c, b); !why.Hidden() {
			was[cellGroup(c)] = true
		}
	}
	for _, c := range after {
		g := cellGroup(c)
		if _, why := basisOf(c, b); why.Hidden() || !was[g] {
			continue
		}
		a, z := o.behind(r-1, g, b), o.behind(r, g, b)
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
			t.Fatalf("%s (k=%d): %s's %s published in rounds %d and %d, %d people changed", o.org.Slug, o.k, g.Label(), basisNames[b], r, r+1, changed)
		}
	}
}

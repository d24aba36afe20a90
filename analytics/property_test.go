package analytics_test

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/analytics/analyticstest"
	"accord/analytics/charts"
	analyticsweb "accord/analytics/web"
	"accord/survey"
	"accord/survey/database/databasetest"
	"accord/survey/web/webtest"
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
func basisOf(c survey.RollupCell, b int) (n int, why analytics.Reason) {
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
	functions := []string{survey.FunctionSales, survey.FunctionProduct, survey.FunctionEngineering}[:2+rng.IntN(2)]
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
				who[resp.Person], answered[resp.Person] = a, got
			}
			rs = append(rs, resp)
		}
		round := analyticstest.MustRound(t, db, o.org, analyticstest.Round{Title: fmt.Sprintf("Round %d", r+1),
			OpensAt: jan.AddDate(0, r, 0), Respondents: rs})
		o.rounds = append(o.rounds, round)
		o.responders = append(o.responders, who)
		o.answered = append(o.answered, answered)
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

func cellGroup(c survey.RollupCell) analytics.Group {
	return analytics.Group{Fixed: analytics.Dim(c.Fixed), Attrs: analytics.Attrs{c.Function, c.Team, c.Region, c.TenureBand}}
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
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		rng := rand.New(rand.NewPCG(11, 12))
		for i := range 20 {
			o := newRandomOrg(t, db, rng, fmt.Sprintf("org-%d", i))
			if err := analytics.Refresh(t.Context(), db, o.org, jan.AddDate(1, 0, 0)); err != nil {
				t.Fatal(err)
			}
			checkOrg(t, db, o)
		}
	})
}

// checkOrg runs every attack on every round and basis of o's rollups.
func checkOrg(t *testing.T, db *gorm.DB, o *randomOrg) {
	t.Helper()
	cells := make([][]survey.RollupCell, len(o.rounds))
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

func checkRound(t *testing.T, o *randomOrg, r, b int, cells []survey.RollupCell) {
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
func checkReason(t *testing.T, where string, g analytics.Group, c survey.RollupCell, why analytics.Reason, n, responses, k int) {
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
func checkSubtraction(t *testing.T, where string, o *randomOrg, r, b int, g analytics.Group, cells []survey.RollupCell, published map[analytics.Group]bool) {
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
func checkContinuity(t *testing.T, o *randomOrg, r, b int, before, after []survey.RollupCell) {
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

var pageChart = regexp.MustCompile(`<div id="([^"]+)" class="chart" data-chart="([^"]*)"`)

// TestPagesShowOnlyPublishedGroups requests random filters of random
// organisations through the real router and checks every number a page
// carries against the rollups: hidden groups and numbers read their true
// reason, the heatmap draws a value only for a published number and marks
// every hidden one, and the comments of a hidden group are never shown.
func TestPagesShowOnlyPublishedGroups(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		rng := rand.New(rand.NewPCG(21, 22))
		srv := webtest.NewServer(t, db, analyticsweb.Register)
		srv.Clock.Set(jan.AddDate(1, 0, 0))
		for i := range 4 {
			o := newRandomOrg(t, db, rng, fmt.Sprintf("page-%d", i))
			email := fmt.Sprintf("leader%d@example.test", i)
			webtest.MustAccount(t, db, email, survey.RoleLeader, o.org.ID)
			client := srv.Client(t)
			client.Login(email, webtest.Password)
			for range 8 {
				r := rng.IntN(len(o.rounds))
				f := randomFilter(rng, o, r)
				v := url.Values{"round": {fmt.Sprint(o.rounds[r].ID)}}
				for _, d := range analytics.Dims {
					if f.Has(d) {
						v.Set(d.Name(), formValue(f.Get(d)))
					}
				}
				page := client.Get("/orgs/" + o.org.Slug + "?" + v.Encode())
				checkPage(t, db, o, r, f, page.Body)
			}
			checkOrg(t, db, o) // the rollups the pages read, attacked too
		}
	})
}

func formValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// randomFilter fixes one or two attributes of a random respondent of round r.
func randomFilter(rng *rand.Rand, o *randomOrg, r int) analytics.Group {
	var people []analytics.Attrs
	for _, a := range o.responders[r] {
		people = append(people, a)
	}
	slices.SortFunc(people, func(a, b analytics.Attrs) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	a := people[rng.IntN(len(people))]
	mask := analytics.Dim(1 + rng.IntN(15))
	return analytics.Project(a, mask)
}

func checkPage(t *testing.T, db *gorm.DB, o *randomOrg, r int, f analytics.Group, body string) {
	t.Helper()
	where := fmt.Sprintf("%s (k=%d) round %d, filter %s", o.org.Slug, o.k, r+1, f.Label())
	var cells []survey.RollupCell
	db.Where("round_id = ?", o.rounds[r].ID).Find(&cells)
	var cell *survey.RollupCell
	for i, c := range cells {
		if cellGroup(c) == f {
			cell = &cells[i]
		}
	}
	if cell == nil {
		t.Fatalf("%s: no rollup cell for the filter", where)
	}
	text := html.UnescapeString(body)
	if cell.Hidden {
		why := analytics.Reason(cell.HiddenReason).Text(o.k)
		if !strings.Contains(text, why) || strings.Contains(body, `class="card headline"`) || strings.Contains(body, "<ul class=\"comments\">") {
			t.Fatalf("%s: hidden group does not say %q, or shows results or comments", where, why)
		}
	}
	parts := map[string]survey.RollupCell{} // the filter's parts, by table label
	for _, c := range cells {
		g := cellGroup(c)
		if d := onlyOneMore(g, f); d != 0 && includes(g, f) {
			parts[d.Label()+": "+analytics.ValueLabel(g.Get(d))] = c
		}
	}
	for id, option := range chartsOf(t, body) {
		if id == charts.HeatmapID {
			checkHeatmap(t, where, option, parts)
		}
	}
	for label, c := range parts {
		if c.Hidden && strings.Contains(text, "<th scope=\"row\">"+label+"</th><td>") {
			t.Fatalf("%s: table shows numbers for hidden group %s", where, label)
		}
		row := "<th scope=\"row\">" + label + "</th><td colspan=\"6\" class=\"suppressed\">" + analytics.Reason(c.HiddenReason).Text(o.k) + "</td>"
		if c.Hidden && !cell.Hidden && !strings.Contains(text, row) {
			t.Fatalf("%s: hidden group %s does not read its reason, %q", where, label, analytics.Reason(c.HiddenReason).Text(o.k))
		}
	}
}

// heatmapBasis is the basis each heatmap column rests on.
var heatmapBasis = []int{onA1, onA1, onTrust, onInformation, onProcess}

// checkHeatmap: a cell drawn with a value is a published number; every
// hidden number of a row is drawn as a hidden cell, not left blank.
func checkHeatmap(t *testing.T, where string, option heatOption, parts map[string]survey.RollupCell) {
	t.Helper()
	marked := map[[2]int]bool{}
	for s, series := range option.Series {
		for _, p := range series.Data {
			x, y := int(p.Value[0].(float64)), int(p.Value[1].(float64))
			label := html.UnescapeString(option.YAxis[0].Data[y])
			_, why := basisOf(parts[label], heatmapBasis[x])
			if hidden := s == 1; why.Hidden() != hidden {
				t.Fatalf("%s: heatmap draws %s's column %d as hidden=%v, its number is hidden=%v", where, label, x, hidden, why.Hidden())
			}
			marked[[2]int{x, y}] = true
		}
	}
	for y, label := range option.YAxis[0].Data {
		for x := range heatmapBasis {
			if !marked[[2]int{x, y}] {
				t.Fatalf("%s: heatmap leaves %s's column %d blank", where, html.UnescapeString(label), x)
			}
		}
	}
}

// includes reports whether g fixes everything f fixes, to the same values.
func includes(g, f analytics.Group) bool {
	for _, d := range analytics.Dims {
		if f.Has(d) && (!g.Has(d) || g.Get(d) != f.Get(d)) {
			return false
		}
	}
	return true
}

// onlyOneMore returns the one attribute g fixes beyond f, or 0.
func onlyOneMore(g, f analytics.Group) analytics.Dim {
	extra := g.Fixed &^ f.Fixed
	if extra == 0 || extra&(extra-1) != 0 {
		return 0
	}
	return extra
}

type heatOption struct {
	YAxis []struct {
		Data []string `json:"data"`
	} `json:"yAxis"`
	Series []struct {
		Data []struct {
			Value []any `json:"value"`
		} `json:"data"`
	} `json:"series"`
}

func chartsOf(t *testing.T, body string) map[string]heatOption {
	t.Helper()
	out := map[string]heatOption{}
	for _, m := range pageChart.FindAllStringSubmatch(body, -1) {
		if m[1] != charts.HeatmapID {
			continue
		}
		var o heatOption
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &o); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = o
	}
	return out
}

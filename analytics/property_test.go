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
// responded with which attributes. It is the truth the published rollups
// and pages are checked against.
type randomOrg struct {
	org    *survey.Organisation
	k      int
	rounds []*survey.Round
	// responders[r] maps a person to the attributes they responded with in
	// round r.
	responders []map[string]analytics.Attrs
}

// newRandomOrg stores an organisation of 10–45 people in a few small
// teams, regions and tenure bands, answering three rounds; a few people
// move team between rounds and about a quarter skip each round.
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
		for i := range attrs {
			if rng.IntN(10) == 0 { // moves team
				attrs[i].Team = fmt.Sprintf("%s-%d", attrs[i].Function[:2], rng.IntN(3))
			}
			a := attrs[i]
			resp := analyticstest.Respondent{Person: fmt.Sprintf("u%d", i), Function: a.Function, Team: a.Team, Region: a.Region,
				TenureBand: a.TenureBand, Declined: rng.Float64() < 0.25, A1: 1 + rng.IntN(4),
				Likert: map[string]int{"T1": 1 + rng.IntN(5), "T2": 1 + rng.IntN(5), "I1": 1 + rng.IntN(5), "P1": 1 + rng.IntN(5)}}
			if rng.IntN(3) == 0 {
				resp.Comment = fmt.Sprintf("comment %d of u%d", r, i)
			}
			if !resp.Declined {
				who[resp.Person] = a
			}
			rs = append(rs, resp)
		}
		round := analyticstest.MustRound(t, db, o.org, analyticstest.Round{Title: fmt.Sprintf("Round %d", r+1),
			OpensAt: jan.AddDate(0, r, 0), Respondents: rs})
		o.rounds = append(o.rounds, round)
		o.responders = append(o.responders, who)
	}
	return o
}

// members returns the people of round r in group g.
func (o *randomOrg) members(r int, g analytics.Group) []string {
	var ps []string
	for p, a := range o.responders[r] {
		if g.Contains(a) {
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
// organisations and checks what the rollup tables publish against the
// truth: no published group below k; hidden groups hold no number; in
// every breakdown of a published group, the total minus the published
// parts is 0 or at least k people in at least two hidden groups (never one
// hidden group's count); no small group is any linear combination of
// published ones; consecutive published results rest on the same people
// or on at least k changed.
func TestPublishedRollupsNeverRevealSmallGroups(t *testing.T) {
	databasetest.Each(t, func(t *testing.T, db *gorm.DB) {
		rng := rand.New(rand.NewPCG(11, 12))
		for i := range 12 {
			o := newRandomOrg(t, db, rng, fmt.Sprintf("org-%d", i))
			if err := analytics.Refresh(t.Context(), db, o.org, jan.AddDate(1, 0, 0)); err != nil {
				t.Fatal(err)
			}
			for r, round := range o.rounds {
				var cells []survey.RollupCell
				if err := db.Where("round_id = ?", round.ID).Find(&cells).Error; err != nil {
					t.Fatal(err)
				}
				checkRound(t, o, r, cells)
				if r > 0 {
					checkContinuity(t, o, r, db)
				}
			}
		}
	})
}

func checkRound(t *testing.T, o *randomOrg, r int, cells []survey.RollupCell) {
	t.Helper()
	where := fmt.Sprintf("%s (k=%d) round %d", o.org.Slug, o.k, r+1)
	published := map[analytics.Group]bool{}
	var counts []analytics.Count
	for _, a := range o.responders[r] {
		counts = append(counts, analytics.Count{Attrs: a, N: 1})
	}
	var rows [][]float64
	for _, c := range cells {
		g := cellGroup(c)
		n := len(o.members(r, g))
		if c.Hidden {
			if c.Responses != 0 || c.A1Level1+c.A1Level2+c.A1Level3+c.A1Level4 != 0 || c.TrustN != 0 || c.TrustSum != 0 {
				t.Fatalf("%s: hidden %s holds numbers: %+v", where, g.Label(), c)
			}
			continue
		}
		if n < o.k || c.Responses != n {
			t.Fatalf("%s: %s published with %d responses (truly %d)", where, g.Label(), c.Responses, n)
		}
		published[g] = true
		rows = append(rows, indicator(counts, g))
	}
	for g := range published {
		for _, d := range analytics.Dims {
			if g.Has(d) {
				continue
			}
			rest, hidden := len(o.members(r, g)), 0
			for _, c := range cells {
				child := cellGroup(c)
				if child.Fixed != g.Fixed|d || child.Without(d) != g {
					continue
				}
				n := len(o.members(r, child))
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
	basis := rowBasis(rows)
	for _, c := range cells {
		g := cellGroup(c)
		if n := len(o.members(r, g)); n > 0 && n < o.k && inSpan(basis, indicator(counts, g)) {
			t.Fatalf("%s: %s (%d people) is a combination of published groups", where, g.Label(), n)
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

// checkContinuity: a group published in rounds r-1 and r rests on the
// same people or on at least k who joined or left.
func checkContinuity(t *testing.T, o *randomOrg, r int, db *gorm.DB) {
	t.Helper()
	var before, after []survey.RollupCell
	db.Where("round_id = ? AND NOT hidden", o.rounds[r-1].ID).Find(&before)
	db.Where("round_id = ? AND NOT hidden", o.rounds[r].ID).Find(&after)
	was := map[analytics.Group]bool{}
	for _, c := range before {
		was[cellGroup(c)] = true
	}
	for _, c := range after {
		g := cellGroup(c)
		if !was[g] {
			continue
		}
		a, b := o.members(r-1, g), o.members(r, g)
		changed := 0
		for _, p := range a {
			if !slices.Contains(b, p) {
				changed++
			}
		}
		for _, p := range b {
			if !slices.Contains(a, p) {
				changed++
			}
		}
		if changed > 0 && changed < o.k {
			t.Fatalf("%s (k=%d): %s published in rounds %d and %d, %d people changed", o.org.Slug, o.k, g.Label(), r, r+1, changed)
		}
	}
}

var pageChart = regexp.MustCompile(`<div id="([^"]+)" class="chart" data-chart="([^"]*)"`)

// TestPagesShowOnlyPublishedGroups requests random filters of random
// organisations through the real router and checks every number a page
// carries against the rollups: hidden groups read "fewer than k
// responses", have no heatmap cell and no trend point, and the comments
// of a hidden group are never shown.
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
	hidden := map[string]bool{}
	var cell *survey.RollupCell
	for i, c := range cells {
		if cellGroup(c) == f {
			cell = &cells[i]
		}
	}
	if cell == nil {
		t.Fatalf("%s: no rollup cell for the filter", where)
	}
	fewer := fmt.Sprintf("fewer than %d responses", o.k)
	if cell.Hidden {
		if !strings.Contains(body, fewer+" in") || strings.Contains(body, `class="card headline"`) || strings.Contains(body, "<ul class=\"comments\">") {
			t.Fatalf("%s: hidden group shows results or comments", where)
		}
	}
	for _, c := range cells {
		g := cellGroup(c)
		if g.Fixed != f.Fixed|(g.Fixed&^f.Fixed) || g.Fixed == f.Fixed || !includes(g, f) || onlyOneMore(g, f) == 0 {
			continue
		}
		d := onlyOneMore(g, f)
		hidden[d.Label()+": "+d.ValueLabel(g.Get(d))] = c.Hidden
	}
	for id, option := range chartsOf(t, body) {
		if id != charts.HeatmapID {
			continue
		}
		for _, p := range option.Series[0].Data {
			y := int(p.Value[1].(float64))
			label := option.YAxis[0].Data[y]
			if hidden[html.UnescapeString(label)] {
				t.Fatalf("%s: heatmap shows hidden group %s", where, label)
			}
		}
	}
	text := html.UnescapeString(body)
	for label, h := range hidden {
		row := "<th scope=\"row\">" + label + "</th><td colspan"
		if h && strings.Contains(text, "<th scope=\"row\">"+label+"</th><td>") {
			t.Fatalf("%s: table shows numbers for hidden group %s", where, label)
		}
		if h && !cell.Hidden && !strings.Contains(text, row) {
			t.Fatalf("%s: hidden group %s does not read %q", where, label, fewer)
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

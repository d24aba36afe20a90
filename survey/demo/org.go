package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"accord/survey"
	"accord/survey/roster"
)

// orgPlan is one organisation's character: how aligned it is and where it
// is heading, how far its functions disagree, how keen people are to answer.
type orgPlan struct {
	rng       *rand.Rand
	org       survey.Organisation
	quarterly bool
	zone      string    // the schedule's time zone
	weights   []float64 // roster shares of the functions, in survey.Functions order

	align      float64         // latent alignment of the current round; 0 is the study's average
	baseline   float64         // alignment in the oldest round, before any trend
	trend      float64         // drift per round: some organisations improve, some worsen
	volatility float64         // size of the round-to-round random steps
	wander     float64         // the random walk's current distance from the trend line
	wave       float64         // showcase only: amplitude of a slow swing around the baseline
	phase      float64         // where on the swing the oldest round is
	rounds     int             // rounds generated so far
	gap        float64         // scale of the perception gap between functions
	rate       float64         // base response rate
	openShare  float64         // share of eventual respondents who answered the open round already
	comments   float64         // share of respondents who leave a comment
	said       map[string]bool // comments already written, so that none repeats

	teams      map[string][]string
	regions    []string
	traits     []trait // per person, parallel to the roster
	byFunction [][]int // person indices per function, in survey.Functions order
}

// trait is what stays with a person from round to round.
type trait struct {
	function   int     // index into survey.Functions
	effect     float64 // sees things better or worse than colleagues
	propensity float64 // tends to answer surveys, or not
}

// orgNames returns n organisation names: a seeded permutation of every
// prefix-suffix pair, numbered once they run out.
func orgNames(rng *rand.Rand, n int) []string {
	combos := len(orgPrefixes) * len(orgSuffixes)
	perm := rng.Perm(combos)
	names := make([]string, n)
	for i := range names {
		p := perm[i%combos]
		names[i] = orgPrefixes[p/len(orgSuffixes)] + " " + orgSuffixes[p%len(orgSuffixes)]
		if i >= combos {
			names[i] += fmt.Sprintf(" %d", i/combos+1)
		}
	}
	return names
}

// newOrgPlan draws an organisation's character and a slug not in taken.
func newOrgPlan(rng *rand.Rand, name string, taken map[string]bool) *orgPlan {
	base := slugify(name)
	slug := base
	for n := 2; taken[slug]; n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	p := &orgPlan{
		rng: rng,
		org: survey.Organisation{Name: name, Slug: slug, BenchmarkOptIn: true,
			MinGroupSize: survey.DefaultMinGroupSize, CommentThreshold: survey.DefaultCommentThreshold},
		quarterly:  rng.Float64() < 0.4,
		zone:       zones[rng.IntN(len(zones))],
		weights:    functionWeights,
		baseline:   rng.NormFloat64() * 0.3,
		trend:      (rng.Float64()*2 - 1) * 0.04,
		volatility: 0.08 + rng.Float64()*0.12,
		gap:        0.4 + rng.Float64()*1.2,
		rate:       0.62 + rng.Float64()*0.22,
		openShare:  0.4 + rng.Float64()*0.35,
		comments:   0.2 + rng.Float64()*0.2,
		teams:      map[string][]string{},
		said:       map[string]bool{},
	}
	sizes := map[string][2]int{ // fewest and most teams per function
		roster.FunctionSales: {2, 3}, roster.FunctionProduct: {2, 3}, roster.FunctionEngineering: {2, 4},
		roster.FunctionMarketing: {1, 2}, roster.FunctionExecutive: {1, 1}, roster.FunctionOther: {1, 3},
	}
	p.wander = rng.NormFloat64() * p.volatility
	p.align = p.baseline + p.wander
	for _, f := range roster.Functions {
		p.teams[f] = pickSome(rng, teams[f], sizes[f][0]+rng.IntN(sizes[f][1]-sizes[f][0]+1))
	}
	if rng.Float64() >= 0.15 { // some clients keep no regions on their roster
		p.regions = pickSome(rng, regions, 1+rng.IntN(len(regions)))
	}
	return p
}

// showcase fixes the character of the organisation a newcomer meets first
// (Options.Showcase): monthly, swinging slowly around the study's
// alignment, a wide gap between sales and product, willing respondents.
func (p *orgPlan) showcase() {
	p.quarterly, p.weights = false, showcaseWeights
	p.baseline, p.trend, p.volatility = -0.03, 0, 0.03
	p.wave, p.phase = 0.14, p.rng.Float64()*2*math.Pi
	p.gap, p.rate, p.openShare, p.comments = 1.35, 0.74, 0.55, 0.3
	p.wander = p.rng.NormFloat64() * p.volatility
	p.align = p.baseline + p.wave*math.Sin(p.phase) + p.wander
}

// roster returns n people and records their traits. The first six people
// cover every function, so even a tiny organisation has all of them.
func (p *orgPlan) roster(n int) []roster.Person {
	people := make([]roster.Person, n)
	p.traits = make([]trait, n)
	p.byFunction = make([][]int, len(roster.Functions))
	emails := map[string]bool{}
	for i := range people {
		fi := i
		if i >= len(roster.Functions) {
			fi = weighted(p.rng, p.weights)
		}
		f := roster.Functions[fi]
		first, last := firstNames[p.rng.IntN(len(firstNames))], lastNames[p.rng.IntN(len(lastNames))]
		local := strings.ReplaceAll(fold(first)+"."+fold(last), " ", "")
		email := local + "@" + p.org.Slug + ".example"
		for k := 2; emails[email]; k++ {
			email = fmt.Sprintf("%s%d@%s.example", local, k, p.org.Slug)
		}
		emails[email] = true
		people[i] = roster.Person{
			OrgID: p.org.ID, Email: email, Name: first + " " + last, Function: f,
			Team: skewed(p.rng, p.teams[f]), Region: skewed(p.rng, p.regions),
			TenureBand: tenureBands[weighted(p.rng, tenureWeight)], Active: true,
		}
		p.traits[i] = trait{function: fi, effect: p.rng.NormFloat64() * 0.45, propensity: p.rng.NormFloat64() * 0.8}
		p.byFunction[fi] = append(p.byFunction[fi], i)
	}
	return people
}

// plannedSchedule returns the schedule the organisation's rounds follow,
// past ones included, so that its history and its future agree: monthly
// or quarterly at 09:00 in its zone, open two weeks, reminders on days 3
// and 5. It starts past periods before the open round, which opened 2–9
// days before now (on a day of the month every month has).
func (p *orgPlan) plannedSchedule(instrumentID int64, past int, now time.Time) (survey.Schedule, error) {
	loc, err := survey.LoadZone(p.zone)
	if err != nil {
		return survey.Schedule{}, err
	}
	y, m, d := now.In(loc).AddDate(0, 0, -(2 + p.rng.IntN(5))).Date()
	step, cadence, name := 1, survey.CadenceMonthly, "Monthly alignment pulse"
	if p.quarterly {
		step, cadence, name = 3, survey.CadenceQuarterly, "Quarterly alignment pulse"
	}
	first := time.Date(y, m-time.Month(past*step), min(d, 28), 0, 0, 0, 0, time.UTC)
	return survey.Schedule{OrgID: p.org.ID, Name: name, InstrumentID: instrumentID, Cadence: cadence, StartDate: first,
		SendTime: "09:00", TimeZone: p.zone, WindowDays: 14, ReminderDays: []int{3, 5}, Active: true,
		CreatedAt: now, UpdatedAt: now}, nil
}

// periodRounds returns the schedule's first past+1 periods as rounds,
// oldest first: the last is open at now, the others closed at their deadlines.
func periodRounds(sc *survey.Schedule, past int, now time.Time) ([]survey.Round, error) {
	rs := make([]survey.Round, past+1)
	for k := range rs {
		period, err := sc.Period(k)
		if err != nil {
			return nil, err
		}
		id := sc.ID
		r := survey.Round{OrgID: sc.OrgID, InstrumentID: sc.InstrumentID, Title: sc.RoundTitle(period), Status: survey.RoundOpen,
			OpensAt: period.OpensAt, ClosesAt: period.ClosesAt, ScheduleID: &id, PeriodStart: period.Start,
			CreatedAt: period.OpensAt.AddDate(0, 0, -1)}
		if k < past {
			closed := r.ClosesAt
			r.Status, r.ClosedAt = survey.RoundClosed, &closed
		} else if !r.AcceptsAnswers(now) {
			return nil, fmt.Errorf("demo: the open round runs %s to %s, not over %s", r.OpensAt, r.ClosesAt, now)
		}
		rs[k] = r
	}
	return rs, nil
}

// drift moves the organisation's alignment one round forward: along its
// trend, capped so that forty rounds do not run off the scale, plus a
// random walk pulled back towards the trend line, so rounds wobble without
// the wobbles adding up.
// A showcase organisation swings instead, on a slow wave around its
// baseline, so that its rounds fall on both sides of the study's share
// whatever the seed.
func (p *orgPlan) drift() {
	p.rounds++
	p.wander = 0.7*p.wander + p.rng.NormFloat64()*p.volatility
	if p.wave > 0 {
		p.wander = p.rng.NormFloat64() * p.volatility
		p.align = p.baseline + p.wave*math.Sin(p.phase+0.9*float64(p.rounds)) + p.wander
		return
	}
	p.align = math.Max(-1, math.Min(1, p.baseline+p.trend*float64(p.rounds))) + p.wander
}

// slugify turns a name into a URL slug: "Northwind Analytics 2" → "northwind-analytics-2".
func slugify(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(fold(name))), "-")
}

// fold lowercases the characters our name pools use into ASCII letters,
// digits and spaces, for slugs and email addresses.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == ' ':
			b.WriteRune(r)
		case r == 'á':
			b.WriteRune('a')
		case r == 'é':
			b.WriteRune('e')
		case r == 'ü':
			b.WriteRune('u')
		}
	}
	return b.String()
}

// pickSome returns n distinct elements of pool in a random order.
func pickSome(rng *rand.Rand, pool []string, n int) []string {
	out := make([]string, len(pool))
	for i, j := range rng.Perm(len(pool)) {
		out[i] = pool[j]
	}
	return out[:n]
}

// skewed picks an element, favouring the first ones, so that teams and
// regions have uneven sizes; "" from an empty pool.
func skewed(rng *rand.Rand, pool []string) string {
	if len(pool) == 0 {
		return ""
	}
	u := rng.Float64()
	return pool[int(u*u*float64(len(pool)))]
}

// weighted picks an index with probability proportional to its weight.
func weighted(rng *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := rng.Float64() * total
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// existingSlugs returns the slugs already taken in the database.
func existingSlugs(db *gorm.DB) (map[string]bool, error) {
	var slugs []string
	if err := db.Model(&survey.Organisation{}).Pluck("slug", &slugs).Error; err != nil {
		return nil, fmt.Errorf("demo: list organisations: %w", err)
	}
	taken := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		taken[s] = true
	}
	return taken, nil
}

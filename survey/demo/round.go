package demo

import (
	"cmp"
	"math"
	"slices"
	"time"

	"accord/survey"
	"accord/survey/roster"
	"accord/survey/secrets"
)

// rateBias shifts the response rate per function (survey.Functions order):
// sales answers least, product and executives most.
var rateBias = []float64{-0.07, 0.04, -0.03, 0, 0.03, -0.02}

// respondent is an invitation that was answered, until its response is queued.
type respondent struct {
	person int
	inv    int // index in the batch's invitations
	day    time.Time
}

// round queues one round's invitations, responses and answers in b, then
// moves the organisation's alignment on. In the open round, unanswered
// invitations have had reminded reminders, and keep, when not nil,
// receives their tokens by person ID.
func (p *orgPlan) round(g *generator, r *survey.Round, people []roster.Person, open bool, reminded int, b *batch, keep map[int64]string) {
	answered := p.respondents(open)
	who := make([]respondent, 0, len(people))
	for i := range people {
		person := &people[i]
		token := secrets.NewToken()
		inv := survey.Invitation{
			RoundID: r.ID, PersonID: person.ID, TokenHash: secrets.HashToken(token),
			Function: person.Function, Team: person.Team, Region: person.Region, TenureBand: person.TenureBand,
			SentAt: &r.OpensAt, CreatedAt: r.OpensAt,
		}
		if answered[i] {
			// Like a real submission, only the day is kept on the
			// response, and nothing on the invitation.
			day := survey.UTCDay(p.respondedAt(r, open, g.opts.Now))
			who = append(who, respondent{person: i, inv: len(b.invs), day: day})
		} else {
			if open {
				// Nobody has emailed this person yet: `accord serve --demo`
				// sends the open round's links through the outbox.
				inv.SentAt, inv.RemindersSent = nil, reminded
			}
			if keep != nil {
				keep[person.ID] = token
			}
		}
		b.invs = append(b.invs, inv)
	}
	// Responses are stored in a shuffled order so that their ids do not
	// follow the roster's, which the invitations do.
	p.rng.Shuffle(len(who), func(i, j int) { who[i], who[j] = who[j], who[i] })
	for _, w := range who {
		person := &people[w.person]
		idx := b.addResponse(survey.Response{
			OrgID: p.org.ID, RoundID: r.ID,
			Function: person.Function, Team: person.Team, Region: person.Region, TenureBand: person.TenureBand,
			SubmittedOn: w.day,
		}, w.inv)
		p.answer(&g.qs, idx, p.traits[w.person], b)
	}
	p.drift()
}

// respondents decides who answers: per function, a rate between 55% and
// 90% that varies by round, filled by the most willing people (a lasting
// propensity plus this round's circumstances). In the open round only part
// of them have answered so far.
func (p *orgPlan) respondents(open bool) []bool {
	answered := make([]bool, len(p.traits))
	roundShift := p.rng.NormFloat64() * 0.05
	type scored struct {
		person int
		score  float64
	}
	for fi, members := range p.byFunction {
		rate := math.Max(0.55, math.Min(0.90, p.rate+roundShift+rateBias[fi]))
		k := int(math.Round(rate * float64(len(members))))
		if open {
			k = int(math.Round(float64(k) * p.openShare))
		}
		ranked := make([]scored, len(members))
		for i, m := range members {
			ranked[i] = scored{m, p.traits[m].propensity + p.rng.NormFloat64()}
		}
		slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
		for _, s := range ranked[:k] {
			answered[s.person] = true
		}
	}
	return answered
}

// dayWeights says on which day of a round people answer: most on the first
// two days, with bumps when the reminders go out on days 3 and 5.
var dayWeights = []float64{30, 14, 6, 12, 4, 8, 3, 2, 2, 1.5, 1.5, 1, 1, 2}

// respondedAt returns when a respondent answered: during working hours of
// a day within the round, and before now in the open round.
func (p *orgPlan) respondedAt(r *survey.Round, open bool, now time.Time) time.Time {
	days := len(dayWeights)
	if open {
		days = min(days, int(now.Sub(r.OpensAt)/(24*time.Hour))+1)
	}
	for {
		d := weighted(p.rng, dayWeights[:days])
		at := r.OpensAt.AddDate(0, 0, d).Add(time.Duration(p.rng.IntN(9*3600)) * time.Second)
		if !open || at.Before(now) {
			return at
		}
	}
}

package analytics

import (
	"accord/analytics/stats"
	"accord/survey"
)

// Per-statement rollups. Every agree–disagree statement of a round's
// instrument (the ten built-in ones and an organisation's own) gets, per
// published group, its answers per scale point and the sufficient
// statistics of its association with A1. Each is a number of its own in
// the sense of DESIGN §9.1, decided by the same rules as the indices
// (Suppress/SuppressWithin, doc.go): a statement's distribution and mean
// rest on the people who answered it, its driver on the people who answered
// it and A1. Both are additive, so complementary suppression, the linear
// audit and the continuity rule apply to them exactly as to an index:
// subtracting published groups' answers never isolates fewer than k people.

// statementTally is one statement's answers in a set of responses.
type statementTally struct {
	answers [survey.LikertPoints]int
	// pairs are (statement score, alignment score) of respondents who
	// answered both, each on 0–100.
	pairs stats.Pairs
}

func (s *statementTally) people() int {
	n := 0
	for _, c := range s.answers {
		n += c
	}
	return n
}

func (s *statementTally) add(o *statementTally) {
	for i := range s.answers {
		s.answers[i] += o.answers[i]
	}
	s.pairs = s.pairs.Merge(o.pairs)
}

// statementVisibility is what one round may publish of one statement: its
// answers (item) and its association with A1 (driver).
type statementVisibility struct {
	item, driver *Visibility
}

// publishedStatements is, per statement key, the groups whose item and
// driver numbers a closed round published, with the people behind them:
// what the continuity rule of the next round needs.
type publishedStatements map[string]*[2]map[Group]int

func (p publishedStatements) record(key string, which int, g Group, n int) {
	s := p[key]
	if s == nil {
		s = &[2]map[Group]int{{}, {}}
		p[key] = s
	}
	s[which][g] = n
}

// suppressStatements decides each statement's numbers within the round's
// decisions vis: a statement is never shown where the group is not, a
// driver never where the statement's answers or the A1 answers are not.
func suppressStatements(in *roundInput, prev *published, mv *movement, k int, vis visibility) []statementVisibility {
	out := make([]statementVisibility, len(in.statements))
	for j, key := range in.statements {
		var items, pairs []Count
		for a, t := range in.tallies {
			var s statementTally
			if j < len(t.statements) {
				s = t.statements[j]
			}
			items = append(items, Count{Attrs: a, N: s.people()})
			pairs = append(pairs, Count{Attrs: a, N: s.pairs.N})
		}
		var prevItem, prevDriver map[Group]int
		if prev != nil && prev.statements[key] != nil {
			prevItem, prevDriver = prev.statements[key][0], prev.statements[key][1]
		}
		sk := in.skeleton()
		item := suppressOn(sk, items, k, mv.carry(prevItem), vis[onResponses])
		driver := suppressOn(sk, pairs, k, mv.carry(prevDriver), hiddenInEither(item, vis[onA1]))
		out[j] = statementVisibility{item: item, driver: driver}
	}
	return out
}

// hiddenInEither is a's decisions with b's hidden groups hidden too; both
// are decisions of one round, over the same groups.
func hiddenInEither(a, b *Visibility) *Visibility {
	v := *a
	v.hidden = make([]bool, len(a.hidden))
	for i, g := range a.groups {
		v.hidden[i] = a.hidden[i] || b.Hidden(g)
	}
	return &v
}

// statementRows returns the rollup rows of a published group g: one per
// statement, with only the numbers its decisions leave shown.
func statementRows(in *roundInput, g Group, sum *tally, why [bases]Reason, sv []statementVisibility, out *published) []RollupItem {
	rows := make([]RollupItem, 0, len(in.statements))
	for j, key := range in.statements {
		var s statementTally
		if sum != nil && j < len(sum.statements) {
			s = sum.statements[j]
		}
		item := either(why[onResponses], sv[j].item.Reason(g, FewAnswers))
		// A driver resting on fewer than k pairs says so, whatever else
		// hides it; otherwise it is hidden where its statement or A1 is.
		driver := sv[j].driver.Reason(g, FewAnswers)
		if driver != FewAnswers {
			driver = either(item, either(why[onA1], driver))
		}
		driver = either(why[onResponses], driver)
		r := RollupItem{OrgID: in.round.OrgID, RoundID: in.round.ID, Fixed: int16(g.Fixed),
			Function: g.Function, Team: g.Team, Region: g.Region, TenureBand: g.TenureBand, Language: g.Language, QuestionKey: key,
			Hidden: int16(item), DriverHidden: int16(driver)}
		if !item.Hidden() {
			r.Answers1, r.Answers2, r.Answers3, r.Answers4, r.Answers5 = s.answers[0], s.answers[1], s.answers[2], s.answers[3], s.answers[4]
			out.statements.record(key, 0, g, s.people())
		}
		if !driver.Hidden() {
			p := s.pairs
			r.PairN, r.PairSumX, r.PairSumY, r.PairSumXX, r.PairSumYY, r.PairSumXY = p.N, p.SumX, p.SumY, p.SumXX, p.SumYY, p.SumXY
			out.statements.record(key, 1, g, p.N)
		}
		rows = append(rows, r)
	}
	return rows
}

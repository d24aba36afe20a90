package report

import (
	"accord/analytics/format"
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"accord/analytics"
	"accord/survey"
)

// methods is the appendix: what was asked, how it was computed and what
// the benchmark is.
type methods struct {
	Instrument      string
	Questions       []question
	Scale           string // how agreement is answered
	Thresholds      []string
	Statistics      []string
	Study           []string
	Confidentiality []string
}

// question is one question as asked.
type question struct {
	Key, Prompt, Answer string
}

// loadMethods describes the questionnaire version of the round reported
// on (the built-in pulse when there is no round yet) and the methods.
func loadMethods(ctx context.Context, db *gorm.DB, d *analytics.Dashboard) (methods, error) {
	m := methods{Instrument: fmt.Sprintf("Sales–Product Alignment Pulse, version %d (built in)", survey.PulseVersion)}
	qs := survey.PulseQuestions()
	if d.Round != nil {
		var inst survey.Instrument
		if err := db.WithContext(ctx).Preload("Questions", func(q *gorm.DB) *gorm.DB { return q.Order("position, id") }).
			Take(&inst, d.Round.InstrumentID).Error; err != nil {
			return m, fmt.Errorf("load questionnaire: %w", err)
		}
		m.Instrument = fmt.Sprintf("%s, version %d", inst.Name, inst.Version)
		qs = inst.Questions
	}
	for _, q := range qs {
		m.Questions = append(m.Questions, question{Key: q.Key, Prompt: q.Prompt, Answer: answerScale(q)})
	}
	m.Scale = fmt.Sprintf("Agreement, 1–5: from %s (1) to %s (5).", survey.LikertLabels[0], survey.LikertLabels[4])
	m.Thresholds = []string{
		fmt.Sprintf("No result is shown for a group with fewer than %d responses (the organisation's minimum group size, never below %d).", d.K, survey.MinGroupSizeFloor),
		fmt.Sprintf("Comments are shown only for groups of at least %d people.", d.CommentK),
	}
	m.Confidentiality = []string{
		"Complementary suppression: where one group is hidden, enough others are hidden with it that no hidden group can be worked out by subtracting published results from each other or from the total, whichever filters are combined.",
		"A group published in the previous round is hidden when only a few people joined or left it, so that a change between rounds never describes those few.",
		"Responses carry no name, email or link to the invitation; submission dates are kept to the day.",
	}
	m.Statistics = statistics()
	m.Study = []string{
		survey.BenchmarkSource + ": about 1,100–1,500 product-team respondents a year.",
		fmt.Sprintf("Shares of the four answers in the study: completely aligned %s, mostly aligned %s, lacking alignment %s, constant friction %s. The study published the two aligned answers together (73.41%%), so the split between them is approximate.",
			format.Pct(survey.BenchmarkShares[0]), format.Pct(survey.BenchmarkShares[1]), format.Pct(survey.BenchmarkShares[2]), format.Pct(survey.BenchmarkShares[3])),
	}
	return m, nil
}

// answerScale describes how a question is answered, and the index it
// counts towards. Agreement is "1–5": the scale is spelt out above the
// table once rather than on every row.
func answerScale(q survey.Question) string {
	var s string
	switch q.Kind {
	case survey.KindChoice:
		s = "one of: " + strings.Join(q.Options, "; ")
	case survey.KindLikert:
		s = "1–5"
	default:
		s = "free text, optional"
	}
	if q.Index != "" {
		s += "; " + q.Index
	}
	return s
}

// statistics explains every number of the report.
func statistics() []string {
	bench := analytics.BenchmarkInterval()
	return []string{
		"Completely aligned: the share of answers “completely aligned” to the benchmark question, with a 95% Wilson score interval.",
		fmt.Sprintf("Against the benchmark: an exact two-sided binomial test of the share against %s; a chi-square goodness-of-fit test of all four answers against the study's shares (approximate when an expected count is below 5). A result is called above or below the benchmark only when p < 0.05.", format.Pct(survey.BenchmarkCompletelyAligned)),
		fmt.Sprintf("The benchmark's own uncertainty: a 95%% Wilson interval at %d respondents, the smallest yearly sample, about %s–%s.", analytics.BenchmarkMinN, format.Pct(bench.Low), format.Pct(bench.High)),
		"Indices: each respondent's score is the mean of the index's questions they answered, mapped to 0–100 (strongly disagree 0, strongly agree 100; for alignment, completely aligned 100 to constant friction 0). The index is the mean score with a 95% Student t interval; Cronbach's alpha is computed over respondents who answered every question of the index.",
		"Perception gap: an index as sales sees it minus the same index as product sees it, with Welch's 95% interval.",
		"Change since the previous round: Newcombe's hybrid score interval for the share, Welch's interval for the indices; called significant only when the interval excludes zero and the change survives Benjamini–Hochberg control of false discoveries across the five changes (the share's pooled z test, Welch's test for the indices). An index whose answers are all the same gets the bounded-mean interval instead of a zero-width one. Rounds are treated as independent samples, which makes these intervals cautious.",
		"Response rate: responses over invitations, both counted with the attributes people had when invited.",
		"Anonymity: every number rests on at least the minimum group size of people who answered the questions behind it (questions are optional, so an index may rest on fewer people than its group has responses); a change and a gap need that in both rounds or on both sides. A number that does not, or that would let a smaller group be worked out by subtraction or from the round before, is hidden and says why.",
		fmt.Sprintf("Other Accord clients: only organisations that agreed to take part, with their latest closed round, pooled over their respondents, shown only when at least %d organisations other than this one contribute.", analytics.CrossMinOrgs),
	}
}

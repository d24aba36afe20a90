package analytics

import (
	"fmt"

	"accord/survey"
)

// ConfidenceLevel is the level of every interval the dashboard shows.
const ConfidenceLevel = 0.95

// MinGroupSize returns the smallest group whose scores org may see: its
// configured size, but never below survey.MinGroupSizeFloor, whatever the
// database holds.
func MinGroupSize(org *survey.Organisation) int {
	return max(org.MinGroupSize, survey.MinGroupSizeFloor)
}

// Reason says why a number is hidden. It is decided with the rollups
// (Suppress and computeRound) and read by every surface, so that each says
// the same true thing: a hidden number is never explained by a rule that
// did not hide it.
type Reason int8

// The reasons, in the order they are checked. Stored in rollup_cells: never
// renumber.
const (
	Shown Reason = iota
	// FewResponses: the group has fewer than k responses.
	FewResponses
	// FewAnswers: the group has k responses or more, but fewer than k of
	// them answered the questions behind this number (items are optional).
	FewAnswers
	// Complementary: the number rests on k people or more, but showing it
	// would let a smaller group be worked out, by subtracting it from a
	// total, combining it with other groups or comparing it with the round
	// before.
	Complementary
)

// Hidden reports whether the number is hidden.
func (r Reason) Hidden() bool { return r != Shown }

// Code names the reason in the API and exports: "" when shown.
func (r Reason) Code() string {
	switch r {
	case FewResponses:
		return "fewer_responses"
	case FewAnswers:
		return "fewer_answers"
	case Complementary:
		return "complementary"
	}
	return ""
}

// Text says the reason in words, with the organisation's minimum group
// size k: "fewer than 5 responses".
func (r Reason) Text(k int) string {
	switch r {
	case FewResponses:
		return fmt.Sprintf("fewer than %d responses", k)
	case FewAnswers:
		return fmt.Sprintf("fewer than %d answers to these questions", k)
	case Complementary:
		return "hidden so that a smaller group cannot be worked out"
	}
	return ""
}

// reasonOf is why a number resting on n people is hidden by a rule: too
// few people (few, which says of what), or else complementary suppression.
func reasonOf(hidden bool, n, k int, few Reason) Reason {
	switch {
	case !hidden:
		return Shown
	case n < k:
		return few
	}
	return Complementary
}

// either is the reason a number resting on two others is hidden: the
// first one's reason if it is hidden, else the second's.
func either(a, b Reason) Reason {
	if a.Hidden() {
		return a
	}
	return b
}

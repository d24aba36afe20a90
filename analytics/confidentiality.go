package analytics

import "accord/survey"

// ConfidenceLevel is the level of every interval the dashboard shows.
const ConfidenceLevel = 0.95

// MinGroupSize returns the smallest group whose scores org may see: its
// configured size, but never below survey.MinGroupSizeFloor, whatever the
// database holds.
func MinGroupSize(org *survey.Organisation) int {
	return max(org.MinGroupSize, survey.MinGroupSizeFloor)
}

package analytics

import (
	"math"
	"time"
)

// DaysLeft is how many days an open round has until its deadline at now,
// a part of a day counting as a day; 0 once the deadline has passed.
func (r RoundInfo) DaysLeft(now time.Time) int {
	left := r.ClosesAt.Sub(now)
	if r.Closed() || left <= 0 {
		return 0
	}
	return int(math.Ceil(left.Hours() / 24))
}

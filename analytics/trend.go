package analytics

import (
	"context"
	"time"

	"gorm.io/gorm"

	"accord/analytics/stats"
	"accord/survey"
)

// RoundShare is the completely-aligned share of one closed round: the share
// of A1 answers at level 1, with its Wilson interval.
//
// When the share is hidden (fewer responses or A1 answers than the
// organisation's minimum group size, or complementary suppression),
// Suppressed is true, Why says which, and N, Aligned and Share are zero:
// not even the count leaves the query layer.
type RoundShare struct {
	RoundID    int64
	Title      string
	OpensAt    time.Time
	ClosedAt   time.Time // when the round closed (its deadline if not recorded)
	Suppressed bool
	Why        Reason         // why it is suppressed
	Threshold  int            // the minimum group size applied
	N          int            // A1 answers; zero when suppressed
	Aligned    int            // answers at level 1; zero when suppressed
	Share      stats.Interval // Estimate, Low, High as fractions; zero when suppressed
	// VersionChange marks the first round on a new questionnaire version.
	VersionChange     bool
	InstrumentVersion int
}

// Shares returns the completely-aligned share of each point of a trend.
func Shares(trend []TrendPoint, k int) []RoundShare {
	out := make([]RoundShare, len(trend))
	for i, p := range trend {
		rs := RoundShare{RoundID: p.Round.ID, Title: p.Round.Title, OpensAt: p.Round.OpensAt, ClosedAt: p.Round.ClosedAt,
			Threshold: k, VersionChange: p.Round.VersionChange, InstrumentVersion: p.Round.InstrumentVersion}
		if rs.ClosedAt.IsZero() {
			rs.ClosedAt = p.Round.ClosesAt
		}
		switch {
		case !p.Known:
			rs.Suppressed, rs.Why = true, FewResponses
		case p.Hidden:
			rs.Suppressed, rs.Why = true, p.Reason
		case p.A1Hidden.Hidden():
			rs.Suppressed, rs.Why = true, p.A1Hidden
		default:
			rs.N, rs.Aligned, rs.Share = p.A1N, p.A1[0], p.Share
		}
		out[i] = rs
	}
	return out
}

// CompletelyAlignedTrend returns the whole organisation's completely-aligned
// share in each closed round, oldest first, from the rollups. Open rounds
// are left out on purpose: a share that moves as each answer arrives would
// let a leader read individual answers by watching it change.
func CompletelyAlignedTrend(ctx context.Context, db *gorm.DB, org *survey.Organisation) ([]RoundShare, error) {
	d, err := LoadDashboard(ctx, db, org, Query{}, time.Now())
	if err != nil {
		return nil, err
	}
	return Shares(d.Trend, d.K), nil
}

package analytics

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"accord/survey"
)

// LoadDashboardRaw computes the same dashboard as LoadDashboard from raw
// answers, ignoring the rollups: every round's cells are computed in
// memory, oldest first. It exists to check the rollups against their
// source and to measure what they save; it writes nothing.
func LoadDashboardRaw(ctx context.Context, db *gorm.DB, org *survey.Organisation, q Query) (*Dashboard, error) {
	states, err := loadRounds(ctx, db, org.ID)
	if err != nil {
		return nil, err
	}
	k, commentK := MinGroupSize(org), CommentThreshold(org)
	var all memCells
	var prev *published
	insts := map[int64]*instrument{}
	for _, s := range states {
		in, err := loadRound(ctx, db, s.Round, insts)
		if err != nil {
			return nil, err
		}
		cells, _, pub := computeRound(in, prev, k, commentK)
		all = append(all, cells...)
		if s.Status == survey.RoundClosed {
			prev = pub
		}
	}
	return buildDashboard(ctx, db, nil, org, q, states, all)
}

// memCells are rollup cells held in memory.
type memCells []RollupCell

func (m memCells) cells(roundID int64, q cellQuery) ([]RollupCell, error) {
	return m.filter(func(c *RollupCell) bool { return (roundID == 0 || c.RoundID == roundID) && q.match(c) }), nil
}

func (m memCells) filter(keep func(*RollupCell) bool) []RollupCell {
	var out []RollupCell
	for i := range m {
		if keep(&m[i]) {
			out = append(out, m[i])
		}
	}
	return slices.Clip(out)
}

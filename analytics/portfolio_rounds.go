package analytics

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"accord/survey"
)

// orgsRoundsSQL is roundsSQL for many organisations at once: the portfolio
// and the exports read every round of every organisation in one query
// rather than one per organisation.
const orgsRoundsSQL = `
SELECT r.id, r.org_id, r.instrument_id, r.title, r.status, r.opens_at, r.closes_at, r.closed_at,
       i.version AS instrument_ver, rr.version, rr.status AS rollup_status, rr.min_group_size,
       rr.comment_threshold, rr.computed_at
FROM rounds r
JOIN instruments i ON i.id = r.instrument_id
LEFT JOIN rollup_rounds rr ON rr.round_id = r.id
WHERE r.org_id IN ? AND r.status IN ?
ORDER BY r.org_id, r.opens_at, r.id`

// refreshOrgs computes the missing or outdated rollups of orgs at now
// (EnsureRollups) and returns each organisation's rounds, oldest first,
// keyed by organisation. When every rollup is current (the usual case) it
// costs one query; only stale organisations are refreshed, one by one. An
// open round's rollups are never recomputed for their age here (RefreshOpen
// does, in the background); with open false, an open round's missing
// rollups do not count either: a caller that shows closed rounds only (the
// portfolio) need not compute them.
func refreshOrgs(ctx context.Context, db *gorm.DB, orgs []survey.Organisation, now time.Time, open bool) (map[int64][]RoundInfo, error) {
	out := make(map[int64][]RoundInfo, len(orgs))
	if len(orgs) == 0 {
		return out, nil
	}
	now = now.UTC()
	ids := make([]int64, len(orgs))
	for i := range orgs {
		ids[i] = orgs[i].ID
	}
	// Scanned by hand: GORM's reflection took most of the portfolio's
	// time with a hundred organisations' thousands of rounds.
	byOrg := map[int64][]roundState{}
	err := scanRows(db.WithContext(ctx), orgsRoundsSQL, []any{ids, []string{survey.RoundOpen, survey.RoundClosed}},
		func(scan func(...any) error) error {
			var s roundState
			err := scan(&s.ID, &s.OrgID, &s.InstrumentID, &s.Title, &s.Status, &s.OpensAt, &s.ClosesAt, &s.ClosedAt,
				&s.InstrumentVer, &s.Version, &s.RollupStatus, &s.MinGroupSize, &s.CommentThreshold, &s.ComputedAt)
			byOrg[s.OrgID] = append(byOrg[s.OrgID], s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("load rounds: %w", err)
	}
	for i := range orgs {
		org := &orgs[i]
		rs := byOrg[org.ID]
		check := rs
		if !open {
			check = slices.DeleteFunc(slices.Clone(rs), func(r roundState) bool { return r.Status != survey.RoundClosed })
		}
		if anyStale(check, MinGroupSize(org), CommentThreshold(org), time.Time{}) {
			if err := EnsureRollups(ctx, db, org, now); err != nil {
				return nil, fmt.Errorf("rollups of %s: %w", org.Slug, err)
			}
		}
		out[org.ID] = roundInfos(rs)
	}
	return out, nil
}

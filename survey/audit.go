package survey

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/audit"
)

// auditRound records a by-hand action on a round, naming it.
func auditRound(ctx context.Context, tx *gorm.DB, action string, roundID int64, detail string) error {
	var r Round
	if err := tx.Select("id", "org_id", "title").Take(&r, roundID).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	target := r.Title
	if detail != "" {
		target = detail + " · " + r.Title
	}
	return audit.Record(ctx, tx, audit.Entry{Action: action, OrgID: &r.OrgID, Target: target})
}

package mail

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// RoundCounts is how a round's mail stands, for the round page.
type RoundCounts struct {
	Pending, Sent, Failed, Held int64
}

// CountsForRound counts a round's messages by status.
func CountsForRound(ctx context.Context, db *gorm.DB, roundID int64) (RoundCounts, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := db.WithContext(ctx).Model(&Message{}).Select("status, COUNT(*) AS n").
		Where("round_id = ?", roundID).Group("status").Scan(&rows).Error
	if err != nil {
		return RoundCounts{}, fmt.Errorf("mail: count round %d: %w", roundID, err)
	}
	var c RoundCounts
	for _, r := range rows {
		switch r.Status {
		case StatusPending:
			c.Pending = r.N
		case StatusSent:
			c.Sent = r.N
		case StatusFailed:
			c.Failed = r.N
		case StatusHeld:
			c.Held = r.N
		}
	}
	return c, nil
}

// FailuresForRound returns a round's undelivered (failed or held) messages, newest
// first, with the recipient and a readable LastError, so that the round page
// can say whose address to fix.
func FailuresForRound(ctx context.Context, db *gorm.DB, roundID int64) ([]Message, error) {
	var ms []Message
	err := db.WithContext(ctx).Select("id", "org_id", "round_id", "invitation_id", "kind", "to_address", "subject",
		"message_id", "status", "attempts", "last_error", "created_at").
		Where("round_id = ? AND status IN ?", roundID, Undelivered).Order("id DESC").Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("mail: failures of round %d: %w", roundID, err)
	}
	return ms, nil
}

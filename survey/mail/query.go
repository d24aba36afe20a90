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

// CancelForRound cancels the round's invitations and reminders that are
// still waiting to be sent, inside tx (the transaction that closes the
// round): a link to a closed round is of no use. Their jobs find them no
// longer pending and end without sending. It returns how many it cancelled.
func CancelForRound(ctx context.Context, tx *gorm.DB, roundID int64) (int64, error) {
	res := tx.WithContext(ctx).Model(&Message{}).
		Where("round_id = ? AND status = ? AND kind IN ?", roundID, StatusPending, []string{KindInvitation, KindReminder}).
		Updates(forgetReminded(map[string]any{"status": StatusCancelled, "text": "", "html": "", "last_error": "Not sent: the round closed first."}))
	if res.Error != nil {
		return 0, fmt.Errorf("mail: cancel unsent mail of round %d: %w", roundID, res.Error)
	}
	return res.RowsAffected, nil
}

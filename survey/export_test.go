package survey

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SubmitFirstOnly runs only Submit's one-statement path for a first
// response on PostgreSQL, so tests can see it store (or decline) on its
// own rather than through the general path behind it.
func (s *Survey) SubmitFirstOnly(ctx context.Context, db *gorm.DB, sub Submission, now time.Time) (bool, error) {
	answers, fields := ParseAnswers(s.Questions, sub)
	if len(fields) > 0 {
		return false, &InvalidAnswersError{Fields: fields}
	}
	return storeFirstResponse(ctx, db, s.tokenHash, s.invitation.ID, s.editKey, s.Round.InstrumentID, s.Language, answers, now)
}

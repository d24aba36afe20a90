package survey

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"accord/survey/secrets"
)

// Who has answered a round is not written anywhere: a response carries
// ResponseKey(secret, invitation) and nothing else of its respondent, and
// the invitation is never touched when it is answered. Writing an
// "answered" mark on the invitation, in the response's transaction or
// later, would join the two rows by transaction id (xmin), row order or
// time. Instead whoever needs to know (reminders, the links sent for a
// round, the analytics' continuity rule) recomputes the keys of a round's
// invitations with the secret and looks them up among the round's
// responses. That costs one HMAC per invitation (about a microsecond) and
// two indexed reads per round, and it works the same on every replica.

// LegacyAnswered records an invitation answered before Accord stopped
// marking invitations (schema step 10). Those responses carry the key of
// the link used (LegacyEditKey), not ResponseKey, so without this mark a
// second link could store a second response. The rows were copied in one
// statement in invitation order, without time, so they tell who answered
// before the upgrade (as the dropped column did) but link no response.
type LegacyAnswered struct {
	InvitationID int64 `gorm:"primaryKey;autoIncrement:false"`
}

// TableName keeps the table's name plural like the others.
func (LegacyAnswered) TableName() string { return "legacy_answered" }

// Answered returns the invitations of a round that have a response, each
// with its person: what reminders skip and the continuity rule of the
// analytics counts. It needs the secret attached to db.
func Answered(ctx context.Context, db *gorm.DB, roundID int64) (map[int64]int64, error) {
	secret, err := secrets.SecretOf(db)
	if err != nil {
		return nil, err
	}
	db = db.WithContext(ctx)
	keys := map[string]struct{}{}
	rows, err := db.Raw(`SELECT edit_key FROM responses WHERE round_id = ?`, roundID).Rows()
	if err != nil {
		return nil, fmt.Errorf("read response keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k []byte
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("read response keys: %w", err)
		}
		keys[string(k)] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read response keys: %w", err)
	}
	out := map[int64]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	invs, err := db.Raw(`SELECT i.id, i.person_id, l.invitation_id IS NOT NULL FROM invitations i
LEFT JOIN legacy_answered l ON l.invitation_id = i.id WHERE i.round_id = ?`, roundID).Rows()
	if err != nil {
		return nil, fmt.Errorf("read invitations: %w", err)
	}
	defer invs.Close()
	for invs.Next() {
		var id, person int64
		var legacy bool
		if err := invs.Scan(&id, &person, &legacy); err != nil {
			return nil, fmt.Errorf("read invitations: %w", err)
		}
		if _, ok := keys[string(secrets.ResponseKey(secret, id))]; ok || legacy {
			out[id] = person
		}
	}
	return out, invs.Err()
}

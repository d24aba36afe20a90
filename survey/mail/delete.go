package mail

import (
	"fmt"

	"gorm.io/gorm"
)

// riverJobMessageSQL is how each dialect reads a delivery job's message id
// out of River's args column (jsonb on PostgreSQL, a JSONB blob on SQLite).
var riverJobMessageSQL = map[string]string{
	"postgres": "(args->>'message_id')::bigint",
	"sqlite":   "json_extract(args, '$.message_id')",
}

// DeleteForOrg removes, in tx, every message of an organisation with its
// development-outbox copies and the delivery jobs that name it, so that no
// address or personal link of the organisation's people stays behind. A
// job already running finds its message gone and cancels itself.
func DeleteForOrg(tx *gorm.DB, orgID int64) error {
	ids := tx.Model(&Message{}).Select("id").Where("org_id = ?", orgID)
	if tx.Migrator().HasTable("river_job") {
		extract, ok := riverJobMessageSQL[tx.Dialector.Name()]
		if !ok {
			return fmt.Errorf("mail: no job queue for %s", tx.Dialector.Name())
		}
		err := tx.Exec("DELETE FROM river_job WHERE kind = ? AND state <> 'running' AND "+extract+" IN (?)", sendArgs{}.Kind(), ids).Error
		if err != nil {
			return fmt.Errorf("mail: delete jobs of organisation %d: %w", orgID, err)
		}
	}
	if err := tx.Where("message_id IN (?)", tx.Model(&Message{}).Select("message_id").Where("org_id = ?", orgID)).Delete(&DevMail{}).Error; err != nil {
		return fmt.Errorf("mail: delete development copies of organisation %d: %w", orgID, err)
	}
	if err := tx.Where("org_id = ?", orgID).Delete(&Message{}).Error; err != nil {
		return fmt.Errorf("mail: delete messages of organisation %d: %w", orgID, err)
	}
	return nil
}

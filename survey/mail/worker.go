package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
)

// sendWorker delivers one outbox message per job. It is idempotent: River
// may run a job again after a crash, and a message already marked sent or
// failed is left alone. A duplicate is possible only if the process dies
// between the server accepting a message and the row being marked sent;
// the stable Message-ID lets receivers drop it.
type sendWorker struct {
	river.WorkerDefaults[sendArgs]
	o *Outbox
}

// recordTimeout bounds the write that records an outcome. It runs even when
// the job's context is cancelled (shutdown, timeout), because after a
// successful send the record is what prevents a second one.
const recordTimeout = 15 * time.Second

// Work sends the message and records the outcome.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	var m Message
	err := w.o.db.WithContext(ctx).Take(&m, job.Args.MessageID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return river.JobCancel(fmt.Errorf("mail: message %d no longer exists", job.Args.MessageID))
	} else if err != nil {
		return fmt.Errorf("mail: load message %d: %w", job.Args.MessageID, err)
	}
	if m.Status != StatusPending {
		return nil
	}
	sendErr := w.o.sender.Send(ctx, &m)

	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	switch {
	case sendErr == nil:
		return w.o.record(rctx, m.ID, map[string]any{
			"status": StatusSent, "sent_at": time.Now().UTC(), "text": "", "html": "", "last_error": "",
		})
	case IsPermanent(sendErr):
		w.o.log.Warn("mail: delivery failed permanently", "message_id", m.MessageID, "to", m.To, "reason", reason(sendErr))
		if err := w.o.record(rctx, m.ID, map[string]any{"status": StatusFailed, "last_error": reason(sendErr)}); err != nil {
			return err
		}
		return river.JobCancel(sendErr)
	case job.Attempt >= job.MaxAttempts:
		w.o.log.Error("mail: delivery failed, giving up", "message_id", m.MessageID, "to", m.To, "attempts", job.Attempt, "err", sendErr)
		msg := fmt.Sprintf("Gave up after %d attempts; last error: %s", job.Attempt, reason(sendErr))
		if err := w.o.record(rctx, m.ID, map[string]any{"status": StatusFailed, "last_error": clip(msg)}); err != nil {
			return err
		}
		return river.JobCancel(sendErr)
	default:
		w.o.log.Warn("mail: delivery failed, will retry", "message_id", m.MessageID, "attempt", job.Attempt, "err", sendErr)
		if err := w.o.record(rctx, m.ID, map[string]any{"last_error": reason(sendErr)}); err != nil {
			w.o.log.Error("mail: record failed attempt", "message_id", m.MessageID, "err", err)
		}
		return sendErr
	}
}

// record applies an outcome to a message that is still pending and counts
// the attempt.
func (o *Outbox) record(ctx context.Context, id int64, fields map[string]any) error {
	fields["attempts"] = gorm.Expr("attempts + 1")
	err := o.db.WithContext(ctx).Model(&Message{}).
		Where("id = ? AND status = ?", id, StatusPending).Updates(fields).Error
	if err != nil {
		return fmt.Errorf("mail: record outcome of message %d: %w", id, err)
	}
	return nil
}

// clip shortens s to fit Message.LastError without splitting a character.
func clip(s string) string {
	const max = 1000
	if len(s) <= max {
		return s
	}
	s = s[:max-3]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return strings.TrimSpace(s) + "..."
}

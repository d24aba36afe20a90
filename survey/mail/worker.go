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
// may run a job again after a crash, and a message that is no longer
// pending is left alone.
//
// At most once after acceptance: once the mail server has accepted a
// message, a database error never causes it to be sent again. The "sent"
// mark is retried in this process, with backoff, until it is stored (for up
// to Options.MarkTimeout); if it still could not be stored, the process
// remembers the message and a later run of its job only retries the mark.
// A message whose fate the server did not confirm is held, not resent.
// The one remaining window is the death of the process (or a shutdown
// during a database outage longer than the shutdown grace) after the server
// accepted a message and before the mark was stored: the next attempt sends
// it again, and its stable Message-ID lets receivers drop the copy.
type sendWorker struct {
	river.WorkerDefaults[sendArgs]
	o *Outbox
}

// Work sends the message and records the outcome.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	id := job.Args.MessageID
	if _, ok := w.o.accepted.Load(id); ok {
		return w.o.markSent(ctx, id, "")
	}
	var m Message
	err := w.o.db.WithContext(ctx).Take(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return river.JobCancel(fmt.Errorf("mail: message %d no longer exists", id))
	} else if err != nil {
		return fmt.Errorf("mail: load message %d: %w", id, err)
	}
	if m.Status != StatusPending {
		return nil
	}
	sendErr := w.o.sender.Send(ctx, &m)
	switch {
	case sendErr == nil:
		return w.o.markSent(ctx, m.ID, m.MessageID)
	case IsOutcomeUnknown(sendErr):
		w.o.log.Error("mail: the mail server did not confirm a message; held, not resent", "message_id", m.MessageID, "to", m.To, "err", sendErr)
		return w.o.finish(ctx, &m, StatusHeld, sendErr, "The mail server did not confirm that it received this email, "+
			"so it was not sent again (that could deliver it twice). Resend the link if the person did not get it.")
	case IsPermanent(sendErr):
		w.o.log.Warn("mail: delivery failed permanently", "message_id", m.MessageID, "to", m.To, "reason", reason(sendErr))
		return w.o.finish(ctx, &m, StatusFailed, sendErr, reason(sendErr))
	case job.Attempt >= job.MaxAttempts:
		w.o.log.Error("mail: delivery failed, giving up", "message_id", m.MessageID, "to", m.To, "attempts", job.Attempt, "err", sendErr)
		return w.o.finish(ctx, &m, StatusFailed, sendErr, fmt.Sprintf("Gave up after %d attempts; last error: %s", job.Attempt, reason(sendErr)))
	default:
		w.o.log.Warn("mail: delivery failed, will retry", "message_id", m.MessageID, "attempt", job.Attempt, "err", sendErr)
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if err := w.o.record(rctx, m.ID, map[string]any{"last_error": reason(sendErr)}); err != nil {
			w.o.log.Error("mail: record failed attempt", "message_id", m.MessageID, "err", err)
		}
		return sendErr
	}
}

// markSent stores that the server accepted message id, retrying until it
// is stored. If it cannot be stored in time, the message is remembered so
// that this process never sends it again, and the job is retried.
func (o *Outbox) markSent(ctx context.Context, id int64, messageID string) error {
	err := o.recordDurably(ctx, id, forgetReminded(map[string]any{
		"status": StatusSent, "sent_at": time.Now().UTC(), "text": "", "html": "", "last_error": "",
	}))
	if err != nil {
		o.accepted.Store(id, struct{}{})
		o.log.Error("mail: message accepted by the mail server but not yet recorded as sent; it will not be sent again by this process",
			"id", id, "message_id", messageID, "err", err)
		return err
	}
	o.accepted.Delete(id)
	return nil
}

// finish records a final status for m and ends its job.
func (o *Outbox) finish(ctx context.Context, m *Message, status string, cause error, text string) error {
	if err := o.recordDurably(ctx, m.ID, forgetReminded(map[string]any{"status": status, "last_error": clip(text)})); err != nil {
		return err
	}
	return river.JobCancel(cause)
}

// forgetReminded adds to the fields that end a message's delivery the
// blanking of a reminder's recipient, invitation and body, in the same
// update. A reminder goes only to those who have not answered, so a kept
// one would tell a database reader (or staff) who had not answered by then,
// which with a response's day could link it to its person. Its kind, round,
// status and times stay, for the counts; the server log keeps the address
// and the reason of a failure.
func forgetReminded(fields map[string]any) map[string]any {
	blank := map[string]string{"to_address": "''", "invitation_id": "NULL", "text": "''", "html": "''", "last_error": "''"}
	for column, value := range blank {
		if v, set := fields[column]; set { // a refusal's reason may quote the address
			fields[column] = gorm.Expr("CASE WHEN kind = ? THEN "+value+" ELSE ? END", KindReminder, v)
		} else {
			fields[column] = gorm.Expr("CASE WHEN kind = ? THEN "+value+" ELSE "+column+" END", KindReminder)
		}
	}
	return fields
}

// recordDurably is record retried with backoff while the database fails,
// for at most the outbox's mark timeout. It runs on even when the job's
// context is cancelled (shutdown, job timeout): after a send, the record is
// what prevents a second one.
func (o *Outbox) recordDurably(ctx context.Context, id int64, fields map[string]any) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.markTimeout)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		// Each try is bounded so that a stalled connection cannot eat the
		// whole budget.
		tctx, tcancel := context.WithTimeout(ctx, 5*time.Second)
		err := o.record(tctx, id, fields)
		tcancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// record applies an outcome to a message that is still pending and counts
// the attempt.
func (o *Outbox) record(ctx context.Context, id int64, fields map[string]any) error {
	update := map[string]any{"attempts": gorm.Expr("attempts + 1")}
	for k, v := range fields {
		update[k] = v
	}
	err := o.db.WithContext(ctx).Model(&Message{}).
		Where("id = ? AND status = ?", id, StatusPending).Updates(update).Error
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

package mail

import (
	"context"
	"errors"
	"fmt"
)

// Sender delivers one message. It returns nil once the receiving server has
// accepted the message, a *PermanentError when retrying cannot help (a bad
// address, a rejected recipient), and any other error for a failure worth
// retrying later (the server is down, a 4xx reply).
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// PermanentError is a delivery failure that retrying will not fix. Its
// Reason is shown to operators on the round page, so it is written for them.
type PermanentError struct {
	Reason string
	Err    error // the underlying cause, for logs
}

// Error implements error.
func (e *PermanentError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return e.Reason + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent returns a *PermanentError with a formatted, operator-readable reason.
func Permanent(cause error, format string, args ...any) error {
	return &PermanentError{Reason: fmt.Sprintf(format, args...), Err: cause}
}

// IsPermanent reports whether err says that retrying cannot help.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// reason returns the text stored in Message.LastError for err: the permanent
// reason as written, or the error text for temporary failures.
func reason(err error) string {
	var p *PermanentError
	if errors.As(err, &p) {
		return clip(p.Reason)
	}
	return clip(err.Error())
}

// OutcomeUnknownError says the whole message was handed to the server but
// its answer was lost (the connection broke while waiting for it): the
// server may or may not have accepted it. Such a message is held, not sent
// again, because a blind retry could deliver it twice.
type OutcomeUnknownError struct {
	Err error
}

// Error implements error.
func (e *OutcomeUnknownError) Error() string {
	return "the mail server did not confirm receipt: " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// IsOutcomeUnknown reports whether err says the message may have been
// accepted although the send failed.
func IsOutcomeUnknown(err error) bool {
	var u *OutcomeUnknownError
	return errors.As(err, &u)
}

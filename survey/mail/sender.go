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

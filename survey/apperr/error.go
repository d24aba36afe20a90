// Package apperr is Accord's error model, shared by every layer: an Error
// carries a code (EINVALID, ENOTFOUND, …) and a message safe to show to
// users, and FormError carries one message per form field. The web
// packages map codes to HTTP statuses in one place; only EINTERNAL is
// logged. It imports nothing from Accord, so any package may import it.
package apperr

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. The HTTP error handler maps them to
// status codes; only EINTERNAL is logged, and its message is never shown.
const (
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EGONE      = "gone"
	EINTERNAL  = "internal"
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EUNAUTH    = "unauthorized"
	ETOOMANY   = "too_many_requests"
)

// Error is a domain error with a code and a message safe to show to users.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("accord: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Internal errors read
// "Internal error." so that no implementation detail leaks to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

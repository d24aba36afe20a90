package apperr

import "errors"

// FormError is the error of a form that needs correcting: Fields holds the
// message shown beside each field, keyed by the field's name. Code is
// EINVALID, or ECONFLICT when the database refused a duplicate.
type FormError struct {
	Code   string
	Fields FieldErrors
}

const formErrorMessage = "Some fields need your attention."

// Error implements the error interface.
func (e *FormError) Error() string { return "accord: " + e.Code + ": " + formErrorMessage }

// Unwrap lets ErrorCode and ErrorMessage see the coded error.
func (e *FormError) Unwrap() error { return Errorf(e.Code, formErrorMessage) }

// FormErrorsOf returns the per-field messages carried by err, or nil.
func FormErrorsOf(err error) FieldErrors {
	var e *FormError
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// FieldErrors maps a form field (or a survey question's key) to the
// message shown beside it.
type FieldErrors map[string]string

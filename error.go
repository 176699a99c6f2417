package telltale

import (
	"errors"
	"fmt"
)

// Error codes. They map to HTTP statuses and exit codes only at the edges.
const (
	ECONFLICT     = "conflict"     // the record exists already
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, not shown
	EINVALID      = "invalid"      // the request is wrong; Message says how
	ENOTFOUND     = "not_found"    // no such record
	EUNAUTHORIZED = "unauthorized" // who is asking is unknown
	EFORBIDDEN    = "forbidden"    // who is asking may not do this
	EGONE         = "gone"         // the copy was revoked or has expired
	ENOTIMPL      = "not_implemented"
	ESTORAGE      = "storage" // the disk is full or read-only; Message says what to do
)

// Error is an error a user may see: Message is safe to show and says what
// to do. Internal errors are wrapped with EINTERNAL and a generic message.
type Error struct {
	Code    string
	Message string
	Err     error // the underlying cause, for logs; never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil && e.Code == EINTERNAL {
		return fmt.Sprintf("telltale: %s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an error: its *Error's code, or EINTERNAL
// for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message a user may see: an *Error's message, or
// "Internal error." for anything else.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e.Message
	}
	return "Internal error."
}

package gradjudge

import (
	"errors"
	"fmt"
	"time"
)

// Application error codes. The list only grows at the end; api/ maps each to an HTTP status in one
// table.
const (
	EINVALID      = "invalid"      // the caller sent something malformed or out of range
	ENOTFOUND     = "not_found"    // the object does not exist or the caller may not know it does
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, not allowed
	ECONFLICT     = "conflict"     // the object exists already or changed meanwhile
	ERATELIMIT    = "rate_limited" // too many requests, or the judge is busy; try again later
	EINTERNAL     = "internal"     // the service broke; details are logged, never sent
	ETOOLARGE     = "too_large"    // a body, a code answer or a field is over its size limit
	EUNAVAILABLE  = "unavailable"  // overloaded for a moment (no database connection free); try again in a second
)

// Error is the one application error type. Code is one of the E* constants; Message is safe to
// show to the client. The zero value is an internal error with no message.
type Error struct {
	Code    string
	Message string
	Op      string // the operation that failed, for logs
	Err     error  // the wrapped cause, for logs; never sent to a client
	// RetryAfter, for ERATELIMIT, is how long the caller should wait before trying again; zero
	// when unknown. Front doors send it as Retry-After.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a client-safe formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other non-nil
// error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the message of its *Error, or
// "internal error" for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// RetryAfter returns the RetryAfter of the first *Error in err's chain; zero for none.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Package phoihop holds the domain types of phoihop (agencies, units, users, cases and the
// records in them), their validation, and the one error type every layer returns.
package phoihop

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. They are part of the JSON API (DESIGN.md "Interfaces").
const (
	EInvalid         = "invalid"           // the input is wrong; Fields says where
	ENotFound        = "not_found"         // no such record, or the caller may not see it
	EConflict        = "conflict"          // a duplicate, or a stale version
	EForbidden       = "forbidden"         // the caller may see the record but not do this
	ELocked          = "locked"            // the record is dated in a period its agency approved and locked
	EUnauthorized    = "unauthorized"      // the caller is not signed in
	ETooManyRequests = "too_many_requests" // the caller must wait before trying again
	EUnavailable     = "unavailable"       // the database cannot be reached just now; retry later
	EInternal        = "internal"          // anything else; never shown in detail to users
)

// Error is the error type of phoihop. Message is safe to show to users; Fields maps a field
// name (the JSON/form name) to a message about that field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// MessageID, when set, is the catalog id of a message with placeholders, and Args their
	// values (name, value pairs): pages translate it by the id, as Message cannot be a
	// catalog id when it holds names, days and times.
	MessageID string
	Args      []any
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("phoihop: %s: %s", e.Code, e.Message)
	}
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+": "+e.Fields[name])
	}
	return fmt.Sprintf("phoihop: %s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the code and a formatted user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal for any other error
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of the first *Error in err's chain, or a generic
// message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldErrors collects per-field validation messages; Err turns them into one EInvalid error.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message (the first problem found
// is the one reported).
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when no field has a message, else an EInvalid *Error holding them.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Some fields are not valid.", Fields: map[string]string(f)}
}

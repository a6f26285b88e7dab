package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"phoihop/internal/phoihop"
)

// uniqueFields names the field a unique constraint is about, by PostgreSQL constraint name
// and by SQLite's "table.column" list, so a duplicate is reported on the right form field.
var uniqueFields = map[string]struct{ field, msg string }{
	"users_username_key":                      {"username", "This username is already taken (usernames ignore upper and lower case)."},
	"users.username":                          {"username", "This username is already taken (usernames ignore upper and lower case)."},
	"index 'users_username_key'":              {"username", "This username is already taken (usernames ignore upper and lower case)."},
	"units_code_key":                          {"code", "Another unit already has this code."},
	"units.code":                              {"code", "Another unit already has this code."},
	"cases_code_key":                          {"code", "Another case already has this code."},
	"cases.code":                              {"code", "Another case already has this code."},
	"agreements_number_signed_key":            {"number", "An agreement with this number and signing date already exists."},
	"agreements.number, agreements.signed_on": {"number", "An agreement with this number and signing date already exists."},
}

// mapError turns constraint violations of either engine into *phoihop.Error (a duplicate is
// EConflict, a broken reference or check EInvalid), a database that cannot be reached into
// EUnavailable (Unavailable) and sql.ErrNoRows into ENotFound; any other error is returned
// unchanged. *phoihop.Error values pass through.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var perr *phoihop.Error
	if errors.As(err, &perr) {
		return err
	}
	// The database cannot be reached, or cannot store what it is given (full, read-only, an
	// I/O error: health.go): the instance is not ready and the client should retry later.
	if unreachable(err) || storageReason(err) != "" {
		return &DriverError{Domain: errUnavailable, Err: err}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &phoihop.Error{Code: phoihop.ENotFound, Message: "The record was not found."}
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505": // unique_violation
			return uniqueError(pqErr.Constraint, err)
		case "23503": // foreign_key_violation
			return wrap(phoihop.EInvalid, "The record refers to something that does not exist or may not be used here.", pqErr.Constraint, err)
		case "23514", "23502", "22001", "22007", "22008": // check, not null, too long, bad date/time
			return wrap(phoihop.EInvalid, "The record breaks a rule of the data model.", pqErr.Constraint, err)
		case "23000": // integrity_constraint_violation (the audit log's append-only trigger)
			return wrap(phoihop.EForbidden, "This record cannot be changed.", "", err)
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		msg := sqErr.Error()
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueError(afterColon(msg), err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return wrap(phoihop.EInvalid, "The record refers to something that does not exist or may not be used here.", "", err)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return wrap(phoihop.EInvalid, "The record breaks a rule of the data model.", afterColon(msg), err)
		case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return wrap(phoihop.EForbidden, "This record cannot be changed.", "", err)
		}
	}
	return err
}

// ConstraintError is the *phoihop.Error mapError returns for a violated constraint; Unwrap
// gives the driver's error (for logs and tests), Constraint the constraint's name where the
// engine reports it.
type ConstraintError struct {
	Domain     *phoihop.Error
	Constraint string
	Err        error
}

// Unwrap returns the domain error first, so errors.As finds *phoihop.Error, then the driver's.
func (e *ConstraintError) Unwrap() []error { return []error{e.Domain, e.Err} }

// Error implements error with the driver's detail, for logs.
func (e *ConstraintError) Error() string {
	return fmt.Sprintf("%s [%s]: %v", e.Domain.Error(), e.Constraint, e.Err)
}

func wrap(code, msg, constraint string, err error) error {
	return &ConstraintError{Domain: &phoihop.Error{Code: code, Message: msg}, Constraint: constraint, Err: err}
}

func uniqueError(constraint string, err error) error {
	e := &phoihop.Error{Code: phoihop.EConflict, Message: "A record with these values already exists."}
	if f, ok := uniqueFields[constraint]; ok {
		e.Message = f.msg
		e.Fields = map[string]string{f.field: f.msg}
	}
	return &ConstraintError{Domain: e, Constraint: constraint, Err: err}
}

// afterColon returns what follows "constraint failed: " in an SQLite message, stripped of
// the trailing error code SQLite adds in parentheses.
func afterColon(msg string) string {
	i := strings.LastIndex(msg, "failed: ") // modernc prefixes "constraint failed: "
	if i < 0 {
		return ""
	}
	s := msg[i+len("failed: "):]
	if j := strings.LastIndex(s, " ("); j >= 0 {
		s = s[:j]
	}
	return strings.TrimSpace(s)
}

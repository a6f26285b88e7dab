package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"phoihop/internal/phoihop"
)

// errUnavailable is the domain error of a database that cannot be reached just now.
var errUnavailable = phoihop.Errorf(phoihop.EUnavailable,
	"The database cannot be reached just now; try again in a few seconds.")

// DriverError is a *phoihop.Error mapError made of a driver's error that is no constraint's
// (a database out of reach); Unwrap gives the domain error first, then the driver's.
type DriverError struct {
	Domain *phoihop.Error
	Err    error
}

// Unwrap returns the domain error first, so errors.As finds *phoihop.Error, then the driver's.
func (e *DriverError) Unwrap() []error { return []error{e.Domain, e.Err} }

// Error implements error with the driver's detail, for logs.
func (e *DriverError) Error() string { return e.Domain.Error() + ": " + e.Err.Error() }

// Unavailable returns err as an EUnavailable error when it says that the database cannot be
// reached (refused or broken connections, a closed pool, a wait for a connection that timed
// out, PostgreSQL shutting down or full, SQLite still locked after its busy timeout), and err
// unchanged otherwise. Errors that did not pass the store's own mapping (reads) get it here.
func Unavailable(err error) error {
	if err == nil || phoihop.ErrorCode(err) != phoihop.EInternal || !unreachable(err) {
		return err
	}
	return &DriverError{Domain: errUnavailable, Err: err}
}

// unreachable reports whether err is one of the failures Unavailable names.
func unreachable(err error) bool {
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	// database/sql's "database is closed" has no exported value.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		// Class 08: connection exceptions; 57P01-03: the server is shutting down or starting;
		// 53300: too many connections.
		return pqErr.Code.Class() == "08" || pqErr.Code == "57P01" || pqErr.Code == "57P02" ||
			pqErr.Code == "57P03" || pqErr.Code == "53300"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		primary := sqErr.Code() & 0xff
		return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
	}
	return false
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"phoihop/internal/config"
)

// StorageFailure is the last write the database refused for a reason of storage (a full
// disk, a read-only file or server, an I/O error), not of the data.
type StorageFailure struct {
	At     time.Time // when the write failed
	Reason string    // short and safe to show: "disk full", "read-only", "I/O error"…
	Err    string    // the driver's message, for logs
}

// storageHealth holds the last storage failure of a store; nil while writes succeed. It is
// shared by the copies WithClock makes.
type storageHealth struct {
	last atomic.Pointer[StorageFailure]
}

// noteWrite records the outcome of a write: a storage failure sets the flag, success clears
// it, and any other error (a broken rule, a conflict) leaves it as it is.
func (h *storageHealth) noteWrite(err error, now time.Time) {
	if h == nil {
		return
	}
	if err == nil {
		if h.last.Load() != nil {
			h.last.Store(nil)
		}
		return
	}
	if reason := storageReason(err); reason != "" {
		h.last.Store(&StorageFailure{At: now, Reason: reason, Err: err.Error()})
	}
}

// StorageFailure returns the last write refused for a storage reason since the last write
// that succeeded, or nil when writes succeed.
func (s *Store) StorageFailure() *StorageFailure {
	if s.health == nil {
		return nil
	}
	return s.health.last.Load()
}

// noteWrite records the outcome of a write outside inTx (see storageHealth.noteWrite) and
// returns err.
func (s *Store) noteWrite(err error) error {
	s.health.noteWrite(err, time.Now().UTC())
	return err
}

// storageReason names the storage trouble behind err, or returns "" when err is not one:
// SQLite's FULL, READONLY, IOERR and CANTOPEN (with their extended codes); PostgreSQL's
// class 53 (insufficient resources: disk full, out of memory…), 58030 (I/O error) and
// 25006 (a read-only transaction: a replica after a failover, or a server set read-only).
func storageReason(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch {
		case pqErr.Code == "53100":
			return "disk full"
		case pqErr.Code == "53200":
			return "out of memory"
		case pqErr.Code.Class() == "53":
			return "insufficient resources"
		case pqErr.Code == "58030":
			return "I/O error"
		case pqErr.Code == "25006":
			return "read-only"
		case pqErr.Code == "0A000" && strings.Contains(pqErr.Message, "read-write mode during recovery"):
			return "read-only" // BEGIN READ WRITE on a hot standby
		}
		return ""
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_FULL:
			return "disk full"
		case sqlite3.SQLITE_READONLY:
			return "read-only"
		case sqlite3.SQLITE_IOERR:
			return "I/O error"
		case sqlite3.SQLITE_CANTOPEN:
			return "cannot open"
		}
	}
	return ""
}

// CheckWritable makes a small real write and commits it, to learn whether the database can
// be written: on SQLite it rewrites the file header's user_version with its own value, on
// PostgreSQL it creates and drops a table (refused in a read-only transaction, on a replica
// too). It records the outcome like any write, so a success
// clears StorageFailure. A storage failure is returned as an error naming the file (SQLite)
// or the server's read-only state (PostgreSQL); other errors are wrapped as they are.
func (s *Store) CheckWritable(ctx context.Context) error {
	var err error
	if s.engine == config.Postgres {
		// One statement outside a transaction of ours: lib/pq begins every transaction
		// READ WRITE, which would override default_transaction_read_only, and the store's
		// writes outside transactions (sessions) would still fail. A temporary table would
		// do in a read-only transaction; a real one does not. The name is the instance's
		// own, so instances checking together do not wait on each other.
		name := fmt.Sprintf("phoihop_write_check_%d", time.Now().UnixNano())
		_, err = s.db.ExecContext(ctx, `CREATE TABLE `+name+` (x integer); DROP TABLE `+name)
		s.noteWrite(err)
	} else {
		err = s.inTx(ctx, func(tx *sqlx.Tx) error {
			var v int64
			if err := tx.GetContext(ctx, &v, `PRAGMA user_version`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
			return err
		})
	}
	if err == nil {
		return nil
	}
	if uerr := s.unwritable(err); uerr != nil {
		return uerr
	}
	return fmt.Errorf("store: write check: %w", err)
}

// unwritable returns the error saying that the database cannot be written, naming the
// SQLite file or the PostgreSQL server's read-only state, when err is a storage failure;
// nil otherwise.
func (s *Store) unwritable(err error) error {
	reason := storageReason(err)
	switch {
	case reason == "":
		return nil
	case s.engine == config.Postgres && reason == "read-only":
		return fmt.Errorf("store: the PostgreSQL database is read-only (%w): phoihop needs to write it; is the URL that of a replica, or is default_transaction_read_only on?", err)
	case s.engine == config.Postgres:
		return fmt.Errorf("store: the PostgreSQL database cannot be written (%s: %w): phoihop needs to write it", reason, err)
	}
	what := "is " + reason
	if reason != "read-only" {
		what = "cannot be written (" + reason + ")"
	}
	return fmt.Errorf("store: the database file %s %s (%w): phoihop needs to write it", s.path, what, err)
}

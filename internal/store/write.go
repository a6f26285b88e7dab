package store

// The write path every kind of record shares: reading a record for a change (scope, writer,
// version), the versioned update, the soft remove with its reason, and the audit entry in the
// same transaction. A kind's own file keeps its column lists and SQL and describes itself to
// these helpers with a kind value (caseKind in cases.go is the model).
//
// Creates and updates follow one convention: the store normalizes and validates a copy of the
// caller's value, writes the copy, and assigns it (ID, Version, who and when, normalized
// fields) to the caller's value only once the write has committed. A refused write leaves the
// caller's value as it was.

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// versioned is a table whose rows carry a version, raised by every change, so that a change
// made on a version that is no longer current is refused (optimistic locking).
type versioned struct {
	table  string // the table's name, a constant of this package
	entity string // what a row is called in messages and audit entries: "case", "account"…
	// removable says that rows are soft-removed (deleted_at): a removed row is never changed.
	removable bool
}

// Tables of versioned rows that are not records of a kind.
var (
	unitRows = versioned{table: "units", entity: "unit"}
	userRows = versioned{table: "users", entity: "account"}
)

// staleError is the EConflict of a change made on a version that is no longer current.
func staleError(entity string) error {
	return phoihop.Errorf(phoihop.EConflict, "This %s was changed by someone else since you opened it; nothing was saved. Review the current values and try again.", entity)
}

// checkVersion is the stale EConflict of the entity unless read, the version the caller last
// read, is the current one.
func checkVersion(entity string, current, read int) error {
	if current != read {
		return staleError(entity)
	}
	return nil
}

// created is the Audit of a row the actor creates now: version 1.
func (s *Store) created(a phoihop.Actor) phoihop.Audit {
	now := s.now()
	return phoihop.Audit{Version: 1, CreatedAt: now, CreatedBy: a.UserID, UpdatedAt: now, UpdatedBy: a.UserID}
}

// updateVersioned applies set, the caller's SET list with its args, to the row id of v if it
// is still at the version the caller read (read.Version) and, for removable rows, not removed;
// it raises the version and records the actor and the time at. Otherwise it is the stale
// EConflict and nothing changes. It returns the row's Audit after the change.
func (s *Store) updateVersioned(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, v versioned, id int64, read phoihop.Audit, at time.Time, set string, args ...any) (phoihop.Audit, error) {
	q := `UPDATE ` + v.table + ` SET ` + set + `, version = version + 1, updated_at = ?, updated_by = ?
		WHERE id = ? AND version = ?`
	if v.removable {
		q += ` AND deleted_at IS NULL`
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(q), append(args, at, a.UserID, id, read.Version)...)
	if err != nil {
		return read, fmt.Errorf("store: update %s: %w", v.entity, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return read, staleError(v.entity)
	}
	read.Version, read.UpdatedAt, read.UpdatedBy = read.Version+1, at, a.UserID
	return read, nil
}

// written is what a change returns: the row it wrote, or nil and the error when the change was
// refused or rolled back.
func written[T any](row *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return row, nil
}

// kind describes a kind of record (cases, suspects…) to the helpers every kind shares.
type kind[T any] struct {
	versioned
	// prepare normalizes a copy of the caller's value and checks its own fields (EInvalid);
	// what needs the database is checked inside the transaction.
	prepare func(s *Store, r *T) error
	// read loads the record id when sc reads it (removed ones only with sc.Removed), else
	// ENotFound.
	read func(s *Store, ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*T, error)
	// owners are the agencies the record belongs to: a scope writing one of them may change
	// it; forbidden is the EForbidden message of one that may not.
	owners    func(r *T) []string
	forbidden string
	// fields returns the record's id, its removal columns and its version and who/when columns.
	fields func(r *T) (*int64, *phoihop.Removal, *phoihop.Audit)
	// locking is what the period locks see of the record: its agencies and days (locks.go);
	// nil for a kind the locks do not cover (coordination plans: no figure counts them).
	locking func(s *Store, ctx context.Context, q sqlx.QueryerContext, r *T) (dated, error)
}

// checkUnlocked refuses (ELocked) a write of the records when a period lock covers one of
// them: a create checks the new record, a change the record before and after, a removal the
// record before (locks.go).
func (k kind[T]) checkUnlocked(ctx context.Context, s *Store, tx *sqlx.Tx, records ...*T) error {
	if k.locking == nil {
		return nil
	}
	facts := make([]dated, len(records))
	for i, r := range records {
		var err error
		if facts[i], err = k.locking(s, ctx, tx, r); err != nil {
			return err
		}
	}
	return s.checkUnlocked(ctx, tx, facts...)
}

// normalized is the prepare of a kind whose records check their own fields: Normalize, then
// Validate against the store's today.
func normalized[T any, P interface {
	*T
	Normalize()
	Validate(today phoihop.Date) error
}](s *Store, r *T) error {
	P(r).Normalize()
	return P(r).Validate(s.today())
}

// writes reports whether sc may change the record.
func (k kind[T]) writes(sc Scope, r *T) bool { return slices.ContainsFunc(k.owners(r), sc.CanWrite) }

// domain is the audit domain of a change sc makes to the record: the first of its owners sc
// writes, else the first of them.
func (k kind[T]) domain(sc Scope, r *T) string {
	owners := k.owners(r)
	if i := slices.IndexFunc(owners, sc.CanWrite); i >= 0 {
		return owners[i]
	}
	if len(owners) > 0 {
		return owners[0]
	}
	return ""
}

// save creates or updates a record the one way every kind does: it prepares a copy of *v,
// has write store the copy inside a transaction and, once the transaction has committed,
// assigns the copy (ID, Version, who and when, normalized fields) to *v. A refused write leaves
// *v as it was.
func (k kind[T]) save(ctx context.Context, s *Store, v *T, write func(tx *sqlx.Tx, r *T) error) error {
	r := *v
	if err := k.prepare(s, &r); err != nil {
		return err
	}
	if err := s.inTx(ctx, func(tx *sqlx.Tx) error { return write(tx, &r) }); err != nil {
		return err
	}
	*v = r
	return nil
}

// saveOver updates a record the one way every kind does: as save, with the record the
// caller's value names (its ID) read inside the transaction for a change made on its Version
// (forWrite's errors) and handed to write as before.
func (k kind[T]) saveOver(ctx context.Context, s *Store, sc Scope, v *T, write func(tx *sqlx.Tx, before, r *T) error) error {
	return k.save(ctx, s, v, func(tx *sqlx.Tx, r *T) error {
		id, _, au := k.fields(r)
		before, err := k.forWrite(ctx, s, tx, sc, *id, au.Version)
		if err != nil {
			return err
		}
		return write(tx, before, r)
	})
}

// insert inserts r, a new record, unless a period lock covers it (ELocked), with its audit
// entry "<entity>.create": cols is the kind's column list and args their values; insert adds
// version 1 and who and when, and sets r's ID.
func (k kind[T]) insert(ctx context.Context, s *Store, tx *sqlx.Tx, a phoihop.Actor, sc Scope, r *T, cols string, args ...any) error {
	// Before the record's time is taken: a record is created after the locks it was checked against.
	if err := k.checkUnlocked(ctx, s, tx, r); err != nil {
		return err
	}
	id, removal, au := k.fields(r)
	*removal, *au = phoihop.Removal{}, s.created(a)
	args = append(args, au.Version, au.CreatedAt, au.CreatedBy, au.UpdatedAt, au.UpdatedBy)
	q := `INSERT INTO ` + k.table + ` (` + cols + `, version, created_at, created_by, updated_at, updated_by)
		VALUES (` + placeholders(len(args)) + `) RETURNING id`
	if err := tx.QueryRowxContext(ctx, tx.Rebind(q), args...).Scan(id); err != nil {
		return fmt.Errorf("store: create %s: %w", k.entity, err)
	}
	return s.audit(ctx, tx, a, k.entity+".create", k.entity, *id, k.domain(sc, r), nil, r)
}

// update writes r over before, the record as forWrite read it, unless a period lock covers
// either (ELocked), with the audit entry "<entity>.update": set is the kind's SET list and args
// its values (updateVersioned). r, a change of the record with before's id, gets before's
// creation and the new version.
func (k kind[T]) update(ctx context.Context, s *Store, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, r *T, set string, args ...any) error {
	if err := k.checkUnlocked(ctx, s, tx, before, r); err != nil {
		return err
	}
	id, _, read := k.fields(before)
	_, removal, au := k.fields(r)
	changed, err := s.updateVersioned(ctx, tx, a, k.versioned, *id, *read, s.now(), set, args...)
	if err != nil {
		return err
	}
	*removal, *au = phoihop.Removal{}, changed
	return s.audit(ctx, tx, a, k.entity+".update", k.entity, *id, k.domain(sc, r), before, r)
}

// forWrite loads the record id inside tx for a change made on version, the version the caller
// last read: ENotFound when sc does not read it or it is removed, EForbidden when sc may not
// change it, the stale EConflict when it has changed since.
func (k kind[T]) forWrite(ctx context.Context, s *Store, tx *sqlx.Tx, sc Scope, id int64, version int) (*T, error) {
	sc.Removed = false
	r, err := k.read(s, ctx, tx, sc, id)
	if err != nil {
		return nil, err
	}
	if !k.writes(sc, r) {
		return nil, &phoihop.Error{Code: phoihop.EForbidden, Message: k.forbidden}
	}
	_, _, au := k.fields(r)
	if err := checkVersion(k.entity, au.Version, version); err != nil {
		return nil, err
	}
	return r, nil
}

// remove soft-removes the record id for the reason, in one transaction: it reads the record
// for a change made on version (forWrite's errors), marks it removed by the actor with the
// reason, raising its version, and appends the audit entry "<entity>.remove" with the record
// before and after. The record then disappears from lists and reports and is kept with who
// removed it, when and why. A missing or too long reason is EInvalid on "reason"; a record a
// period lock covers is ELocked.
func (k kind[T]) remove(ctx context.Context, s *Store, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return k.removeTx(ctx, s, tx, a, sc, id, version, reason) })
}

// removeTx is remove's change inside tx, for a reason already checked; undoing an import
// (imports_state.go) removes the records it created with it.
func (k kind[T]) removeTx(ctx context.Context, s *Store, tx *sqlx.Tx, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	before, err := k.forWrite(ctx, s, tx, sc, id, version)
	if err != nil {
		return err
	}
	if err := k.checkUnlocked(ctx, s, tx, before); err != nil {
		return err
	}
	after := *before
	_, removal, au := k.fields(&after)
	now := s.now()
	*au, err = s.updateVersioned(ctx, tx, a, k.versioned, id, *au, now,
		`deleted_at = ?, deleted_by = ?, delete_reason = ?`, now, a.UserID, reason)
	if err != nil {
		return err
	}
	*removal = phoihop.Removal{DeletedAt: &now, DeletedBy: a.UserID, DeleteReason: &reason}
	return s.audit(ctx, tx, a, k.entity+".remove", k.entity, id, k.domain(sc, before), before, &after)
}

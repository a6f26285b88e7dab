package store

// Approved periods (period locks). A leader approves an agency's figures for a period; from
// then on no record of that agency dated in the period is created, changed or removed, by any
// path: every write of cases, suspects, seizures, exchanges and tips — the kinds' shared write
// path (write.go), the bulk writer (bulk.go) and what a request's answer writes
// (request_effects.go) — goes through checkUnlocked, the one place the rule lives.
//
// Which agencies a record belongs to for locking: every agency whose summary counts it, so
// that no approved figure can move.
//   - case: the agencies taking part in it, the lead among them (an agency's summary counts
//     the cases it takes part in), dated on its opening and its closing day;
//   - suspect: the arresting unit's agency, dated on the arrest;
//   - seizure: the seizing unit's agency, dated on the seizure;
//   - exchange: the organizing unit's agency and the agencies of the units taking part,
//     dated on the day it was held;
//   - tip: the agency of the unit that received it, dated on the day received and the day
//     verified.
//
// A change is checked on the record as it was and as it becomes: moving a record out of a
// locked period, or into one, changes the period. A case opened in a locked period is thus
// frozen while the lock holds, even to close it: its opening counts in the approved figures.
//
// Race safety: a write either commits before the lock or is refused. On PostgreSQL (READ
// COMMITTED) the writer takes FOR KEY SHARE on the rows of its agencies before reading the
// locks and keeps it until it commits; creating a lock first takes FOR UPDATE on its agency's
// row, so it waits for the writers that already checked, and the writers that come after it
// wait for its commit and then see it. On SQLite every write transaction holds the database's
// write lock from BEGIN (_txlock=immediate), so they run one after the other.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// dated is what the period locks see of a record: the agencies it belongs to for locking and
// the days it is dated on (zero days, such as a case not closed, are left out).
type dated struct {
	agencies []string
	days     []phoihop.Date
}

// datedOn is a dated of the agencies and days, zero days left out.
func datedOn(agencies []string, days ...phoihop.Date) dated {
	d := dated{agencies: agencies}
	for _, day := range days {
		if !day.IsZero() {
			d.days = append(d.days, day)
		}
	}
	return d
}

// checkUnlocked refuses, with ELocked naming the lock, a write inside tx of the records facts
// describe when an active lock of one of a record's agencies covers one of its days. On
// PostgreSQL it first takes FOR KEY SHARE on the agencies' rows, kept until tx ends, so that
// no lock of them is created before tx commits (see the top of this file).
func (s *Store) checkUnlocked(ctx context.Context, tx *sqlx.Tx, facts ...dated) error {
	set := map[string]bool{}
	for _, f := range facts {
		if len(f.days) == 0 {
			continue
		}
		for _, a := range f.agencies {
			set[a] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	agencies := slices.Sorted(maps.Keys(set))
	in, args := inList("code", agencies)
	var held []string
	// Ordered by code: two writers take their rows in one order and never wait for each other.
	if err := tx.SelectContext(ctx, &held, tx.Rebind(`SELECT code FROM agencies WHERE `+in+
		` ORDER BY code`+s.forKeyShare()), args...); err != nil {
		return fmt.Errorf("store: period locks: %w", err)
	}
	locks, err := s.activeLocks(ctx, tx, agencies)
	if err != nil || len(locks) == 0 {
		return err
	}
	for _, f := range facts {
		if l := coveringLock(f, locks); l != nil {
			return phoihop.LockedError(l)
		}
	}
	return nil
}

// coveringLock returns the first of the locks that covers the record f describes (one of its
// agencies, one of its days), nil when none does: the rule checkUnlocked and the import
// (imports.go) both apply.
func coveringLock(f dated, locks []phoihop.PeriodLock) *phoihop.PeriodLock {
	for i := range locks {
		l := &locks[i]
		if slices.Contains(f.agencies, l.Agency) && slices.ContainsFunc(f.days, l.Covers) {
			return l
		}
	}
	return nil
}

// lockColumns are the columns of period_locks p with the usernames of who approved and who
// unlocked (users a, r).
const lockColumns = `p.id, p.agency, p.from_on, p.to_on, p.created_at, p.created_by,
	COALESCE(a.username, '') AS approved_by, p.removed_at, p.removed_by,
	COALESCE(r.username, '') AS unlocked_by, p.remove_reason`

const lockFrom = ` FROM period_locks p LEFT JOIN users a ON a.id = p.created_by LEFT JOIN users r ON r.id = p.removed_by`

// activeLocks returns the active locks of the agencies, oldest first.
func (s *Store) activeLocks(ctx context.Context, q sqlx.QueryerContext, agencies []string) ([]phoihop.PeriodLock, error) {
	in, args := inList("p.agency", agencies)
	var locks []phoihop.PeriodLock
	if err := sqlx.SelectContext(ctx, q, &locks, s.db.Rebind(`SELECT `+lockColumns+lockFrom+
		` WHERE p.removed_at IS NULL AND `+in+` ORDER BY p.id`), args...); err != nil {
		return nil, fmt.Errorf("store: period locks: %w", err)
	}
	return locks, nil
}

// CreateLock approves and locks the figures of l.Agency from l.From to l.To (inclusive), with
// the audit entry "lock.create"; on success l holds the lock as stored. Who may lock which
// agency is the caller's check. Missing days, a last day before the first or an unknown
// agency are EInvalid on "from", "to" or "agency"; an active lock of the agency overlapping
// the period is EConflict naming it. Writes of the agency's records in flight either commit
// before the lock or are refused by it (see the top of this file).
func (s *Store) CreateLock(ctx context.Context, a phoihop.Actor, l *phoihop.PeriodLock) error {
	n := *l
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var code string
		err := s.getOne(ctx, tx, &code, "agency", `SELECT code FROM agencies WHERE code = ?`+s.forUpdate(), n.Agency)
		if phoihop.ErrorCode(err) == phoihop.ENotFound {
			return phoihop.FieldErrors{"agency": "Choose one of the agencies in the list."}.Err()
		}
		if err != nil {
			return err
		}
		active, err := s.activeLocks(ctx, tx, []string{n.Agency})
		if err != nil {
			return err
		}
		for _, o := range active {
			if !o.From.After(n.To) && !n.From.After(o.To) {
				return &phoihop.Error{Code: phoihop.EConflict,
					Message: fmt.Sprintf("%s is already approved from %s to %s (lock %d); the periods would overlap.",
						o.Agency, o.From.FormatVN(), o.To.FormatVN(), o.ID),
					MessageID: "lock.overlap",
					Args:      []any{"Agency", o.Agency, "From", o.From.FormatVN(), "To", o.To.FormatVN(), "ID", o.ID}}
			}
		}
		// The time of the lock is taken once its agency's row is held: every write that
		// committed before it had finished.
		n.CreatedAt, n.CreatedBy, n.ApprovedBy = s.now(), a.UserID, ""
		if a.UserID != nil {
			n.ApprovedBy = a.Username
		}
		if err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO period_locks (agency, from_on, to_on, created_at, created_by)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), n.Agency, n.From, n.To, n.CreatedAt, n.CreatedBy).Scan(&n.ID); err != nil {
			return fmt.Errorf("store: create lock: %w", err)
		}
		return s.audit(ctx, tx, a, "lock.create", "lock", n.ID, n.Agency, nil, &n)
	})
	if err != nil {
		return err
	}
	*l = n
	return nil
}

// RemoveLock unlocks the lock id for the reason (1–500 characters, else EInvalid on
// "reason"), with the audit entry "lock.remove", and returns it as unlocked. Who may unlock is
// the caller's check (a leader of all agencies). An unknown id is ENotFound; a lock already
// unlocked EConflict.
func (s *Store) RemoveLock(ctx context.Context, a phoihop.Actor, id int64, reason string) (*phoihop.PeriodLock, error) {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return nil, err
	}
	var after phoihop.PeriodLock
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var before phoihop.PeriodLock
		if err := s.getOne(ctx, tx, &before, "lock", `SELECT `+lockColumns+lockFrom+` WHERE p.id = ?`, id); err != nil {
			return err
		}
		if !before.Active() {
			return phoihop.Errorf(phoihop.EConflict, "This lock was already unlocked.")
		}
		now := s.now()
		// Only an active lock is unlocked: of two leaders unlocking at once, one does.
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE period_locks SET removed_at = ?, removed_by = ?, remove_reason = ?
			WHERE id = ? AND removed_at IS NULL`), now, a.UserID, reason, id)
		if err != nil {
			return fmt.Errorf("store: remove lock: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return phoihop.Errorf(phoihop.EConflict, "This lock was already unlocked.")
		}
		after = before
		after.RemovedAt, after.RemovedBy, after.UnlockedBy, after.RemoveReason = &now, a.UserID, a.Username, &reason
		return s.audit(ctx, tx, a, "lock.remove", "lock", id, before.Agency, &before, &after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// LockFilter selects period locks; zero fields select every lock of the agencies.
type LockFilter struct {
	// Agencies are the agencies whose locks the caller may see; nil: all.
	Agencies []string
	Agency   string       // only this agency's locks
	Active   *bool        // only active locks (true) or only unlocked ones (false)
	Date     phoihop.Date // only locks whose period holds this day
}

// ListLocks returns the locks f selects, newest first (at most 1,000).
func (s *Store) ListLocks(ctx context.Context, f LockFilter) ([]phoihop.PeriodLock, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Agencies != nil {
		in, a := inList("p.agency", f.Agencies)
		where, args = append(where, in), append(args, a...)
	}
	if v := strings.ToUpper(strings.TrimSpace(f.Agency)); v != "" {
		where, args = append(where, "p.agency = ?"), append(args, v)
	}
	if f.Active != nil {
		if *f.Active {
			where = append(where, "p.removed_at IS NULL")
		} else {
			where = append(where, "p.removed_at IS NOT NULL")
		}
	}
	if !f.Date.IsZero() {
		where, args = append(where, "p.from_on <= ? AND p.to_on >= ?"), append(args, f.Date, f.Date)
	}
	locks := []phoihop.PeriodLock{}
	if err := s.db.SelectContext(ctx, &locks, s.db.Rebind(`SELECT `+lockColumns+lockFrom+` WHERE `+
		strings.Join(where, " AND ")+` ORDER BY p.id DESC LIMIT 1000`), args...); err != nil {
		return nil, fmt.Errorf("store: list locks: %w", err)
	}
	return locks, nil
}

// LockByID returns the lock id when its agency is among agencies (nil: any), else ENotFound.
func (s *Store) LockByID(ctx context.Context, agencies []string, id int64) (*phoihop.PeriodLock, error) {
	cond, args := "1 = 1", []any{}
	if agencies != nil {
		cond, args = inList("p.agency", agencies)
	}
	var l phoihop.PeriodLock
	if err := s.getOne(ctx, s.db, &l, "lock", `SELECT `+lockColumns+lockFrom+` WHERE p.id = ? AND `+cond,
		append([]any{id}, args...)...); err != nil {
		return nil, err
	}
	return &l, nil
}

// SummaryApproval is an approval of an agency's figures that a summary's period overlaps: the
// active lock, and whether it covers the whole period (else only part of it).
type SummaryApproval struct {
	Agency     string       `json:"agency"`
	LockID     int64        `json:"lock_id"`
	From       phoihop.Date `json:"from"`
	To         phoihop.Date `json:"to"`
	ApprovedBy string       `json:"approved_by"`
	ApprovedAt time.Time    `json:"approved_at"`
	Whole      bool         `json:"whole" doc:"true: the lock covers the whole period; false: only part of it"`
}

// summaryApprovals returns the active locks of the agencies of q's scope (every agency when
// nil) overlapping its period, by agency then first day; nil when there is none.
func (s *Store) summaryApprovals(ctx context.Context, q summaryQuery) ([]SummaryApproval, error) {
	where, args := "p.removed_at IS NULL AND p.from_on <= ? AND p.to_on >= ?", []any{q.f.To, q.f.From}
	if q.agencies != nil {
		in, a := inList("p.agency", q.agencies)
		where, args = where+" AND "+in, append(args, a...)
	}
	var locks []phoihop.PeriodLock
	if err := s.db.SelectContext(ctx, &locks, s.db.Rebind(`SELECT `+lockColumns+lockFrom+
		` JOIN agencies g ON g.code = p.agency WHERE `+where+` ORDER BY g.sort_order, p.from_on`), args...); err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	var out []SummaryApproval // nil when none
	for _, l := range locks {
		out = append(out, SummaryApproval{Agency: l.Agency, LockID: l.ID, From: l.From, To: l.To, ApprovedBy: l.ApprovedBy,
			ApprovedAt: l.CreatedAt, Whole: !l.From.After(q.f.From) && !l.To.Before(q.f.To)})
	}
	return out, nil
}

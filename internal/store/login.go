package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// Audit actions of signing in and out.
const (
	ActionLoginSuccess   = "login.success"
	ActionLoginFailure   = "login.failure"
	ActionLockout        = "user.lockout"
	ActionLogout         = "logout"
	ActionPasswordChange = "user.change_password"
)

// Reasons of a failed sign-in, for the audit log only: users see one generic message.
const (
	ReasonUnknownUser   = "unknown_user"
	ReasonWrongPassword = "wrong_password"
	ReasonLocked        = "locked"         // the account is locked for everyone
	ReasonLockedAddress = "locked_address" // the account is locked for the address the attempt came from
	ReasonDisabled      = "disabled"
)

// Scopes of a lockout, as the audit log records them.
const (
	LockoutAddress = "address" // the account is locked for one source address
	LockoutAccount = "account" // the account is locked for everyone
)

// LoginLimits are the rules wrong passwords are counted against.
type LoginLimits struct {
	// AddressFailures wrong passwords in a row from one address lock the account for that
	// address only; a success from the address starts its count again.
	AddressFailures int
	// AccountFailures wrong passwords within AccountWindow, from any addresses, lock the
	// account for everyone (status locked), against guessing spread over many addresses.
	AccountFailures int
	AccountWindow   time.Duration
	// LockFor is how long either lock lasts unless it is lifted (UnlockUser, ResetPassword).
	LockFor time.Duration
}

// Lockout is the lock a failed sign-in set.
type Lockout int

// The locks a failed sign-in can set, weakest first.
const (
	NoLockout      Lockout = iota
	AddressLockout         // the account is now locked for the failure's address
	AccountLockout         // the account is now locked for everyone
)

// LoginFailure records a failed sign-in from the actor's address (a.IP) with its reason. A
// wrong password of a known user (userID ≠ 0) counts three ways: the account's failures in a
// row (users.failed_logins, shown to administrators); its failures in a row from this address,
// the lim.AddressFailures-th of which locks the account for this address for lim.LockFor; and
// its failures from any address within lim.AccountWindow, the lim.AccountFailures-th of which
// locks the account for everyone for lim.LockFor. A lock whose time is over is lifted first, so
// the user has fresh attempts. Each lock set gets a user.lockout audit entry with its counts.
// It reports the strongest lock this failure set.
func (s *Store) LoginFailure(ctx context.Context, a phoihop.Actor, userID int64, username, reason string, lim LoginLimits) (Lockout, error) {
	lockout := NoLockout
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		details := map[string]string{"username": username, "reason": reason}
		if err := s.audit(ctx, tx, a, ActionLoginFailure, "user", userID, "", nil, details); err != nil {
			return err
		}
		if userID == 0 || reason != ReasonWrongPassword {
			return nil
		}
		// This UPDATE also row-locks the account until the end of the transaction, so the
		// failures of one account are counted one at a time on PostgreSQL too.
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET
			failed_logins = CASE WHEN status = 'locked' AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END,
			status = CASE WHEN status = 'locked' AND locked_until <= ? THEN 'active' ELSE status END,
			locked_until = CASE WHEN status = 'locked' AND locked_until <= ? THEN NULL ELSE locked_until END
			WHERE id = ?`), now, now, now, userID)
		if err != nil {
			return fmt.Errorf("store: login failure: %w", err)
		}
		locked, err := s.countAddressFailure(ctx, tx, a, userID, username, now, lim)
		if err != nil {
			return err
		}
		if locked {
			lockout = AddressLockout
		}
		if locked, err = s.countAccountFailure(ctx, tx, a, userID, username, now, lim); err != nil {
			return err
		}
		if locked {
			lockout = AccountLockout
		}
		return nil
	})
	return lockout, err
}

// countAddressFailure counts a wrong password of the account from a.IP and locks the account
// for that address when the failures in a row reach lim.AddressFailures. It reports whether it
// set the lock.
func (s *Store) countAddressFailure(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, userID int64, username string, now time.Time, lim LoginLimits) (bool, error) {
	var failures int
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO login_addresses (user_id, ip, failures, last_failure_at)
		VALUES (?, ?, 1, ?)
		ON CONFLICT (user_id, ip) DO UPDATE SET
			failures = CASE WHEN login_addresses.locked_until <= ? THEN 1 ELSE login_addresses.failures + 1 END,
			locked_until = CASE WHEN login_addresses.locked_until <= ? THEN NULL ELSE login_addresses.locked_until END,
			last_failure_at = excluded.last_failure_at
		RETURNING failures`), userID, a.IP, now, now, now).Scan(&failures)
	if err != nil {
		return false, fmt.Errorf("store: login failure from an address: %w", err)
	}
	if failures < lim.AddressFailures {
		return false, nil
	}
	until := now.Add(lim.LockFor)
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE login_addresses SET locked_until = ?
		WHERE user_id = ? AND ip = ? AND locked_until IS NULL`), until, userID, a.IP)
	if err != nil {
		return false, fmt.Errorf("store: lock an account for an address: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // locked already
	}
	return true, s.audit(ctx, tx, a, ActionLockout, "user", userID, "", nil, map[string]any{"username": username,
		"scope": LockoutAddress, "address": a.IP, "failures": failures, "locked_until": until})
}

// countAccountFailure counts a wrong password of the account within lim.AccountWindow, from
// any address, and locks the account for everyone when they reach lim.AccountFailures. It
// reports whether it set the lock.
func (s *Store) countAccountFailure(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, userID int64, username string, now time.Time, lim LoginLimits) (bool, error) {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO login_failures (user_id, ip, at) VALUES (?, ?, ?)`),
		userID, a.IP, now); err != nil {
		return false, fmt.Errorf("store: login failure: %w", err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM login_failures WHERE user_id = ? AND at <= ?`),
		userID, now.Add(-lim.AccountWindow)); err != nil {
		return false, fmt.Errorf("store: login failure: %w", err)
	}
	var counted struct {
		Failures  int `db:"failures"`
		Addresses int `db:"addresses"`
	}
	if err := tx.GetContext(ctx, &counted, tx.Rebind(`SELECT count(*) AS failures, count(DISTINCT ip) AS addresses
		FROM login_failures WHERE user_id = ?`), userID); err != nil {
		return false, fmt.Errorf("store: login failure: %w", err)
	}
	if counted.Failures < lim.AccountFailures {
		return false, nil
	}
	until := now.Add(lim.LockFor)
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET status = 'locked', locked_until = ?, version = version + 1
		WHERE id = ? AND status = 'active'`), until, userID)
	if err != nil {
		return false, fmt.Errorf("store: lock account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // disabled or locked meanwhile
	}
	return true, s.audit(ctx, tx, a, ActionLockout, "user", userID, "", nil, map[string]any{"username": username,
		"scope": LockoutAccount, "failures": counted.Failures, "addresses": counted.Addresses,
		"window_minutes": int(lim.AccountWindow / time.Minute), "locked_until": until})
}

// AddressLockedUntil returns the end of the account's lock for the address, or nil when the
// account is not locked for it now.
func (s *Store) AddressLockedUntil(ctx context.Context, userID int64, ip string) (*time.Time, error) {
	var until []time.Time
	err := s.db.SelectContext(ctx, &until, s.db.Rebind(`SELECT locked_until FROM login_addresses
		WHERE user_id = ? AND ip = ? AND locked_until > ?`), userID, ip, s.now())
	if err != nil {
		return nil, fmt.Errorf("store: address lock: %w", err)
	}
	if len(until) == 0 {
		return nil, nil
	}
	return &until[0], nil
}

// AddressLocks describes the locks of an account for single addresses in force now.
type AddressLocks struct {
	Count int        // addresses the account is locked for
	Until *time.Time // the end of the last of those locks; nil when Count is 0
}

// AddressLocksOf returns the account's locks for single addresses in force now.
func (s *Store) AddressLocksOf(ctx context.Context, userID int64) (AddressLocks, error) {
	return s.addressLocks(ctx, s.db, userID)
}

func (s *Store) addressLocks(ctx context.Context, q sqlx.QueryerContext, userID int64) (AddressLocks, error) {
	var until []time.Time
	err := sqlx.SelectContext(ctx, q, &until, s.db.Rebind(`SELECT locked_until FROM login_addresses
		WHERE user_id = ? AND locked_until > ? ORDER BY locked_until DESC`), userID, s.now())
	if err != nil {
		return AddressLocks{}, fmt.Errorf("store: address locks: %w", err)
	}
	if len(until) == 0 {
		return AddressLocks{}, nil
	}
	return AddressLocks{Count: len(until), Until: &until[0]}, nil
}

// clearLoginLocks lifts the account's locks for single addresses and forgets its counted
// failures, so that after an unlock or a password reset every address has fresh attempts and
// the count across addresses starts again. It returns how many address locks were in force.
func (s *Store) clearLoginLocks(ctx context.Context, tx *sqlx.Tx, userID int64) (int, error) {
	locks, err := s.addressLocks(ctx, tx, userID)
	if err != nil {
		return 0, err
	}
	for _, q := range []string{`DELETE FROM login_addresses WHERE user_id = ?`, `DELETE FROM login_failures WHERE user_id = ?`} {
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), userID); err != nil {
			return 0, fmt.Errorf("store: clear login locks: %w", err)
		}
	}
	return locks.Count, nil
}

// LoginSuccess records a successful sign-in from the actor's address: the account's failure
// counter and its failures in a row from this address are reset (those from other addresses,
// and the count across addresses, stay), an expired lock is lifted, the last sign-in time set,
// and the new session stored, with the audit entry, in one transaction.
func (s *Store) LoginSuccess(ctx context.Context, a phoihop.Actor, u *phoihop.User, ses *phoihop.Session) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET failed_logins = 0, locked_until = NULL,
			status = CASE WHEN status = 'locked' THEN 'active' ELSE status END, last_login_at = ? WHERE id = ?`),
			ses.CreatedAt.UTC(), u.ID)
		if err != nil {
			return fmt.Errorf("store: login success: %w", err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM login_addresses WHERE user_id = ? AND ip = ?`), u.ID, a.IP); err != nil {
			return fmt.Errorf("store: login success: %w", err)
		}
		if err := s.createSession(ctx, tx, ses); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, ActionLoginSuccess, "user", u.ID, "", nil, map[string]string{"username": u.Username, "kind": ses.Kind})
	})
}

// Logout ends the session with its audit entry.
func (s *Store) Logout(ctx context.Context, a phoihop.Actor, hash string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE token_hash = ?`), hash); err != nil {
			return fmt.Errorf("store: logout: %w", err)
		}
		var id int64
		if a.UserID != nil {
			id = *a.UserID
		}
		return s.audit(ctx, tx, a, ActionLogout, "user", id, "", nil, nil)
	})
}

// ChangePassword stores a user's new password hash, clears the must-change flag and ends the
// user's other sessions (keepHash is the session the change was made in), with an audit entry.
func (s *Store) ChangePassword(ctx context.Context, a phoihop.Actor, userID int64, hash, keepHash string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET password_hash = ?, must_change_password = ?,
			password_changed_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`),
			hash, false, s.now(), s.now(), a.UserID, userID)
		if err != nil {
			return fmt.Errorf("store: change password: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return phoihop.Errorf(phoihop.ENotFound, "The user was not found.")
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`), userID, keepHash); err != nil {
			return fmt.Errorf("store: change password: %w", err)
		}
		return s.audit(ctx, tx, a, ActionPasswordChange, "user", userID, "", nil, nil)
	})
}

// RecentLoginFailures counts the failed sign-ins from an address since a time, from the audit
// log, so the per-address throttle holds across instances.
func (s *Store) RecentLoginFailures(ctx context.Context, ip string, since time.Time) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, s.db.Rebind(`SELECT count(*) FROM audit_log
		WHERE action = ? AND at >= ? AND ip = ?`), ActionLoginFailure, since.UTC(), ip)
	if err != nil {
		return 0, fmt.Errorf("store: recent login failures: %w", err)
	}
	return n, nil
}

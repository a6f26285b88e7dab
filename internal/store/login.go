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
	ReasonLocked        = "locked"
	ReasonDisabled      = "disabled"
)

// LoginFailure records a failed sign-in with its reason. A wrong password of a known user
// (userID ≠ 0) counts; the maxFailures-th consecutive one locks the account for lockFor. A lock
// whose time is over is lifted first, so the user has fresh attempts. It reports whether this
// failure locked the account.
func (s *Store) LoginFailure(ctx context.Context, a phoihop.Actor, userID int64, username, reason string, maxFailures int, lockFor time.Duration) (bool, error) {
	locked := false
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		details := map[string]string{"username": username, "reason": reason}
		if err := s.audit(ctx, tx, a, ActionLoginFailure, "user", userID, "", nil, details); err != nil {
			return err
		}
		if userID == 0 || reason != ReasonWrongPassword {
			return nil
		}
		var failures int
		err := tx.QueryRowxContext(ctx, tx.Rebind(`UPDATE users SET
			failed_logins = CASE WHEN status = 'locked' AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END,
			status = CASE WHEN status = 'locked' AND locked_until <= ? THEN 'active' ELSE status END,
			locked_until = CASE WHEN status = 'locked' AND locked_until <= ? THEN NULL ELSE locked_until END
			WHERE id = ? RETURNING failed_logins`), now, now, now, userID).Scan(&failures)
		if err != nil {
			return fmt.Errorf("store: login failure: %w", err)
		}
		if failures < maxFailures {
			return nil
		}
		until := now.Add(lockFor)
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET status = 'locked', locked_until = ?, version = version + 1
			WHERE id = ? AND status = 'active'`), until, userID)
		if err != nil {
			return fmt.Errorf("store: lock account: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // disabled meanwhile: nothing to lock
		}
		locked = true
		return s.audit(ctx, tx, a, ActionLockout, "user", userID, "", nil,
			map[string]any{"username": username, "failed_logins": failures, "locked_until": until})
	})
	return locked, err
}

// LoginSuccess records a successful sign-in: the failure counter is reset, an expired lock is
// lifted, the last sign-in time set, and the new session stored, with the audit entry, in one
// transaction.
func (s *Store) LoginSuccess(ctx context.Context, a phoihop.Actor, u *phoihop.User, ses *phoihop.Session) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE users SET failed_logins = 0, locked_until = NULL,
			status = CASE WHEN status = 'locked' THEN 'active' ELSE status END, last_login_at = ? WHERE id = ?`),
			ses.CreatedAt.UTC(), u.ID)
		if err != nil {
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

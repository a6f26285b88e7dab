package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const sessionColumns = `token_hash, user_id, kind, created_at, last_seen_at, expires_at, ip, user_agent`

func (s *Store) createSession(ctx context.Context, tx *sqlx.Tx, ses *phoihop.Session) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), ses.TokenHash, ses.UserID, ses.Kind, ses.CreatedAt.UTC(),
		ses.LastSeenAt.UTC(), ses.ExpiresAt.UTC(), ses.IP, ses.UserAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByTokenHash returns the session with the token hash and its user, or ENotFound.
// Expiry is the caller's rule; the row is returned as stored.
func (s *Store) SessionByTokenHash(ctx context.Context, hash string) (*phoihop.Session, *phoihop.User, error) {
	var row struct {
		phoihop.Session
		phoihop.User `db:"u"`
	}
	q := `SELECT ` + prefixColumns("s.", sessionColumns) + `, ` + aliasColumns("u", userColumns) + `
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`
	if err := s.db.GetContext(ctx, &row, s.db.Rebind(q), hash); err != nil {
		return nil, nil, mapError(fmt.Errorf("store: session: %w", err))
	}
	return &row.Session, &row.User, nil
}

// TouchSession records activity on a session, so the idle timeout counts from now.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), at.UTC(), hash)
	if s.noteWrite(err) != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session; ending one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM sessions WHERE token_hash = ?`), hash); err != nil {
		return fmt.Errorf("store: delete session: %w", s.noteWrite(err))
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle since before
// idleSince, and returns how many it removed.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleSince time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`),
		now.UTC(), idleSince.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", s.noteWrite(err))
	}
	return res.RowsAffected()
}

// aliasColumns selects the columns of table alias a as "a.col" so sqlx fills an embedded
// struct tagged db:"a".
func aliasColumns(a, cols string) string {
	out := ""
	for i, c := range splitColumns(cols) {
		if i > 0 {
			out += ", "
		}
		out += a + "." + c + ` AS "` + a + "." + c + `"`
	}
	return out
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// softDelete marks a record of table (a constant of this package: cases, suspects…) removed by
// the actor for the reason, if it is still at version and not removed; otherwise it is the
// stale EConflict of entity and nothing changes. It returns the time of the removal.
func (s *Store) softDelete(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, table, entity string, id int64, version int, reason string) (time.Time, error) {
	now := s.now()
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE `+table+` SET deleted_at = ?, deleted_by = ?,
		delete_reason = ?, version = version + 1, updated_at = ?, updated_by = ?
		WHERE id = ? AND version = ? AND deleted_at IS NULL`),
		now, a.UserID, reason, now, a.UserID, id, version)
	if err != nil {
		return now, fmt.Errorf("store: remove %s: %w", entity, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return now, staleError(entity)
	}
	return now, nil
}

// markRemoved sets on a record's copy what softDelete wrote, for the audit entry's "after".
func markRemoved(r *phoihop.Removal, au *phoihop.Audit, a phoihop.Actor, at time.Time, reason string) {
	r.DeletedAt, r.DeletedBy, r.DeleteReason = &at, a.UserID, &reason
	au.Version, au.UpdatedAt, au.UpdatedBy = au.Version+1, at, a.UserID
}

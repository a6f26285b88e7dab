package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// PermissionChange is one cell of the role/permission matrix to grant (Allowed) or revoke.
type PermissionChange struct {
	Permission phoihop.Permission
	Allowed    bool
}

// SetPermissions applies the changes in one transaction, each as SetPermission does (checked,
// written, audited as "permission.grant" or "permission.revoke" when it changes the matrix),
// and returns how many changed the matrix. The first refused change refuses them all: its
// error (EInvalid on the field, as SetPermission's) is returned and nothing is written. The
// caller reloads the enforcer after a change.
func (s *Store) SetPermissions(ctx context.Context, a phoihop.Actor, changes []PermissionChange) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, c := range changes {
			changed, err := s.setPermission(ctx, tx, a, c.Permission, c.Allowed)
			if err != nil {
				return err
			}
			if changed {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

package store

import (
	"context"
	"fmt"
	"strings"

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
// error (EInvalid on the field, as SetPermission's; EForbidden for a role a holds) is returned
// and nothing is written. The caller reloads the enforcer after a change.
func (s *Store) SetPermissions(ctx context.Context, a phoihop.Actor, changes []PermissionChange) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		own, err := s.actorRoles(ctx, tx, a)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if own[strings.TrimSpace(c.Permission.Role)] {
				return ErrOwnRoles
			}
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

// actorRoles returns the roles a signed-in actor holds in any domain; the system holds none.
// Nobody changes the permissions of a role they hold (DESIGN.md, separation of duties).
func (s *Store) actorRoles(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor) (map[string]bool, error) {
	out := map[string]bool{}
	if a.UserID == nil {
		return out, nil
	}
	var roles []string
	err := tx.SelectContext(ctx, &roles, tx.Rebind(`SELECT DISTINCT g.v1 FROM casbin_rule g
		JOIN users u ON lower(u.username) = g.v0 WHERE g.p_type = 'g' AND u.id = ?`), *a.UserID)
	if err != nil {
		return nil, fmt.Errorf("store: actor roles: %w", err)
	}
	for _, r := range roles {
		out[r] = true
	}
	return out, nil
}

package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// Permissions returns the role/permission matrix: every Casbin "p" rule, ordered by role,
// domain, object and action.
func (s *Store) Permissions(ctx context.Context) ([]phoihop.Permission, error) {
	rows, err := s.db.QueryxContext(ctx, `SELECT v0, v1, v2, v3 FROM casbin_rule WHERE p_type = 'p'
		ORDER BY v0, v1, v2, v3`)
	if err != nil {
		return nil, fmt.Errorf("store: permissions: %w", err)
	}
	defer rows.Close()
	var out []phoihop.Permission
	for rows.Next() {
		var p phoihop.Permission
		if err := rows.Scan(&p.Role, &p.Domain, &p.Object, &p.Action); err != nil {
			return nil, fmt.Errorf("store: permissions: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetPermission grants (allowed) or revokes the permission p, with an audit entry
// ("permission.grant" or "permission.revoke") when that changes the matrix, and reports
// whether it did. The role, domain ("*" or an agency code), object and action must be those of
// phoihop.Roles and phoihop.PermissionObjects (EInvalid on the field). Revoking the admin
// role's "role manage" over all agencies is EInvalid on "permission": no one could manage
// roles any more. Changing a permission of a role the actor holds, in any domain, is
// EForbidden: another manager must. The caller reloads the enforcer after a change.
func (s *Store) SetPermission(ctx context.Context, a phoihop.Actor, p phoihop.Permission, allowed bool) (bool, error) {
	n, err := s.SetPermissions(ctx, a, []PermissionChange{{Permission: p, Allowed: allowed}})
	return n > 0, err
}

// setPermission is SetPermission inside tx: it checks the permission, writes the change and
// its audit entry, and reports whether the matrix changed.
func (s *Store) setPermission(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, p phoihop.Permission, allowed bool) (bool, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return false, err
	}
	if !allowed && p == (phoihop.Permission{Role: "admin", Domain: phoihop.DomainAll, Object: "role", Action: "manage"}) {
		return false, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"permission": "The admin role must keep managing roles for all agencies, or no one could change the permissions any more."}}
	}
	if p.Domain != phoihop.DomainAll {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT count(*) FROM agencies WHERE code = ?`), p.Domain); err != nil {
			return false, fmt.Errorf("store: set permission: %w", err)
		}
		if n == 0 {
			return false, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
				Fields: map[string]string{"domain": "Choose an agency code (CA, BP, CSB, HQ) or * for all agencies."}}
		}
	}
	q := `DELETE FROM casbin_rule WHERE p_type = 'p' AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = ?
		AND v4 = '' AND v5 = ''`
	action := "permission.revoke"
	if allowed {
		q = `INSERT INTO casbin_rule (p_type, v0, v1, v2, v3) VALUES ('p', ?, ?, ?, ?) ON CONFLICT DO NOTHING`
		action = "permission.grant"
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(q), p.Role, p.Domain, p.Object, p.Action)
	if err != nil {
		return false, fmt.Errorf("store: set permission: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	var before, after any
	if allowed {
		after = p
	} else {
		before = p
	}
	return true, s.audit(ctx, tx, a, action, "permission", 0, p.Domain, before, after)
}

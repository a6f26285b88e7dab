package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const userColumns = `id, username, full_name, unit_id, password_hash, must_change_password, status,
	failed_logins, locked_until, last_login_at, password_changed_at,
	version, created_at, created_by, updated_at, updated_by`

// userRecord is what the audit log keeps of a user: never the password hash.
type userRecord struct {
	Username           string `json:"username"`
	FullName           string `json:"full_name"`
	UnitID             *int64 `json:"unit_id,omitempty"`
	Status             string `json:"status"`
	MustChangePassword bool   `json:"must_change_password"`
}

func recordOf(u *phoihop.User) userRecord {
	return userRecord{u.Username, u.FullName, u.UnitID, u.Status, u.MustChangePassword}
}

// CreateUser validates u and inserts it with the argon2id hash of its password, the roles it
// is given and their audit entries, all in one transaction: a refused role leaves no account
// behind. It sets u's ID, Version and timestamps. A username taken in any case is EConflict; a
// unit that does not exist, or outside sc (no unit at all unless sc.All), is EInvalid on "unit".
func (s *Store) CreateUser(ctx context.Context, a phoihop.Actor, sc AccountScope, u *phoihop.User, passwordHash string, roles ...phoihop.RoleGrant) error {
	if u.Status == "" {
		u.Status = phoihop.UserActive
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.createUser(ctx, tx, a, sc, u, passwordHash); err != nil {
			return err
		}
		for _, r := range roles {
			if err := s.assignRole(ctx, tx, a, sc, u.ID, r.Role, r.Domain); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) createUser(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc AccountScope, u *phoihop.User, passwordHash string) error {
	f := phoihop.FieldErrors{}
	if err := s.checkUserUnit(ctx, tx, f, sc, u.UnitID, false); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.now()
	u.PasswordHash = passwordHash
	u.Version, u.CreatedAt, u.UpdatedAt, u.CreatedBy, u.UpdatedBy = 1, now, now, a.UserID, a.UserID
	u.PasswordChangedAt = now
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO users
		(username, full_name, full_name_search, unit_id, password_hash, must_change_password, status,
		 failed_logins, password_changed_at, version, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Username, u.FullName, Normalize(u.FullName), u.UnitID, u.PasswordHash, u.MustChangePassword, u.Status,
		u.PasswordChangedAt, u.Version, u.CreatedAt, u.CreatedBy, u.UpdatedAt, u.UpdatedBy).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return s.audit(ctx, tx, a, "user.create", "user", u.ID, "", nil, recordOf(u))
}

// UserByUsername returns the user whose username equals name in any case, or ENotFound.
func (s *Store) UserByUsername(ctx context.Context, name string) (*phoihop.User, error) {
	return s.userWhere(ctx, s.db, "lower(username) = ?", strings.ToLower(strings.TrimSpace(name)))
}

// UserByID returns the account with the id if sc reaches it, or ENotFound.
func (s *Store) UserByID(ctx context.Context, sc AccountScope, id int64) (*phoihop.User, error) {
	return s.accountWhere(ctx, s.db, sc, id)
}

// accountWhere reads the account with the id if sc reaches it, or ENotFound.
func (s *Store) accountWhere(ctx context.Context, q sqlx.QueryerContext, sc AccountScope, id int64) (*phoihop.User, error) {
	in, args := sc.cond("unit_id")
	return s.userWhere(ctx, q, "id = ? AND "+in, append([]any{id}, args...)...)
}

func (s *Store) userWhere(ctx context.Context, q sqlx.QueryerContext, cond string, args ...any) (*phoihop.User, error) {
	var u phoihop.User
	err := sqlx.GetContext(ctx, q, &u, s.db.Rebind(`SELECT `+userColumns+` FROM users WHERE `+cond), args...)
	if err != nil {
		return nil, mapError(fmt.Errorf("store: user: %w", err))
	}
	return &u, nil
}

// CountUsers returns the number of accounts.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM users`); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// RoleSubject is the Casbin subject of a user: the username in lower case.
func RoleSubject(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// AssignRole gives the user the role in the domain (an agency code in any case, or "*"), writing the Casbin
// grouping rule and its audit entry. Assigning a role the user holds already changes nothing.
// A user sc does not reach is ENotFound.
func (s *Store) AssignRole(ctx context.Context, a phoihop.Actor, sc AccountScope, userID int64, role, domain string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return s.assignRole(ctx, tx, a, sc, userID, role, domain)
	})
}

func (s *Store) assignRole(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc AccountScope, userID int64, role, domain string) error {
	role, domain = strings.TrimSpace(role), strings.ToUpper(strings.TrimSpace(domain))
	f := phoihop.FieldErrors{}
	if !slices.Contains(phoihop.Roles, role) {
		f.Add("role", "Choose a role from the list: officer, leader, analyst or admin.")
	}
	if domain != phoihop.DomainAll && !phoihop.IsAgencyCode(domain) {
		f.Add("domain", "Choose an agency code (CA, BP, CSB, HQ) or * for all agencies.")
	} else if domain != phoihop.DomainAll {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT count(*) FROM agencies WHERE code = ?`), domain); err != nil {
			return fmt.Errorf("store: assign role: %w", err)
		}
		if n == 0 {
			f.Add("domain", "Choose an agency code (CA, BP, CSB, HQ) or * for all agencies.")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	u, err := s.accountWhere(ctx, tx, sc, userID)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', ?, ?, ?)
		ON CONFLICT DO NOTHING`), RoleSubject(u.Username), role, domain)
	if err != nil {
		return fmt.Errorf("store: assign role: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return s.audit(ctx, tx, a, "role.assign", "user", userID, domain, nil, map[string]string{"role": role, "domain": domain})
}

// UserRoles returns the user's roles as "role@domain" pairs, sorted.
func (s *Store) UserRoles(ctx context.Context, username string) ([][2]string, error) {
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT v1, v2 FROM casbin_rule WHERE p_type = 'g' AND v0 = ?
		ORDER BY v2, v1`), RoleSubject(username))
	if err != nil {
		return nil, fmt.Errorf("store: user roles: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var role, domain string
		if err := rows.Scan(&role, &domain); err != nil {
			return nil, fmt.Errorf("store: user roles: %w", err)
		}
		out = append(out, [2]string{role, domain})
	}
	return out, rows.Err()
}

// AdminUsername is the account made on the first start.
const AdminUsername = "admin"

// CreateFirstAdmin creates the "admin" account, with the admin role over all agencies, when
// the database has no account at all, and reports whether it did. Later starts, and a second
// instance racing the first, change nothing.
func (s *Store) CreateFirstAdmin(ctx context.Context, passwordHash string, mustChange bool) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM users`); err != nil {
			return fmt.Errorf("store: first admin: %w", err)
		}
		if n > 0 {
			return nil
		}
		a := phoihop.SystemActor("start")
		u := &phoihop.User{Username: AdminUsername, FullName: "Quản trị hệ thống", Status: phoihop.UserActive,
			MustChangePassword: mustChange}
		all := AccountScope{All: true}
		if err := s.createUser(ctx, tx, a, all, u, passwordHash); err != nil {
			return err
		}
		created = true
		return s.assignRole(ctx, tx, a, all, u.ID, "admin", phoihop.DomainAll)
	})
	if phoihop.ErrorCode(err) == phoihop.EConflict {
		return false, nil // another instance made it at the same moment
	}
	return created, err
}

package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const userColumns = `id, username, full_name, email, unit_id, password_hash, must_change_password, status,
	failed_logins, locked_until, last_login_at, password_changed_at,
	version, created_at, created_by, updated_at, updated_by`

// userRecord is what the audit log keeps of a user: never the password hash.
type userRecord struct {
	Username           string  `json:"username"`
	FullName           string  `json:"full_name"`
	Email              *string `json:"email,omitempty"`
	UnitID             *int64  `json:"unit_id,omitempty"`
	Status             string  `json:"status"`
	MustChangePassword bool    `json:"must_change_password"`
}

func recordOf(u *phoihop.User) userRecord {
	return userRecord{u.Username, u.FullName, u.Email, u.UnitID, u.Status, u.MustChangePassword}
}

// CreateUser validates u and inserts it with the argon2id hash of its password, the roles it
// is given and their audit entries, all in one transaction: a refused role leaves no account
// behind. On success u holds the account as stored, with its ID, Version and timestamps, and a
// refused create leaves u as it was. A username taken in any case is EConflict; a
// unit that does not exist, or outside sc (no unit at all unless sc.Users.All), is EInvalid on
// "unit"; a role in a domain outside sc.Users is EInvalid on "domain", and outside sc.Roles
// EForbidden (see AssignRole).
func (s *Store) CreateUser(ctx context.Context, a phoihop.Actor, sc AccountScope, u *phoihop.User, passwordHash string, roles ...phoihop.RoleGrant) error {
	nu := *u
	if nu.Status == "" {
		nu.Status = phoihop.UserActive
	}
	nu.Normalize()
	if err := nu.Validate(); err != nil {
		return err
	}
	for _, r := range roles {
		if !sc.Users.Covers(strings.ToUpper(strings.TrimSpace(r.Domain))) {
			return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
				Fields: map[string]string{"domain": "A new account may get roles only in the agencies whose accounts you manage."}}
		}
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.createUser(ctx, tx, a, sc, &nu, passwordHash); err != nil {
			return err
		}
		for _, r := range roles {
			if err := s.assignRole(ctx, tx, a, sc, nu.ID, r.Role, r.Domain); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	*u = nu
	return nil
}

// createUser inserts u, normalized and validated, inside tx with its audit entry and sets its
// ID, password hash, Version and timestamps: a unit outside sc is EInvalid on "unit".
func (s *Store) createUser(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc AccountScope, u *phoihop.User, passwordHash string) error {
	f := phoihop.FieldErrors{}
	if err := s.checkUserUnit(ctx, tx, f, sc, u.UnitID, false); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	u.PasswordHash, u.Audit = passwordHash, s.created(a)
	u.PasswordChangedAt = u.CreatedAt
	err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO users
		(username, full_name, full_name_search, email, unit_id, password_hash, must_change_password, status,
		 failed_logins, password_changed_at, version, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.Username, u.FullName, Normalize(u.FullName), u.Email, u.UnitID, u.PasswordHash, u.MustChangePassword, u.Status,
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

// AssignRole gives the user the role in the domain (an agency code in any case, or "*"),
// writing the Casbin grouping rule and its audit entry. Assigning a role the user holds already
// changes nothing. A role or domain not in the lists is EInvalid on the field; a user sc does
// not reach is ENotFound; giving oneself a role, a role in a domain outside sc.Roles, or a role
// to an account holding a role outside sc.Roles, is EForbidden.
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
	u, err := s.roleChangeAccount(ctx, tx, a, sc, userID, domain)
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

// AdminUsername is the account made at start when no account administers all agencies.
const AdminUsername = "admin"

// AdminState is what the database holds of administrators over all agencies.
type AdminState int

// The states AdminStateOf reports.
const (
	// AdminPresent: an account that is not disabled holds the admin role over all agencies.
	AdminPresent AdminState = iota
	// AdminMissing: no such account, and the username "admin" is free.
	AdminMissing
	// AdminNameTaken: no such account, and the username "admin" belongs to an account (one
	// without that role, or a disabled one), which is never changed at start.
	AdminNameTaken
)

// AdminStateOf reports whether an account administers all agencies and, when none does,
// whether the username "admin" is free for one.
func (s *Store) AdminStateOf(ctx context.Context) (AdminState, error) {
	return s.adminState(ctx, s.db)
}

func (s *Store) adminState(ctx context.Context, q sqlx.QueryerContext) (AdminState, error) {
	var n struct {
		Admins int `db:"admins"`
		Named  int `db:"named"`
	}
	err := sqlx.GetContext(ctx, q, &n, s.db.Rebind(`SELECT
		(SELECT count(*) FROM casbin_rule g JOIN users u ON lower(u.username) = g.v0
			WHERE g.p_type = 'g' AND g.v1 = 'admin' AND g.v2 = ? AND u.status <> ?) AS admins,
		(SELECT count(*) FROM users WHERE lower(username) = ?) AS named`),
		phoihop.DomainAll, phoihop.UserDisabled, AdminUsername)
	switch {
	case err != nil:
		return 0, fmt.Errorf("store: admin state: %w", err)
	case n.Admins > 0:
		return AdminPresent, nil
	case n.Named > 0:
		return AdminNameTaken, nil
	}
	return AdminMissing, nil
}

// adminLockKey names the PostgreSQL advisory lock under which the admin account is created.
const adminLockKey = 0x70686f69686f7001 // "phoihop" and 1

// CreateFirstAdmin creates the "admin" account, with the admin role over all agencies, when
// no account that is not disabled holds that role and the username "admin" is free
// (AdminMissing), and reports whether it did. It never changes an existing account. Instances
// starting together take a lock first, so only one of them creates the account; the others,
// and later starts, change nothing.
func (s *Store) CreateFirstAdmin(ctx context.Context, passwordHash string, mustChange bool) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.lockTx(ctx, tx, adminLockKey); err != nil {
			return err
		}
		if state, err := s.adminState(ctx, tx); err != nil || state != AdminMissing {
			return err
		}
		a := phoihop.SystemActor("start")
		u := &phoihop.User{Username: AdminUsername, FullName: "Quản trị hệ thống", Status: phoihop.UserActive,
			MustChangePassword: mustChange}
		all := AllAccounts()
		if err := s.createUser(ctx, tx, a, all, u, passwordHash); err != nil {
			return err
		}
		created = true
		return s.assignRole(ctx, tx, a, all, u.ID, "admin", phoihop.DomainAll)
	})
	if phoihop.ErrorCode(err) == phoihop.EConflict {
		// Someone took the username meanwhile without the lock (phoihop user add).
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return created, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// userListColumns are the users columns of the admin list: all but the password hash.
const userListColumns = `id, username, full_name, email, unit_id, must_change_password, status,
	failed_logins, locked_until, last_login_at, password_changed_at,
	version, created_at, created_by, updated_at, updated_by`

// UserFilter selects the accounts of the admin list; zero fields select everything.
type UserFilter struct {
	Search string // part of the full name or the username, ignoring case and diacritics
	Agency string // only accounts whose unit belongs to this agency
	Status string // only accounts in this status (phoihop.UserActive…)
	Limit  int    // page size: 50 when 0, at most 500
	Offset int    // rows skipped before the page
}

// UserListItem is an account as the admin list shows it: its unit's code, name and agency
// (empty when it has none) and its roles. PasswordHash is never filled.
type UserListItem struct {
	phoihop.User
	UnitCode string              `db:"unit_code" json:"unit_code"`
	UnitName string              `db:"unit_name" json:"unit_name"`
	Agency   string              `db:"agency" json:"agency"`
	Roles    []phoihop.RoleGrant `db:"-" json:"roles"`
}

// accountRecord is what the audit log keeps of an account's state: never the password hash.
// LockedAddresses, the addresses the account was locked for, is filled where locks are lifted.
type accountRecord struct {
	userRecord
	FailedLogins      int        `json:"failed_logins"`
	LockedUntil       *time.Time `json:"locked_until,omitempty"`
	LockedAddresses   int        `json:"locked_addresses,omitempty"`
	PasswordChangedAt time.Time  `json:"password_changed_at"`
}

func accountOf(u *phoihop.User) accountRecord {
	return accountRecord{userRecord: recordOf(u), FailedLogins: u.FailedLogins, LockedUntil: u.LockedUntil,
		PasswordChangedAt: u.PasswordChangedAt}
}

// ListUsers returns one page of the accounts of sc matching f, ordered by username, each with
// its unit and its roles, and the number of matching accounts of sc. A status outside the known
// ones is EInvalid on "status".
func (s *Store) ListUsers(ctx context.Context, sc AccountScope, f UserFilter) ([]UserListItem, int, error) {
	in, args := sc.cond("u.unit_id")
	where := []string{in}
	if q := Normalize(f.Search); q != "" {
		where = append(where, `(u.full_name_search LIKE ? ESCAPE '\' OR lower(u.username) LIKE ? ESCAPE '\')`)
		p := containsPattern(q)
		args = append(args, p, p)
	}
	if agency := strings.ToUpper(strings.TrimSpace(f.Agency)); agency != "" {
		where = append(where, "un.agency = ?")
		args = append(args, agency)
	}
	switch status := strings.TrimSpace(f.Status); status {
	case "":
	case phoihop.UserActive, phoihop.UserLocked, phoihop.UserDisabled:
		where = append(where, "u.status = ?")
		args = append(args, status)
	default:
		return nil, 0, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"status": "Choose a status from the list."}}
	}
	from := ` FROM users u LEFT JOIN units un ON un.id = u.unit_id WHERE ` + strings.Join(where, " AND ")
	items, total, err := listPage[UserListItem](ctx, s, "list users", `SELECT count(*)`+from, args,
		`SELECT `+prefixColumns("u.", userListColumns)+`, COALESCE(un.code, '') AS unit_code,
		COALESCE(un.name, '') AS unit_name, COALESCE(un.agency, '') AS agency`+from+
			` ORDER BY lower(u.username), u.id`, args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	if err := s.attachRoles(ctx, items); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// attachRoles fills the Roles of a page of accounts with one query for the whole page.
func (s *Store) attachRoles(ctx context.Context, items []UserListItem) error {
	if len(items) == 0 {
		return nil
	}
	bySubject := make(map[string][]int, len(items))
	subjects := make([]string, 0, len(items))
	for i := range items {
		sub := RoleSubject(items[i].Username)
		if _, ok := bySubject[sub]; !ok {
			subjects = append(subjects, sub)
		}
		bySubject[sub] = append(bySubject[sub], i)
	}
	q, args, err := sqlx.In(`SELECT v0, v1, v2 FROM casbin_rule WHERE p_type = 'g' AND v0 IN (?)
		ORDER BY v0, v2, v1`, subjects)
	if err != nil {
		return fmt.Errorf("store: user roles: %w", err)
	}
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("store: user roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sub string
		var g phoihop.RoleGrant
		if err := rows.Scan(&sub, &g.Role, &g.Domain); err != nil {
			return fmt.Errorf("store: user roles: %w", err)
		}
		for _, i := range bySubject[sub] {
			items[i].Roles = append(items[i].Roles, g)
		}
	}
	return rows.Err()
}

// UpdateUser changes an account's full name and unit (nil: no unit) and keeps its e-mail
// address: UpdateAccount with the address as it is.
func (s *Store) UpdateUser(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, version int, fullName string, unitID *int64) (*phoihop.User, error) {
	return s.updateAccount(ctx, a, sc, id, version, AccountDetails{FullName: fullName, UnitID: unitID}, false)
}

// AccountDetails are what an administrator changes of an account on its page.
type AccountDetails struct {
	FullName string
	UnitID   *int64 // nil: no unit
	Email    string // "": none
}

// UpdateAccount changes an account's full name, unit and e-mail address. version is the
// version the caller last read; a stale one is EConflict and changes nothing. A bad full name
// is EInvalid on "full_name", a bad address on "email"; a unit that does not exist, outside sc
// (no unit at all unless sc.Users.All), or a new unit no longer in service, EInvalid on
// "unit"; an unknown id, or an account sc does not reach, ENotFound; an account holding a role
// outside sc.Users, EForbidden.
func (s *Store) UpdateAccount(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, version int, d AccountDetails) (*phoihop.User, error) {
	return s.updateAccount(ctx, a, sc, id, version, d, true)
}

func (s *Store) updateAccount(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, version int, d AccountDetails, setEmail bool) (*phoihop.User, error) {
	var after *phoihop.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.accountAtVersion(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		u := *before
		u.FullName, u.UnitID = d.FullName, d.UnitID
		if setEmail {
			u.Email = phoihop.OptionalEmail(d.Email)
		}
		u.Normalize()
		f := phoihop.FieldErrors{}
		var invalid *phoihop.Error
		if errors.As(u.Validate(), &invalid) {
			maps.Copy(f, invalid.Fields)
		}
		changed := d.UnitID != nil && (before.UnitID == nil || *before.UnitID != *d.UnitID)
		if err := s.checkUserUnit(ctx, tx, f, sc, d.UnitID, changed); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		after, err = s.updateUser(ctx, tx, a, before, `full_name = ?, full_name_search = ?, unit_id = ?, email = ?`,
			u.FullName, Normalize(u.FullName), u.UnitID, u.Email)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "user.update", "user", id, "", recordOf(before), recordOf(after))
	})
	return written(after, err)
}

// checkUserUnit adds to f what is wrong with the unit an account is given: it must exist,
// belong to an agency of sc (no unit is allowed only with sc.Users.All) and, when inService, be in
// service today. Only a database failure is returned.
func (s *Store) checkUserUnit(ctx context.Context, tx *sqlx.Tx, f phoihop.FieldErrors, sc AccountScope, unitID *int64, inService bool) error {
	if unitID == nil {
		if !sc.Users.All {
			f.Add("unit", "Choose a unit of an agency whose accounts you manage.")
		}
		return nil
	}
	unit, err := s.unitWhere(ctx, tx, "id = ?", *unitID)
	switch {
	case phoihop.ErrorCode(err) == phoihop.ENotFound:
		f.Add("unit", "The unit does not exist.")
	case err != nil:
		return err
	case !sc.Reaches(unit.Agency):
		f.Add("unit", "Choose a unit of an agency whose accounts you manage.")
	case inService && !unit.ActiveOn(phoihop.DateOf(s.now())):
		f.Add("unit", "The unit is not in service.")
	}
	return nil
}

// updateUser applies set (an SQL SET list with its args) to the account read as before,
// raising its version (updateVersioned), and returns the account as it is now. A concurrent
// change is the stale EConflict.
func (s *Store) updateUser(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, before *phoihop.User, set string, args ...any) (*phoihop.User, error) {
	if _, err := s.updateVersioned(ctx, tx, a, userRows, before.ID, before.Audit, s.now(), set, args...); err != nil {
		return nil, err
	}
	return s.userWhere(ctx, tx, "id = ?", before.ID)
}

// DisableUser disables an account and ends all its sessions, in one transaction. version is
// the version the caller last read; a stale one is EConflict and changes nothing. An admin
// cannot disable their own account, nor the last active administrator over all agencies
// (both EInvalid on "status"); an unknown id, or an account sc does not reach, is ENotFound;
// an account holding a role outside sc.Users is EForbidden.
func (s *Store) DisableUser(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, version int) (*phoihop.User, error) {
	if a.UserID != nil && *a.UserID == id {
		return nil, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"status": "You cannot disable your own account."}}
	}
	var after *phoihop.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.lockAdminGrants(ctx, tx); err != nil {
			return err
		}
		before, err := s.accountAtVersion(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		if last, err := s.isLastAdmin(ctx, tx, before); err != nil {
			return err
		} else if last {
			return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
				Fields: map[string]string{"status": "This is the last active administrator of all agencies; the system would have no administrator. Give another account the admin role for all agencies first."}}
		}
		after, err = s.updateUser(ctx, tx, a, before, `status = ?`, phoihop.UserDisabled)
		if err != nil {
			return err
		}
		if err := s.deleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "user.disable", "user", id, "", accountOf(before), accountOf(after))
	})
	return written(after, err)
}

// EnableUser makes an account active again with a clean failed-login count and no lock, for
// everyone or for any address. version is the version the caller last read; a stale one is
// EConflict and changes nothing; an unknown id, or an account sc does not reach, is ENotFound;
// an account holding a role outside sc.Users is EForbidden.
func (s *Store) EnableUser(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, version int) (*phoihop.User, error) {
	var after *phoihop.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.accountAtVersion(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		after, err = s.updateUser(ctx, tx, a, before, `status = ?, failed_logins = 0, locked_until = NULL`, phoihop.UserActive)
		if err != nil {
			return err
		}
		return s.liftLoginLocks(ctx, tx, a, "user.enable", before, after)
	})
	return written(after, err)
}

// UnlockUser clears an account's failed-login counts and lifts its locks, for everyone and for
// single addresses; a locked account becomes active again, a disabled one stays disabled. It
// bumps the version; an unknown id, or an account sc does not reach, is ENotFound; an account
// holding a role outside sc.Users is EForbidden. The audit entry's before holds the number of
// addresses the account was locked for.
func (s *Store) UnlockUser(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64) (*phoihop.User, error) {
	var after *phoihop.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.managedAccount(ctx, tx, sc, id, changeOfAccount)
		if err != nil {
			return err
		}
		after, err = s.updateUser(ctx, tx, a, before, `failed_logins = 0, locked_until = NULL,
			status = CASE WHEN status = 'locked' THEN 'active' ELSE status END`)
		if err != nil {
			return err
		}
		return s.liftLoginLocks(ctx, tx, a, "user.unlock", before, after)
	})
	return written(after, err)
}

// ResetPassword gives an account a new password hash (argon2id, made by the caller), clears
// its failed-login counts and lifts its locks, for everyone and for single addresses (a locked
// account becomes active, a disabled one stays disabled), and ends all its sessions, in one
// transaction. mustChange is true for a one-time password, which must be changed at the next
// sign-in. It bumps the version; an unknown id, or an account sc does not reach, is ENotFound;
// an account holding a role outside sc.Users is EForbidden. The audit entry never holds the
// hash.
func (s *Store) ResetPassword(ctx context.Context, a phoihop.Actor, sc AccountScope, id int64, passwordHash string, mustChange bool) (*phoihop.User, error) {
	if !strings.HasPrefix(passwordHash, "$argon2id$") {
		return nil, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"password": "The new password could not be stored."}}
	}
	var after *phoihop.User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.managedAccount(ctx, tx, sc, id, changeOfAccount)
		if err != nil {
			return err
		}
		after, err = s.updateUser(ctx, tx, a, before, `password_hash = ?, must_change_password = ?,
			password_changed_at = ?, failed_logins = 0, locked_until = NULL,
			status = CASE WHEN status = 'locked' THEN 'active' ELSE status END`, passwordHash, mustChange, s.now())
		if err != nil {
			return err
		}
		if err := s.deleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		return s.liftLoginLocks(ctx, tx, a, "user.reset_password", before, after)
	})
	return written(after, err)
}

// liftLoginLocks lifts the account's locks for single addresses and forgets its counted
// failures (clearLoginLocks), then writes the audit entry of the change of the account from
// before to after, before holding the number of addresses the account was locked for.
func (s *Store) liftLoginLocks(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, action string, before, after *phoihop.User) error {
	rec := accountOf(before)
	var err error
	if rec.LockedAddresses, err = s.clearLoginLocks(ctx, tx, before.ID); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, action, "user", before.ID, "", rec, accountOf(after))
}

func (s *Store) deleteUserSessions(ctx context.Context, tx *sqlx.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM sessions WHERE user_id = ?`), userID); err != nil {
		return fmt.Errorf("store: end sessions: %w", err)
	}
	return nil
}

// RemoveRole takes the role in the domain (an agency code in any case, or "*") away from the
// user, with its audit entry. A role the user does not hold, an unknown user, or one sc does
// not reach, is ENotFound. Taking a role from oneself, in a domain outside sc.Roles, or from an
// account holding a role outside sc.Roles, is EForbidden. Removing the admin role over all
// agencies from the last active account holding it is EInvalid on "role": the system would
// have no administrator.
func (s *Store) RemoveRole(ctx context.Context, a phoihop.Actor, sc AccountScope, userID int64, role, domain string) error {
	role, domain = strings.TrimSpace(role), strings.ToUpper(strings.TrimSpace(domain))
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		isAdminAll := role == "admin" && domain == phoihop.DomainAll
		if isAdminAll {
			if err := s.lockAdminGrants(ctx, tx); err != nil {
				return err
			}
		}
		u, err := s.roleChangeAccount(ctx, tx, a, sc, userID, domain)
		if err != nil {
			return err
		}
		if isAdminAll {
			if last, err := s.isLastAdmin(ctx, tx, u); err != nil {
				return err
			} else if last {
				return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
					Fields: map[string]string{"role": "This is the last active administrator of all agencies; the system would have no administrator. Give another account the admin role for all agencies first."}}
			}
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM casbin_rule
			WHERE p_type = 'g' AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = '' AND v4 = '' AND v5 = ''`),
			RoleSubject(u.Username), role, domain)
		if err != nil {
			return fmt.Errorf("store: remove role: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return phoihop.Errorf(phoihop.ENotFound, "The user does not hold this role in this domain.")
		}
		return s.audit(ctx, tx, a, "role.remove", "user", userID, domain, map[string]string{"role": role, "domain": domain}, nil)
	})
}

// Refusals of administration that would climb (see AccountScope), all EForbidden.
var (
	ErrAccountBeyondUsers = phoihop.Errorf(phoihop.EForbidden,
		"This account holds roles outside the agencies whose accounts you manage; only an administrator who manages all of them may change it.")
	ErrAccountBeyondRoles = phoihop.Errorf(phoihop.EForbidden,
		"This account holds roles outside the agencies where you manage roles; only an administrator who manages all of them may change its roles.")
	ErrRoleDomain = phoihop.Errorf(phoihop.EForbidden, "You may not manage roles in this domain.")
	ErrOwnRoles   = phoihop.Errorf(phoihop.EForbidden, "You cannot change your own roles or permissions; another administrator must do it.")
)

// roleChangeAccount is managedAccount for a change of the account's roles in the domain,
// refused (EForbidden) when it would change a's own roles or a role in a domain outside
// sc.Roles.
func (s *Store) roleChangeAccount(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc AccountScope, userID int64, domain string) (*phoihop.User, error) {
	u, err := s.managedAccount(ctx, tx, sc, userID, changeOfRoles)
	switch {
	case err != nil:
		return nil, err
	case a.UserID != nil && *a.UserID == userID:
		return nil, ErrOwnRoles
	case !sc.Roles.Covers(domain):
		return nil, ErrRoleDomain
	}
	return u, nil
}

// What a change of an account is about, for managedAccount.
const (
	changeOfAccount = false // sc.Users must hold every role of the account
	changeOfRoles   = true  // sc.Roles must hold every role of the account
)

// managedAccount reads, for a change, the account with the id that sc reaches (else
// ENotFound) and holds its row until the transaction ends, so that a role another manager
// gives it meanwhile is either seen here or given after this change. It is EForbidden unless
// every role the account holds lies within sc.Users (changeOfAccount) or sc.Roles
// (changeOfRoles).
func (s *Store) managedAccount(ctx context.Context, tx *sqlx.Tx, sc AccountScope, id int64, roles bool) (*phoihop.User, error) {
	d, beyond := sc.Users, ErrAccountBeyondUsers
	if roles {
		d, beyond = sc.Roles, ErrAccountBeyondRoles
	}
	in, args := sc.cond("unit_id")
	u, err := s.userWhere(ctx, tx, "id = ? AND "+in+s.forUpdate(), append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	var domains []string
	err = tx.SelectContext(ctx, &domains, tx.Rebind(`SELECT DISTINCT v2 FROM casbin_rule WHERE p_type = 'g' AND v0 = ?`),
		RoleSubject(u.Username))
	if err != nil {
		return nil, fmt.Errorf("store: account roles: %w", err)
	}
	for _, dom := range domains {
		if !d.Covers(dom) {
			return nil, beyond
		}
	}
	return u, nil
}

// accountAtVersion is managedAccount (for a change of the account, not of its roles) for a
// change made on version, the version the caller last read: the stale EConflict when the
// account has changed since.
func (s *Store) accountAtVersion(ctx context.Context, tx *sqlx.Tx, sc AccountScope, id int64, version int) (*phoihop.User, error) {
	u, err := s.managedAccount(ctx, tx, sc, id, changeOfAccount)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(userRows.entity, u.Version, version); err != nil {
		return nil, err
	}
	return u, nil
}

// CountAdmins returns the number of active accounts holding the admin role over all agencies.
func (s *Store) CountAdmins(ctx context.Context) (int, error) {
	return s.countAdmins(ctx, s.db, 0)
}

// countAdmins counts the active accounts other than except (0: none) holding admin in "*".
func (s *Store) countAdmins(ctx context.Context, q sqlx.QueryerContext, except int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, s.db.Rebind(`SELECT count(*) FROM casbin_rule g
		JOIN users u ON lower(u.username) = g.v0
		WHERE g.p_type = 'g' AND g.v1 = 'admin' AND g.v2 = ? AND u.status = ? AND u.id <> ?`),
		phoihop.DomainAll, phoihop.UserActive, except)
	if err != nil {
		return 0, fmt.Errorf("store: count admins: %w", err)
	}
	return n, nil
}

// isLastAdmin reports whether u is an active account holding admin in "*" and no other
// active account does.
func (s *Store) isLastAdmin(ctx context.Context, tx *sqlx.Tx, u *phoihop.User) (bool, error) {
	if u.Status != phoihop.UserActive {
		return false, nil
	}
	var holds int
	err := tx.GetContext(ctx, &holds, tx.Rebind(`SELECT count(*) FROM casbin_rule
		WHERE p_type = 'g' AND v0 = ? AND v1 = 'admin' AND v2 = ?`), RoleSubject(u.Username), phoihop.DomainAll)
	if err != nil {
		return false, fmt.Errorf("store: count admins: %w", err)
	}
	if holds == 0 {
		return false, nil
	}
	others, err := s.countAdmins(ctx, tx, u.ID)
	return others == 0, err
}

// lockAdminGrants row-locks the admin-over-all-agencies grants until the transaction ends, so
// two administrators removing each other at the same moment cannot both pass the last-admin
// check on PostgreSQL. The UPDATE changes nothing; SQLite transactions already take the write
// lock at BEGIN.
func (s *Store) lockAdminGrants(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE casbin_rule SET v5 = v5
		WHERE p_type = 'g' AND v1 = 'admin' AND v2 = ?`), phoihop.DomainAll)
	if err != nil {
		return fmt.Errorf("store: lock admin grants: %w", err)
	}
	return nil
}

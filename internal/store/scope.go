package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// Scope is what a caller may reach among the records: the agencies whose records it may read
// and those whose records it may write (from authz.Enforcer.Domains for record/read and
// record/write). Queries filter by it in SQL; a record outside it is ENotFound, never
// Forbidden, so its existence does not leak.
type Scope struct {
	Read  []string
	Write []string
	// Removed lets the caller see removed records too (and why they were removed).
	Removed bool
}

// CanRead reports whether the scope reads records of the agency.
func (sc Scope) CanRead(agency string) bool { return slices.Contains(sc.Read, agency) }

// CanWrite reports whether the scope writes records of the agency.
func (sc Scope) CanWrite(agency string) bool { return slices.Contains(sc.Write, agency) }

// inList returns "col IN (?, ?, …)" and its arguments; an empty list matches nothing.
func inList(col string, values []string) (string, []any) {
	if len(values) == 0 {
		return "1 = 0", nil
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return col + " IN (" + placeholders(len(values)) + ")", args
}

// placeholders returns n bind variables separated by commas: "?, ?, ?".
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// caseReadable is the SQL condition that the case aliased alias is readable in sc: one of the
// agencies taking part in it is in sc.Read, and it is not removed unless sc.Removed. Records
// inside a case (arrests, seizures) are read through it.
func caseReadable(alias string, sc Scope) (string, []any) {
	in, args := inList("cr.agency", sc.Read)
	return "EXISTS (SELECT 1 FROM case_agencies cr WHERE cr.case_id = " + alias + ".id AND " + in + ")" +
		notRemoved(sc, alias), args
}

// notRemoved is the condition leaving out the removed rows of alias unless sc.Removed.
func notRemoved(sc Scope, alias string) string {
	if sc.Removed {
		return ""
	}
	return " AND " + alias + ".deleted_at IS NULL"
}

// today is the store clock's calendar day in Vietnam, the bound of event dates.
func (s *Store) today() phoihop.Date { return phoihop.Today(s.now()) }

// getOne reads the one row query selects (with args) into dest: ENotFound, naming what, when
// it selects none.
func (s *Store) getOne(ctx context.Context, q sqlx.QueryerContext, dest any, what, query string, args ...any) error {
	err := sqlx.GetContext(ctx, q, dest, s.db.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// notFound is the answer for a record that does not exist or lies outside the caller's scope.
func notFound(what string) error {
	return phoihop.Errorf(phoihop.ENotFound, "The %s was not found.", what)
}

// Domains is where a manager holds a permission: in "*" (All: every agency, and what belongs
// to no agency) or in the listed agencies. The zero Domains covers nothing.
type Domains struct {
	All      bool
	Agencies []string
}

// Covers reports whether d includes the domain: an agency code, or "*" and "" (what belongs to
// no agency) only with All.
func (d Domains) Covers(domain string) bool {
	return d.All || (domain != "" && domain != phoihop.DomainAll && slices.Contains(d.Agencies, domain))
}

// AccountScope is what an account manager may reach and change among the accounts. Users is
// where the manager holds user:manage (authz.Enforcer.Domains, or All when held in "*"): it
// reaches the accounts whose unit belongs to one of those agencies, or every account, those
// without a unit included, with All. Queries filter by it in SQL: an account outside it is
// ENotFound, never Forbidden, so its existence does not leak, and an account cannot be given a
// unit outside it (EInvalid on "unit"). Roles is where the manager holds role:manage.
//
// Administration cannot climb: an account reached is changed (edited, disabled, enabled,
// unlocked, given a password) only when every role it holds lies within Users, and given or
// relieved of a role only when every role it holds and the role itself lie within Roles;
// otherwise EForbidden. So an account holding a role in "*" is changed only by a manager of "*".
// Nobody gives or takes their own roles. The zero AccountScope reaches none.
type AccountScope struct {
	Users Domains
	Roles Domains
}

// AllAccounts is the scope of the system itself (the command line, the first start, the demo
// loader): every account, every role.
func AllAccounts() AccountScope {
	return AccountScope{Users: Domains{All: true}, Roles: Domains{All: true}}
}

// Reaches reports whether the scope reaches the accounts of the agency's units; "" (accounts
// without a unit) is reached only with Users.All.
func (sc AccountScope) Reaches(agency string) bool { return sc.Users.Covers(agency) }

// cond returns the SQL condition selecting the accounts of the scope, given the column holding
// their unit id, and its arguments.
func (sc AccountScope) cond(unitCol string) (string, []any) {
	if sc.Users.All {
		return "1 = 1", nil
	}
	in, args := inList("agency", sc.Users.Agencies)
	return unitCol + " IN (SELECT id FROM units WHERE " + in + ")", args
}

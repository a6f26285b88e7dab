package store

import (
	"slices"

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
	q := col + " IN ("
	args := make([]any, len(values))
	for i, v := range values {
		if i > 0 {
			q += ", "
		}
		q += "?"
		args[i] = v
	}
	return q + ")", args
}

// today is the store clock's calendar day in Vietnam, the bound of event dates.
func (s *Store) today() phoihop.Date { return phoihop.Today(s.now()) }

// notFound is the answer for a record that does not exist or lies outside the caller's scope.
func notFound(what string) error {
	return phoihop.Errorf(phoihop.ENotFound, "The %s was not found.", what)
}

// AccountScope is what an account manager may reach among the accounts: those whose unit
// belongs to one of Agencies (from authz.Enforcer.Domains for user/manage) or, with All
// (user/manage held in "*", or the system itself: the command line, the first start), every
// account, those without a unit included. The zero AccountScope reaches none. Queries filter
// by it in SQL: an account outside it is ENotFound, never Forbidden, so its existence does not
// leak, and an account cannot be given a unit outside it (EInvalid on "unit").
type AccountScope struct {
	All      bool
	Agencies []string
}

// Reaches reports whether the scope reaches the accounts of the agency's units; "" (accounts
// without a unit) is reached only with All.
func (sc AccountScope) Reaches(agency string) bool {
	return sc.All || (agency != "" && slices.Contains(sc.Agencies, agency))
}

// cond returns the SQL condition selecting the accounts of the scope, given the column holding
// their unit id, and its arguments.
func (sc AccountScope) cond(unitCol string) (string, []any) {
	if sc.All {
		return "1 = 1", nil
	}
	in, args := inList("agency", sc.Agencies)
	return unitCol + " IN (SELECT id FROM units WHERE " + in + ")", args
}

package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// AuditReader is who reads the audit log, for HideAuditContents: the records they may read now
// (the pages' Scope, removed records only with Records.Removed), the accounts they manage, and
// whether they may read the role/permission matrix.
type AuditReader struct {
	Records     Scope
	Accounts    AccountScope
	Permissions bool
}

// auditOpenEntities are the entities whose audit contents every reader of the log may see:
// units (shown to every signed-in user), refused routes, report downloads (their filters),
// period locks (shown to every reader of reports: an agency, a period, a reason) and the
// system's own entries without an entity.
var auditOpenEntities = map[string]bool{"unit": true, "route": true, "report": true, "lock": true, "": true}

// auditRecords select, among the ids of one entity, those a Scope reads now: the same
// conditions as the pages (removed records only with sc.Removed). Each query selects alias.id.
var auditRecords = map[string]struct {
	alias string
	query func(sc Scope) (string, []any)
}{
	"case": {"c", func(sc Scope) (string, []any) {
		cond, args := caseReadable("c", sc)
		return `SELECT c.id FROM cases c WHERE ` + cond, args
	}},
	"suspect": {"p", func(sc Scope) (string, []any) {
		cond, args := caseReadable("c", sc)
		return `SELECT p.id FROM suspects p JOIN cases c ON c.id = p.case_id WHERE ` + cond + notRemoved(sc, "p"), args
	}},
	"seizure": {"z", func(sc Scope) (string, []any) {
		cond, args := caseReadable("c", sc)
		return `SELECT z.id FROM seizures z JOIN cases c ON c.id = z.case_id WHERE ` + cond + notRemoved(sc, "z"), args
	}},
	"exchange": {"e", func(sc Scope) (string, []any) {
		cond, args := exchangeReadable("e", sc)
		return `SELECT e.id FROM exchanges e WHERE ` + cond + notRemoved(sc, "e"), args
	}},
	"tip": {"t", func(sc Scope) (string, []any) {
		cond, args := inList("t.agency", sc.Read)
		return `SELECT t.id FROM tips t WHERE ` + cond + notRemoved(sc, "t"), args
	}},
	"agreement": {"g", func(sc Scope) (string, []any) {
		cond, args := agreementReadable(sc)
		return `SELECT g.id FROM agreements g WHERE ` + cond, args
	}},
}

// HideAuditContents clears the before/after of the entries whose record r may not read now
// and marks them ContentsHidden, so that the audit log never shows more than the pages would:
// a suspect's name, an account's details. Records are checked with one query per entity in
// the entries. An entry about an account is shown to the managers who reach the account, and
// one naming no account (a sign-in with an unknown username) to managers of every account; an
// entity this function does not know is hidden.
func (s *Store) HideAuditContents(ctx context.Context, r AuditReader, entries []phoihop.AuditEntry) error {
	ids := map[string][]int64{}
	for _, e := range entries {
		if id, err := strconv.ParseInt(e.EntityID, 10, 64); err == nil && len(e.Changes) > 0 {
			ids[e.Entity] = append(ids[e.Entity], id)
		}
	}
	readable := map[string]map[int64]bool{}
	for entity, list := range ids {
		var q, alias string
		var args []any
		if rec, ok := auditRecords[entity]; ok {
			alias = rec.alias
			q, args = rec.query(r.Records)
		} else if entity == "user" {
			cond, cArgs := r.Accounts.cond("u.unit_id")
			alias, q, args = "u", `SELECT u.id FROM users u WHERE `+cond, cArgs
		} else {
			continue
		}
		in, inArgs, err := sqlx.In(` AND `+alias+`.id IN (?)`, list)
		if err != nil {
			return fmt.Errorf("store: audit contents: %w", err)
		}
		var found []int64
		if err := s.db.SelectContext(ctx, &found, s.db.Rebind(q+in), append(args, inArgs...)...); err != nil {
			return fmt.Errorf("store: audit contents: %w", err)
		}
		readable[entity] = map[int64]bool{}
		for _, id := range found {
			readable[entity][id] = true
		}
	}
	for i := range entries {
		e := &entries[i]
		if len(e.Changes) == 0 || r.mayRead(e, readable) {
			continue
		}
		e.Changes, e.ContentsHidden = nil, true
	}
	return nil
}

// mayRead reports whether r may see the contents of the entry, given the readable ids.
func (r AuditReader) mayRead(e *phoihop.AuditEntry, readable map[string]map[int64]bool) bool {
	switch {
	case auditOpenEntities[e.Entity]:
		return true
	case e.Entity == "permission":
		return r.Permissions
	case e.EntityID == "":
		return e.Entity == "user" && r.Accounts.Users.All
	}
	id, err := strconv.ParseInt(e.EntityID, 10, 64)
	return err == nil && readable[e.Entity][id]
}

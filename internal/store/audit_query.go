package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const auditColumns = `id, at, user_id, username, action, entity, entity_id, domain, changes, ip, request_id`

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Username string         // who acted, exactly, ignoring case
	Action   string         // an action ("user.disable"), or a prefix ending in "." ("user.")
	Entity   string         // the kind of entity acted on ("user", "unit"…)
	From, To phoihop.Date   // calendar days (in Zone) of the first and the last entry, both inclusive
	Domain   string         // the domain of the entry (an agency code or "*")
	Domains  []string       // only entries whose domain is one of these (agency codes or "*"); nil or empty: any
	Zone     *time.Location // the time zone of the days From and To; nil: UTC
	Limit    int            // page size: 50 when 0, at most 500
	Offset   int            // entries skipped before the page
}

// QueryAudit returns one page of the audit entries matching f, newest first, and the number
// of matching entries. A To before From is EInvalid on "to".
//
// Each filter keeps an index of audit_log usable: the user is matched by user_id (the entries
// of accounts) or, for entries written without one (system actors, sign-in attempts), by name;
// an action prefix becomes the list of the actions it matches; days become a range on at.
func (s *Store) QueryAudit(ctx context.Context, f AuditFilter) ([]phoihop.AuditEntry, int, error) {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, 0, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"to": "The last day is before the first day."}}
	}
	q := auditQuery{}
	q.user(f.Username)
	if matches, err := s.auditAction(ctx, &q, f.Action); err != nil || !matches {
		return nil, 0, err
	}
	q.equal("entity", strings.TrimSpace(f.Entity))
	q.equal("domain", strings.ToUpper(strings.TrimSpace(f.Domain)))
	if len(f.Domains) > 0 {
		domains := make([]string, len(f.Domains))
		for i, d := range f.Domains {
			domains[i] = strings.ToUpper(strings.TrimSpace(d))
		}
		if err := q.in("domain", domains); err != nil {
			return nil, 0, err
		}
	}
	q.days(f.From, f.To, f.Zone)
	from := ` FROM audit_log`
	if len(q.where) > 0 {
		from += " WHERE " + strings.Join(q.where, " AND ")
	}
	return listPage[phoihop.AuditEntry](ctx, s, "audit query", `SELECT count(*)`+from, q.args,
		`SELECT `+auditColumns+from+` ORDER BY at DESC, id DESC`, q.args, f.Limit, f.Offset)
}

// auditQuery gathers the conditions on audit_log of a QueryAudit and their arguments.
type auditQuery struct {
	where []string
	args  []any
}

// user keeps the entries of the account with the username, ignoring case, or, for entries
// written without an account, of that name; "" keeps every entry.
func (q *auditQuery) user(username string) {
	if name := strings.ToLower(strings.TrimSpace(username)); name != "" {
		q.where = append(q.where, `(user_id = (SELECT id FROM users WHERE lower(username) = ?)
			OR (user_id IS NULL AND lower(username) = ?))`)
		q.args = append(q.args, name, name)
	}
}

// equal keeps the entries whose col is value; "" keeps every entry.
func (q *auditQuery) equal(col, value string) {
	if value != "" {
		q.where = append(q.where, col+" = ?")
		q.args = append(q.args, value)
	}
}

// in keeps the entries whose col is one of values.
func (q *auditQuery) in(col string, values []string) error {
	in, args, err := sqlx.In(col+` IN (?)`, values)
	if err != nil {
		return fmt.Errorf("store: audit query: %w", err)
	}
	q.where = append(q.where, in)
	q.args = append(q.args, args...)
	return nil
}

// days keeps the entries written from the first day to the last (either may be zero), both
// inclusive, as calendar days in zone (nil: UTC).
func (q *auditQuery) days(first, last phoihop.Date, zone *time.Location) {
	if zone == nil {
		zone = time.UTC
	}
	// Midnight of the day in the zone, as UTC: SQLite compares the stored UTC text.
	midnight := func(d phoihop.Date) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, zone).UTC()
	}
	if !first.IsZero() {
		q.where = append(q.where, "at >= ?")
		q.args = append(q.args, midnight(first))
	}
	if !last.IsZero() {
		q.where = append(q.where, "at < ?")
		q.args = append(q.args, midnight(last.AddDays(1)))
	}
}

// auditAction keeps in q the entries of the action, or of every action starting with it when
// it ends in "."; "" keeps every entry. It reports false when a prefix matches no action of
// the log, so that no entry can match.
func (s *Store) auditAction(ctx context.Context, q *auditQuery, action string) (bool, error) {
	action = strings.TrimSpace(action)
	if !strings.HasSuffix(action, ".") {
		q.equal("action", action)
		return true, nil
	}
	actions, err := s.auditActionsWithPrefix(ctx, action)
	if err != nil || len(actions) == 0 {
		return false, err
	}
	return true, q.in("action", actions)
}

// AuditActions returns the distinct actions of the audit log, sorted, for the filter's list.
// It hops through the (action, at) index one action at a time instead of reading every entry.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var actions []string
	err := s.db.SelectContext(ctx, &actions, `WITH RECURSIVE a (action) AS (
			SELECT min(action) FROM audit_log
			UNION ALL
			SELECT (SELECT min(action) FROM audit_log WHERE audit_log.action > a.action) FROM a
			WHERE a.action IS NOT NULL
		)
		SELECT action FROM a WHERE action IS NOT NULL ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("store: audit actions: %w", err)
	}
	return actions, nil
}

// auditActionsWithPrefix returns the distinct actions of the audit log starting with prefix.
func (s *Store) auditActionsWithPrefix(ctx context.Context, prefix string) ([]string, error) {
	all, err := s.AuditActions(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range all {
		if strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	return out, nil
}

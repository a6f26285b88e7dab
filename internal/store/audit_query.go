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
	var where []string
	var args []any
	if name := strings.ToLower(strings.TrimSpace(f.Username)); name != "" {
		where = append(where, `(user_id = (SELECT id FROM users WHERE lower(username) = ?)
			OR (user_id IS NULL AND lower(username) = ?))`)
		args = append(args, name, name)
	}
	if action := strings.TrimSpace(f.Action); strings.HasSuffix(action, ".") {
		actions, err := s.auditActionsWithPrefix(ctx, action)
		if err != nil {
			return nil, 0, err
		}
		if len(actions) == 0 {
			return nil, 0, nil
		}
		in, inArgs, err := sqlx.In(`action IN (?)`, actions)
		if err != nil {
			return nil, 0, fmt.Errorf("store: audit query: %w", err)
		}
		where = append(where, in)
		args = append(args, inArgs...)
	} else if action != "" {
		where = append(where, "action = ?")
		args = append(args, action)
	}
	if entity := strings.TrimSpace(f.Entity); entity != "" {
		where = append(where, "entity = ?")
		args = append(args, entity)
	}
	if domain := strings.TrimSpace(f.Domain); domain != "" {
		where = append(where, "domain = ?")
		args = append(args, strings.ToUpper(domain))
	}
	if len(f.Domains) > 0 {
		domains := make([]string, len(f.Domains))
		for i, d := range f.Domains {
			domains[i] = strings.ToUpper(strings.TrimSpace(d))
		}
		in, inArgs, err := sqlx.In(`domain IN (?)`, domains)
		if err != nil {
			return nil, 0, fmt.Errorf("store: audit query: %w", err)
		}
		where = append(where, in)
		args = append(args, inArgs...)
	}
	zone := f.Zone
	if zone == nil {
		zone = time.UTC
	}
	// Midnight of the day in the zone, as UTC: SQLite compares the stored UTC text.
	midnight := func(d phoihop.Date) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, zone).UTC()
	}
	if !f.From.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, midnight(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "at < ?")
		args = append(args, midnight(f.To.AddDays(1)))
	}
	from := ` FROM audit_log`
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT count(*)`+from), args...); err != nil {
		return nil, 0, fmt.Errorf("store: audit query: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	var rows []phoihop.AuditEntry
	err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT `+auditColumns+from+
		` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit query: %w", err)
	}
	return rows, total, nil
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

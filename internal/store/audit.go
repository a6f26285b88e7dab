package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// change is the before/after pair recorded with an audited write; either side may be nil.
type change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// audit appends one row to the audit log inside tx, so the entry commits or rolls back with
// the write it records.
func (s *Store) audit(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, action, entity string, id int64, domain string, before, after any) error {
	var changes any
	if before != nil || after != nil {
		b, err := json.Marshal(change{Before: before, After: after})
		if err != nil {
			return fmt.Errorf("store: audit %s: %w", action, err)
		}
		changes = string(b)
	}
	entityID := ""
	if id != 0 {
		entityID = strconv.FormatInt(id, 10)
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO audit_log
		(at, user_id, username, action, entity, entity_id, domain, changes, ip, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		s.now(), a.UserID, a.Username, action, entity, entityID, domain, changes, a.IP, a.RequestID)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	return nil
}

// AuditLog returns the newest audit entries first, at most limit of them.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]phoihop.AuditEntry, error) {
	var rows []phoihop.AuditEntry
	err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT id, at, user_id, username, action, entity,
		entity_id, domain, changes, ip, request_id FROM audit_log ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	return rows, nil
}

// Audit records an event that changes no row of its own (a refused authorization, a report
// download) in the audit log.
func (s *Store) Audit(ctx context.Context, a phoihop.Actor, action, entity string, id int64, domain string, details any) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return s.audit(ctx, tx, a, action, entity, id, domain, nil, details)
	})
}

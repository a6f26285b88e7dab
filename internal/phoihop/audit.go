package phoihop

import (
	"encoding/json"
	"fmt"
	"time"
)

// Actor is who performs a write: a signed-in user (UserID set) or the system (the command
// line, start-up). Every audited write carries one.
type Actor struct {
	UserID    *int64
	Username  string
	IP        string
	RequestID string
}

// SystemActor is the actor of writes made by the program itself or its command line.
func SystemActor(what string) Actor { return Actor{Username: "system:" + what} }

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID        int64     `db:"id" json:"id"`
	At        time.Time `db:"at" json:"at"`
	UserID    *int64    `db:"user_id" json:"user_id,omitempty"`
	Username  string    `db:"username" json:"username"`
	Action    string    `db:"action" json:"action"`
	Entity    string    `db:"entity" json:"entity"`
	EntityID  string    `db:"entity_id" json:"entity_id"`
	Domain    string    `db:"domain" json:"domain"`
	Changes   JSONText  `db:"changes" json:"changes,omitempty"`
	IP        string    `db:"ip" json:"ip"`
	RequestID string    `db:"request_id" json:"request_id"`
	// ContentsHidden says Changes was cleared because the reader may not read the record now.
	ContentsHidden bool `db:"-" json:"contents_hidden,omitempty"`
}

// JSONText is a JSON document stored in a column: JSONB on PostgreSQL, TEXT on SQLite.
type JSONText json.RawMessage

// Scan implements sql.Scanner for both engines' representations; NULL scans as nil.
func (j *JSONText) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*j = nil
	case string:
		*j = JSONText(v)
	case []byte:
		*j = append(JSONText(nil), v...)
	default:
		return fmt.Errorf("phoihop: cannot scan %T into JSONText", src)
	}
	return nil
}

// MarshalJSON returns the document itself, or null when there is none.
func (j JSONText) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return []byte(j), nil
}

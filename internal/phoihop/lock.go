package phoihop

import (
	"fmt"
	"strings"
	"time"
)

// PeriodLock is an approved period of an agency (DESIGN.md "approve and lock a period"): its
// leader approved the agency's figures from From to To (inclusive days), and while the lock is
// active no record of the agency dated in the period is created, changed or removed. A leader
// of all agencies unlocks it with a reason (RemovedAt, RemovedBy, RemoveReason); relocking is a
// new lock.
type PeriodLock struct {
	ID        int64     `db:"id" json:"id"`
	Agency    string    `db:"agency" json:"agency"`
	From      Date      `db:"from_on" json:"from"`
	To        Date      `db:"to_on" json:"to"`
	CreatedAt time.Time `db:"created_at" json:"approved_at"`
	CreatedBy *int64    `db:"created_by" json:"-"`
	// ApprovedBy is the username of the leader who approved (created) the lock; "" for the system.
	ApprovedBy   string     `db:"approved_by" json:"approved_by"`
	RemovedAt    *time.Time `db:"removed_at" json:"unlocked_at,omitempty"`
	RemovedBy    *int64     `db:"removed_by" json:"-"`
	UnlockedBy   string     `db:"unlocked_by" json:"unlocked_by,omitempty"`
	RemoveReason *string    `db:"remove_reason" json:"unlock_reason,omitempty"`
}

// Active reports whether the lock still holds (it was not unlocked).
func (l *PeriodLock) Active() bool { return l.RemovedAt == nil }

// Covers reports whether the day falls in the lock's period.
func (l *PeriodLock) Covers(d Date) bool { return !d.Before(l.From) && !d.After(l.To) }

// Normalize trims the agency code and upper-cases it.
func (l *PeriodLock) Normalize() { l.Agency = strings.ToUpper(strings.TrimSpace(l.Agency)) }

// Validate checks a new lock: an agency code, both days, the last not before the first; errors
// are EInvalid naming "agency", "from" and "to". Whether the agency exists is the store's check.
func (l *PeriodLock) Validate() error {
	f := FieldErrors{}
	if !IsAgencyCode(l.Agency) {
		f.Add("agency", "Choose one of the agencies in the list.")
	}
	if l.From.IsZero() {
		f.Add("from", "Enter the first day.")
	}
	if l.To.IsZero() {
		f.Add("to", "Enter the last day.")
	}
	if !l.From.IsZero() && !l.To.IsZero() && l.To.Before(l.From) {
		f.Add("to", "The last day is before the first day.")
	}
	return f.Err()
}

// LockedMessageID is the catalog id of the message of LockedError.
const LockedMessageID = "lock.refused"

// LockedError is the ELocked error of a write refused by the lock: its message names the
// agency, the period (dd/mm/yyyy), who approved it and when (in Vietnam's time).
func LockedError(l *PeriodLock) *Error {
	by := l.ApprovedBy
	if by == "" {
		by = "the system"
	}
	at := l.CreatedAt.In(VietnamTime).Format("02/01/2006 15:04")
	return &Error{
		Code: ELocked,
		Message: fmt.Sprintf("The figures of %s from %s to %s were approved and locked by %s on %s (lock %d); "+
			"nothing dated in that period can be added, changed or removed until a leader of all agencies unlocks it.",
			l.Agency, l.From.FormatVN(), l.To.FormatVN(), by, at, l.ID),
		MessageID: LockedMessageID,
		// By is "" for the system: the catalogs name it in their language.
		Args: []any{"Agency", l.Agency, "From", l.From.FormatVN(), "To", l.To.FormatVN(), "By", l.ApprovedBy,
			"At", at, "ID", l.ID},
	}
}

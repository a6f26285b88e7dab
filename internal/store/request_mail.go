package store

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// RequestNotice is what a mail about a step of a request tells one account: the request as it
// is after the step, the action ("send" or one of phoihop.RequestActions), its note (the
// reason or the result) and who took it.
type RequestNotice struct {
	Request *phoihop.Request
	Action  string
	Note    string
	By      string // the username of who took the action
	To      string // the recipient: "Full Name <address>"
}

// mailRequestStep enqueues, in the step's transaction, the mails telling the other side of
// the request about the step: the accounts of the unit the request names on that side (the
// sending unit; the receiving unit, or when none is named the agency's top units), active and
// with an address, but not the one who took the step. Closing a request tells no one. Nothing
// is enqueued while mail is off or no composer (s.RequestMail) is set.
func (s *Store) mailRequestStep(ctx context.Context, tx *sqlx.Tx, r *phoihop.Request, n RequestNotice) error {
	if !s.SendsMail || s.RequestMail == nil || n.Action == "close" {
		return nil
	}
	agency, unit := r.ToAgency, r.ToUnitID
	if n.Action != "send" && n.Action != "withdraw" {
		agency, unit = r.FromAgency, &r.FromUnitID
	}
	cond, args := "n.parent_id IS NULL", []any{agency, n.By}
	if unit != nil {
		cond, args = "n.id = ?", append(args, *unit)
	}
	var to []struct {
		Name  string `db:"full_name"`
		Email string `db:"email"`
	}
	err := tx.SelectContext(ctx, &to, tx.Rebind(`SELECT u.full_name, u.email FROM users u JOIN units n ON n.id = u.unit_id
		WHERE u.status = 'active' AND u.email IS NOT NULL AND n.agency = ? AND u.username <> ? AND `+cond+`
		ORDER BY u.id`), args...)
	if err != nil {
		return fmt.Errorf("store: request mail: %w", err)
	}
	for _, u := range to {
		n.Request, n.To = r, (&mail.Address{Name: u.Name, Address: u.Email}).String()
		if _, err := s.EnqueueMailTx(ctx, tx, s.RequestMail(n)); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// What a request's move does to the records it names: accepting to join a case makes the
// agency take part in it, answering a request to verify a tip records the verification on
// the tip. Saving a case sends the requests that invite agencies to join it.

// invitationDays is how long an invited agency has to answer before the invitation is overdue.
const invitationDays = 7

// requestEffects applies to the records what the move m of r (r as it is after the move) does.
func (s *Store) requestEffects(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, r *phoihop.Request, m RequestMove) error {
	switch {
	case r.Kind == phoihop.RequestJoinCase && m.Action == "accept":
		return s.joinCase(ctx, tx, a, *r.CaseID, r.ToAgency)
	case r.Kind == phoihop.RequestVerifyTip && m.Action == "answer":
		return s.recordVerification(ctx, tx, a, r, m.TipStatus)
	}
	return nil
}

// joinCase makes the agency take part in the case and raises the case's version, so a form
// opened before cannot save the case's agencies over the new one. A case a period lock covers
// (its agencies before or after) is ELocked.
func (s *Store) joinCase(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, caseID int64, agency string) error {
	var before phoihop.Case
	err := s.getOne(ctx, tx, &before, "case", `SELECT `+caseColumns+` FROM cases WHERE id = ? AND deleted_at IS NULL`+
		s.forUpdate(), caseID)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return phoihop.Errorf(phoihop.EConflict, "The case was removed; there is nothing to join.")
	}
	if err != nil {
		return err
	}
	if err := s.setAgencies(ctx, tx, "case_agencies", "case_id", 1, func(int) (int64, *[]string) { return caseID, &before.Agencies }); err != nil {
		return err
	}
	if slices.Contains(before.Agencies, agency) {
		return nil
	}
	after := before
	after.Agencies = phoihop.NormalizeAgencies(append(slices.Clone(before.Agencies), agency))
	if err := caseKind.checkUnlocked(ctx, s, tx, &before, &after); err != nil {
		return err
	}
	if after.Audit, err = s.updateVersioned(ctx, tx, a, caseKind.versioned, caseID, before.Audit, s.now(), "code = code"); err != nil {
		return err
	}
	if err := s.addCaseAgencies(ctx, tx, caseID, []string{agency}); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "case.join", "case", caseID, agency, &before, &after)
}

// recordVerification sets the tip of a verify_tip request to the verification's result as of
// the answer's day, with the case the answer names; the tip's own rules apply, their messages
// on the answer's fields, and its period locks (ELocked).
func (s *Store) recordVerification(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, r *phoihop.Request, status string) error {
	var before phoihop.Tip
	err := s.getOne(ctx, tx, &before, "tip", `SELECT `+tipColumns+` FROM tips WHERE id = ? AND deleted_at IS NULL`+
		s.forUpdate(), *r.TipID)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return phoihop.Errorf(phoihop.EConflict, "The tip was removed; its verification cannot be recorded.")
	}
	if err != nil {
		return err
	}
	after := before
	after.Status, after.VerifiedOn = status, r.AnsweredOn
	if r.ResultCase != nil {
		after.CaseID = r.ResultCase
	}
	var invalid *phoihop.Error
	if errors.As(after.Validate(s.today()), &invalid) {
		f := phoihop.FieldErrors{}
		for field, msg := range invalid.Fields {
			f.Add(cmp.Or(verificationFields[field], "tip_status"), msg)
		}
		return f.Err()
	}
	if err := tipKind.checkUnlocked(ctx, s, tx, &before, &after); err != nil {
		return err
	}
	if after.Audit, err = s.updateVersioned(ctx, tx, a, tipKind.versioned, before.ID, before.Audit, s.now(),
		"status = ?, verified_on = ?, case_id = ?", after.Status, after.VerifiedOn, after.CaseID); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "tip.verify", "tip", before.ID, before.Agency, &before, &after)
}

// verificationFields are the fields of a request's answer that carry those of the tip.
var verificationFields = map[string]string{"status": "tip_status", "verified_on": "answered_on", "case_id": "result_case_id"}

// inviteToCase sends the agency a join_case request from the case's lead unit, due in
// invitationDays, unless one is open already.
func (s *Store) inviteToCase(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, c *phoihop.Case, agency string) error {
	today := s.today()
	r := phoihop.Request{Kind: phoihop.RequestJoinCase, FromAgency: c.LeadAgency, FromUnitID: c.LeadUnitID,
		ToAgency: agency, Subject: c.Code + " — " + c.Title, SentOn: today, DueOn: today.AddDays(invitationDays),
		Priority: "normal", CaseID: &c.ID, State: phoihop.RequestSent}
	if err := s.insertRequest(ctx, tx, a, &r); err != nil {
		return fmt.Errorf("store: invite to case: %w", err)
	}
	return nil
}

// openInvitations returns the open join_case requests of the case by the agency invited.
func (s *Store) openInvitations(ctx context.Context, q sqlx.QueryerContext, caseID int64) (map[string]*phoihop.Request, error) {
	var rs []phoihop.Request
	err := sqlx.SelectContext(ctx, q, &rs, s.db.Rebind(`SELECT `+requestColumns+` FROM requests
		WHERE case_id = ? AND kind = 'join_case' AND state IN ('sent', 'accepted') ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("store: case invitations: %w", err)
	}
	open := make(map[string]*phoihop.Request, len(rs))
	for i := range rs {
		open[rs[i].ToAgency] = &rs[i]
	}
	return open, nil
}

// planCaseAgencies splits the agencies the saver of c asked for (c.Agencies and c.Invited: a
// case read and saved back keeps its invitations) into those taking part at once (c.Agencies: the lead, those already taking part, those the scope writes) and
// those invited (c.Invited), and sets before.Invited. before is nil for a new case. It returns
// the case's open invitations by agency.
func (s *Store) planCaseAgencies(ctx context.Context, tx *sqlx.Tx, sc Scope, c, before *phoihop.Case) (map[string]*phoihop.Request, error) {
	open := map[string]*phoihop.Request{}
	if before != nil {
		var err error
		if open, err = s.openInvitations(ctx, tx, before.ID); err != nil {
			return nil, err
		}
		before.Invited = phoihop.NormalizeAgencies(slices.Collect(maps.Keys(open)))
	}
	var now, invite []string
	for _, agency := range phoihop.NormalizeAgencies(append(slices.Clone(c.Agencies), c.Invited...)) {
		taking := before != nil && slices.Contains(before.Agencies, agency)
		if taking || agency == c.LeadAgency || sc.CanWrite(agency) {
			now = append(now, agency)
		} else {
			invite = append(invite, agency)
		}
	}
	c.Agencies, c.Invited = now, invite
	return open, nil
}

// applyCaseAgencies records the agencies of c as planCaseAgencies split them: c.Agencies take
// part (before's leave when left out), c.Invited get an invitation unless one is open, and the
// open invitations of agencies left out are withdrawn.
func (s *Store) applyCaseAgencies(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, c, before *phoihop.Case, open map[string]*phoihop.Request) error {
	var err error
	if before == nil {
		err = s.addCaseAgencies(ctx, tx, c.ID, c.Agencies)
	} else {
		err = s.replaceCaseAgencies(ctx, tx, before, c.Agencies)
	}
	if err != nil {
		return err
	}
	for _, agency := range slices.Sorted(maps.Keys(open)) {
		if r := open[agency]; !slices.Contains(c.Invited, agency) {
			if err := s.withdrawInvitation(ctx, tx, a, r); err != nil {
				return err
			}
		}
	}
	for _, agency := range c.Invited {
		if open[agency] == nil {
			if err := s.inviteToCase(ctx, tx, a, c, agency); err != nil {
				return err
			}
		}
	}
	return nil
}

// withdrawInvitation withdraws an open invitation whose agency the case's saver left out.
func (s *Store) withdrawInvitation(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, r *phoihop.Request) error {
	next := *r
	next.State = phoihop.RequestWithdrawn
	var err error
	if next.Audit, err = s.updateVersioned(ctx, tx, a, requestRows, r.ID, r.Audit, s.now(), "state = ?", next.State); err != nil {
		return err
	}
	if err := s.addRequestStep(ctx, tx, a, &next, "withdraw", r.FromAgency, ""); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, "request.withdraw", "request", r.ID, r.FromAgency, r, &next)
}

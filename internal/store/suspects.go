package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const suspectColumns = `id, case_id, agency, full_name, birth_year, gender, nationality, id_number, address,
	arrested_on, arresting_unit, notes, deleted_at, deleted_by, delete_reason,
	version, created_at, created_by, updated_at, updated_by`

// SuspectItem is an arrest as the case page lists it: the suspect with the arresting unit's
// code and name.
type SuspectItem struct {
	phoihop.Suspect
	UnitCode string `db:"unit_code" json:"unit_code"`
	UnitName string `db:"unit_name" json:"unit_name"`
}

// CreateSuspect validates sp and records the arrest in case sp.CaseID with its audit entry;
// it sets sp's ID, Agency (the arresting unit's), Version and timestamps. A case sc cannot read,
// or a removed one, is ENotFound. The arresting unit must exist, belong to an agency sc writes
// that takes part in the case, and be in service on the arrest date (else EInvalid on
// "arresting_unit").
func (s *Store) CreateSuspect(ctx context.Context, a phoihop.Actor, sc Scope, sp *phoihop.Suspect) error {
	sp.Normalize()
	if err := sp.Validate(s.today()); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		agency, err := s.inCaseCheckUnit(ctx, tx, sc, sp.CaseID, sp.ArrestingUnitID, sp.ArrestedOn, "arresting_unit")
		if err != nil {
			return err
		}
		now := s.now()
		sp.ID, sp.Agency, sp.Removal = 0, agency, phoihop.Removal{}
		sp.Version, sp.CreatedAt, sp.UpdatedAt, sp.CreatedBy, sp.UpdatedBy = 1, now, now, a.UserID, a.UserID
		err = tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO suspects
			(case_id, agency, full_name, full_name_search, birth_year, gender, nationality, id_number,
			 address, arrested_on, arresting_unit, notes, version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			sp.CaseID, sp.Agency, sp.FullName, Normalize(sp.FullName), sp.BirthYear, sp.Gender, sp.Nationality,
			sp.IDNumber, sp.Address, sp.ArrestedOn, sp.ArrestingUnitID, sp.Notes,
			sp.Version, sp.CreatedAt, sp.CreatedBy, sp.UpdatedAt, sp.UpdatedBy).Scan(&sp.ID)
		if err != nil {
			return fmt.Errorf("store: create suspect: %w", err)
		}
		return s.audit(ctx, tx, a, "suspect.create", "suspect", sp.ID, sp.Agency, nil, sp)
	})
}

// UpdateSuspect validates sp and saves it over the arrest sp.ID, with its audit entry; on
// success sp holds the arrest as stored (new version, its case, its agency). sp.Version is the
// version the caller read: a stale one is EConflict and changes nothing. An arrest sc cannot
// read (through its case), a removed one, or one of another case than a non-zero sp.CaseID is
// ENotFound; one of an agency sc does not write is EForbidden. The arresting unit is checked
// as in CreateSuspect.
func (s *Store) UpdateSuspect(ctx context.Context, a phoihop.Actor, sc Scope, sp *phoihop.Suspect) error {
	sp.Normalize()
	if err := sp.Validate(s.today()); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.suspectForWrite(ctx, tx, sc, sp.ID, sp.Version)
		if err != nil {
			return err
		}
		if sp.CaseID != 0 && sp.CaseID != before.CaseID {
			return notFound("suspect")
		}
		agency, err := s.inCaseCheckUnit(ctx, tx, sc, before.CaseID, sp.ArrestingUnitID, sp.ArrestedOn, "arresting_unit")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE suspects SET agency = ?, full_name = ?,
			full_name_search = ?, birth_year = ?, gender = ?, nationality = ?, id_number = ?, address = ?,
			arrested_on = ?, arresting_unit = ?, notes = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			agency, sp.FullName, Normalize(sp.FullName), sp.BirthYear, sp.Gender, sp.Nationality, sp.IDNumber,
			sp.Address, sp.ArrestedOn, sp.ArrestingUnitID, sp.Notes, s.now(), a.UserID, before.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update suspect: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("suspect")
		}
		after, err := s.suspectWhere(ctx, tx, Scope{Read: sc.Read}, before.ID)
		if err != nil {
			return err
		}
		*sp = *after
		return s.audit(ctx, tx, a, "suspect.update", "suspect", sp.ID, sp.Agency, before, after)
	})
}

// RemoveSuspect removes the arrest id (a soft delete: hidden from lists and reports, kept with
// who removed it, when and why), with its audit entry. version is the version the caller read:
// a stale one is EConflict and changes nothing. reason is required (1–500 characters, else
// EInvalid on "reason"). Visibility and ownership are as in UpdateSuspect.
func (s *Store) RemoveSuspect(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.suspectForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		if _, err := s.softDelete(ctx, tx, a, "suspects", "suspect", before.ID, before.Version, reason); err != nil {
			return err
		}
		after, err := s.suspectWhere(ctx, tx, Scope{Read: sc.Read, Removed: true}, before.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "suspect.remove", "suspect", id, before.Agency, before, after)
	})
}

// SuspectByID returns the arrest id when sc reads its case; an arrest of a case outside sc, or
// a removed arrest or case when !sc.Removed, is ENotFound.
func (s *Store) SuspectByID(ctx context.Context, sc Scope, id int64) (*phoihop.Suspect, error) {
	return s.suspectWhere(ctx, s.db, sc, id)
}

// SuspectsOfCase returns the arrests of a case sc reads, by arrest date, each with the
// arresting unit's code and name; removed arrests only when sc.Removed. A case outside sc (or
// removed, when !sc.Removed) is ENotFound.
func (s *Store) SuspectsOfCase(ctx context.Context, sc Scope, caseID int64) ([]SuspectItem, error) {
	if err := s.inCaseCheckCase(ctx, s.db, sc, caseID); err != nil {
		return nil, err
	}
	visible, args := inCaseReadableCond(sc)
	q := `SELECT ` + prefixColumns("p.", suspectColumns) + `, u.code AS unit_code, u.name AS unit_name
		FROM suspects p JOIN cases c ON c.id = p.case_id JOIN units u ON u.id = p.arresting_unit
		WHERE p.case_id = ? AND ` + visible
	if !sc.Removed {
		q += " AND p.deleted_at IS NULL"
	}
	q += " ORDER BY p.arrested_on, p.id"
	items := []SuspectItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), append([]any{caseID}, args...)...); err != nil {
		return nil, fmt.Errorf("store: suspects of case: %w", err)
	}
	return items, nil
}

// suspectWhere loads the arrest id when sc reads its case (removed arrests and cases only
// when sc.Removed), else ENotFound.
func (s *Store) suspectWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Suspect, error) {
	visible, args := inCaseReadableCond(sc)
	query := `SELECT ` + prefixColumns("p.", suspectColumns) + ` FROM suspects p JOIN cases c ON c.id = p.case_id
		WHERE p.id = ? AND ` + visible
	if !sc.Removed {
		query += " AND p.deleted_at IS NULL"
	}
	var sp phoihop.Suspect
	if err := sqlx.GetContext(ctx, q, &sp, s.db.Rebind(query), append([]any{id}, args...)...); err != nil {
		if phoihop.ErrorCode(mapError(err)) == phoihop.ENotFound {
			return nil, notFound("suspect")
		}
		return nil, fmt.Errorf("store: suspect: %w", err)
	}
	return &sp, nil
}

// suspectForWrite loads the arrest id for an edit made on version: ENotFound when sc cannot
// read it or it or its case is removed, EForbidden when its agency is not one sc writes, the
// stale EConflict when it changed since.
func (s *Store) suspectForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Suspect, error) {
	sp, err := s.suspectWhere(ctx, tx, Scope{Read: sc.Read}, id)
	if err != nil {
		return nil, err
	}
	if !sc.CanWrite(sp.Agency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the arresting agency can edit this arrest.")
	}
	if sp.Version != version {
		return nil, staleError("suspect")
	}
	return sp, nil
}

// inCaseReadableCond is the SQL condition that the case aliased c is readable in sc: one of
// the agencies taking part in it is in sc.Read, and it is not removed unless sc.Removed.
// Records inside a case (arrests, seizures) are read through it.
func inCaseReadableCond(sc Scope) (string, []any) {
	in, args := inList("ca.agency", sc.Read)
	cond := "EXISTS (SELECT 1 FROM case_agencies ca WHERE ca.case_id = c.id AND " + in + ")"
	if !sc.Removed {
		cond += " AND c.deleted_at IS NULL"
	}
	return cond, args
}

// inCaseCheckCase answers ENotFound for the case unless sc reads it.
func (s *Store) inCaseCheckCase(ctx context.Context, q sqlx.QueryerContext, sc Scope, caseID int64) error {
	visible, args := inCaseReadableCond(sc)
	var n int
	err := sqlx.GetContext(ctx, q, &n, s.db.Rebind(`SELECT count(*) FROM cases c WHERE c.id = ? AND `+visible),
		append([]any{caseID}, args...)...)
	if err != nil {
		return fmt.Errorf("store: case: %w", err)
	}
	if n == 0 {
		return notFound("case")
	}
	return nil
}

// inCaseCheckUnit checks, inside tx, what an arrest or seizure refers to: the case must be
// readable in sc and not removed (else ENotFound), and the unit (the form field named field)
// must exist, belong to an agency sc writes that takes part in the case, and be in service
// on the day of the event (else EInvalid on field). It returns the unit's agency, which
// becomes the record's.
func (s *Store) inCaseCheckUnit(ctx context.Context, tx *sqlx.Tx, sc Scope, caseID, unitID int64, on phoihop.Date, field string) (string, error) {
	if err := s.inCaseCheckCase(ctx, tx, Scope{Read: sc.Read}, caseID); err != nil {
		return "", err
	}
	unit, err := s.unitWhere(ctx, tx, "id = ?", unitID)
	f := phoihop.FieldErrors{}
	switch {
	case phoihop.ErrorCode(err) == phoihop.ENotFound:
		f.Add(field, "The unit does not exist.")
		return "", f.Err()
	case err != nil:
		return "", err
	case !sc.CanWrite(unit.Agency):
		f.Add(field, "Choose a unit of your own agency.")
		return "", f.Err()
	}
	var takesPart int
	err = tx.GetContext(ctx, &takesPart, tx.Rebind(`SELECT count(*) FROM case_agencies
		WHERE case_id = ? AND agency = ?`), caseID, unit.Agency)
	if err != nil {
		return "", fmt.Errorf("store: case agencies: %w", err)
	}
	switch {
	case takesPart == 0:
		f.Add(field, "The unit's agency does not take part in this case.")
	case !unit.ActiveOn(on):
		f.Add(field, "The unit was not in service on that date.")
	}
	return unit.Agency, f.Err()
}

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

// suspectKind is how the write helpers every kind shares (write.go) handle arrests: only the
// arresting agency changes an arrest, and its changes are audited in that agency's domain.
var suspectKind = kind[phoihop.Suspect]{
	versioned: versioned{table: "suspects", entity: "suspect", removable: true},
	prepare:   normalized[phoihop.Suspect],
	read:      (*Store).suspectWhere,
	owners:    func(sp *phoihop.Suspect) []string { return []string{sp.Agency} },
	forbidden: "Only the arresting agency can edit this arrest.",
	fields: func(sp *phoihop.Suspect) (*int64, *phoihop.Removal, *phoihop.Audit) {
		return &sp.ID, &sp.Removal, &sp.Audit
	},
	locking: func(_ *Store, _ context.Context, _ sqlx.QueryerContext, sp *phoihop.Suspect) (dated, error) {
		return datedOn([]string{sp.Agency}, sp.ArrestedOn), nil
	},
}

// CreateSuspect validates sp and records the arrest in case sp.CaseID with its audit entry; on
// success sp holds the arrest as stored, with its ID, Agency (the arresting unit's), Version
// and timestamps, and a refused create leaves sp as it was. A case sc cannot read, or a removed
// one, is ENotFound. The arresting unit must exist, belong to an agency sc writes that takes
// part in the case, and be in service on the arrest date (else EInvalid on "arresting_unit").
func (s *Store) CreateSuspect(ctx context.Context, a phoihop.Actor, sc Scope, sp *phoihop.Suspect) error {
	return suspectKind.save(ctx, s, sp, func(tx *sqlx.Tx, n *phoihop.Suspect) (err error) {
		n.Agency, err = s.checkRecordUnit(ctx, tx, sc, n.CaseID, n.ArrestingUnitID, n.ArrestedOn, "arresting_unit")
		if err != nil {
			return err
		}
		return suspectKind.insert(ctx, s, tx, a, sc, n, `case_id, agency, full_name, full_name_search,
			birth_year, gender, nationality, id_number, address, arrested_on, arresting_unit, notes`,
			n.CaseID, n.Agency, n.FullName, Normalize(n.FullName), n.BirthYear, n.Gender, n.Nationality,
			n.IDNumber, n.Address, n.ArrestedOn, n.ArrestingUnitID, n.Notes)
	})
}

// UpdateSuspect validates sp and saves it over the arrest sp.ID, with its audit entry; on
// success sp holds the arrest as stored (new version, its case, its agency), and a refused
// update leaves sp as it was. sp.Version is the version the caller read: a stale one is
// EConflict and changes nothing. An arrest sc cannot read (through its case), a removed one, or
// one of another case than a non-zero sp.CaseID is ENotFound; one of an agency sc does not
// write is EForbidden. The arresting unit is checked as in CreateSuspect.
func (s *Store) UpdateSuspect(ctx context.Context, a phoihop.Actor, sc Scope, sp *phoihop.Suspect) error {
	return suspectKind.saveOver(ctx, s, sc, sp, func(tx *sqlx.Tx, before, n *phoihop.Suspect) error {
		return s.updateSuspectTx(ctx, tx, a, sc, before, n)
	})
}

// updateSuspectTx is UpdateSuspect's change inside tx: n, prepared, over before, the record as
// forWrite read it. The import (imports.go) updates records with it too.
func (s *Store) updateSuspectTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, n *phoihop.Suspect) (err error) {
	if n.CaseID != 0 && n.CaseID != before.CaseID {
		return notFound("suspect")
	}
	n.CaseID = before.CaseID
	if n.Agency, err = s.checkRecordUnit(ctx, tx, sc, n.CaseID, n.ArrestingUnitID, n.ArrestedOn, "arresting_unit"); err != nil {
		return err
	}
	return suspectKind.update(ctx, s, tx, a, sc, before, n, `agency = ?, full_name = ?, full_name_search = ?,
		birth_year = ?, gender = ?, nationality = ?, id_number = ?, address = ?, arrested_on = ?,
		arresting_unit = ?, notes = ?`,
		n.Agency, n.FullName, Normalize(n.FullName), n.BirthYear, n.Gender, n.Nationality, n.IDNumber,
		n.Address, n.ArrestedOn, n.ArrestingUnitID, n.Notes)
}

// RemoveSuspect removes the arrest id (a soft delete: hidden from lists and reports, kept with
// who removed it, when and why), with its audit entry. version is the version the caller read:
// a stale one is EConflict and changes nothing. reason is required (1–500 characters, else
// EInvalid on "reason"). Visibility and ownership are as in UpdateSuspect.
func (s *Store) RemoveSuspect(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return suspectKind.remove(ctx, s, a, sc, id, version, reason)
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
	if err := s.checkCaseReadable(ctx, s.db, sc, caseID); err != nil {
		return nil, err
	}
	return s.suspectsOfCase(ctx, sc, caseID)
}

// suspectsOfCase lists the arrests of a case the caller has checked sc reads.
func (s *Store) suspectsOfCase(ctx context.Context, sc Scope, caseID int64) ([]SuspectItem, error) {
	q := `SELECT ` + prefixColumns("p.", suspectColumns) + `, u.code AS unit_code, u.name AS unit_name
		FROM suspects p JOIN units u ON u.id = p.arresting_unit
		WHERE p.case_id = ?` + notRemoved(sc, "p") + ` ORDER BY p.arrested_on, p.id`
	items := []SuspectItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), caseID); err != nil {
		return nil, fmt.Errorf("store: suspects of case: %w", err)
	}
	return items, nil
}

// suspectWhere loads the arrest id when sc reads its case (removed arrests and cases only
// when sc.Removed), else ENotFound.
func (s *Store) suspectWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Suspect, error) {
	visible, args := caseReadable("c", sc)
	query := `SELECT ` + prefixColumns("p.", suspectColumns) + ` FROM suspects p JOIN cases c ON c.id = p.case_id
		WHERE p.id = ? AND ` + visible + notRemoved(sc, "p")
	var sp phoihop.Suspect
	if err := s.getOne(ctx, q, &sp, "suspect", query, append([]any{id}, args...)...); err != nil {
		return nil, err
	}
	return &sp, nil
}

// checkCaseReadable answers ENotFound for the case unless sc reads it.
func (s *Store) checkCaseReadable(ctx context.Context, q sqlx.QueryerContext, sc Scope, caseID int64) error {
	visible, args := caseReadable("c", sc)
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

// checkRecordUnit checks, inside tx, what an arrest or seizure refers to: the case must be
// readable in sc and not removed (else ENotFound), and the unit (the form field named field)
// must exist, belong to an agency sc writes that takes part in the case, and be in service
// on the day of the event (else EInvalid on field). It returns the unit's agency, which
// becomes the record's.
func (s *Store) checkRecordUnit(ctx context.Context, tx *sqlx.Tx, sc Scope, caseID, unitID int64, on phoihop.Date, field string) (string, error) {
	if err := s.checkCaseReadable(ctx, tx, Scope{Read: sc.Read}, caseID); err != nil {
		return "", err
	}
	unit, err := s.unitWhere(ctx, tx, "id = ?", unitID)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		unit = nil
	} else if err != nil {
		return "", err
	}
	var takesPart int
	if unit != nil {
		err = tx.GetContext(ctx, &takesPart, tx.Rebind(`SELECT count(*) FROM case_agencies
			WHERE case_id = ? AND agency = ?`), caseID, unit.Agency)
		if err != nil {
			return "", fmt.Errorf("store: case agencies: %w", err)
		}
	}
	f := phoihop.FieldErrors{}
	agency := recordUnitRule(f, field, sc, unit, takesPart > 0, on)
	return agency, f.Err()
}

// recordUnitRule is the rule of the unit of an arrest or seizure (the form field named field)
// given what the database holds: unit (nil when it does not exist) must belong to an agency sc
// writes that takes part in the case (takesPart) and be in service on the day of the event
// (when there is one: an import's cell that is no day leaves it zero, and is its own error).
// Errors go to f; it returns the unit's agency, which becomes the record's ("" when none).
// checkRecordUnit and the import (imports.go) both apply it.
func recordUnitRule(f phoihop.FieldErrors, field string, sc Scope, unit *phoihop.Unit, takesPart bool, on phoihop.Date) string {
	switch {
	case unit == nil:
		f.Add(field, "The unit does not exist.")
		return ""
	case !sc.CanWrite(unit.Agency):
		f.Add(field, "Choose a unit of your own agency.")
	case !takesPart:
		f.Add(field, "The unit's agency does not take part in this case.")
	case !on.IsZero() && !unit.ActiveOn(on): // no day (or one that does not exist): the date's own error says so
		f.Add(field, "The unit was not in service on that date.")
	}
	return unit.Agency
}

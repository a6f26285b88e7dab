package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const seizureColumns = `id, case_id, agency, category, quantity_milli, seized_on, seizing_unit, location_type,
	transport_mode, departure_country, destination_country, description, deleted_at, deleted_by,
	delete_reason, version, created_at, created_by, updated_at, updated_by`

// SeizureItem is a seizure as the case page lists it: with its item category's Vietnamese and
// English names and unit of measure (tablet, g, …) and the seizing unit's code and name.
type SeizureItem struct {
	phoihop.Seizure
	CategoryNameVI string `db:"category_name_vi" json:"category_name_vi"`
	CategoryNameEN string `db:"category_name_en" json:"category_name_en"`
	CategoryUnit   string `db:"category_unit" json:"category_unit"`
	UnitCode       string `db:"unit_code" json:"unit_code"`
	UnitName       string `db:"unit_name" json:"unit_name"`
}

// seizureKind is how the write helpers every kind shares (write.go) handle seizures: only the
// seizing agency changes a seizure, and its changes are audited in that agency's domain.
var seizureKind = kind[phoihop.Seizure]{
	versioned: versioned{table: "seizures", entity: "seizure", removable: true},
	prepare:   normalized[phoihop.Seizure],
	read:      (*Store).seizureWhere,
	owners:    func(z *phoihop.Seizure) []string { return []string{z.Agency} },
	forbidden: "Only the seizing agency can edit this seizure.",
	fields: func(z *phoihop.Seizure) (*int64, *phoihop.Removal, *phoihop.Audit) {
		return &z.ID, &z.Removal, &z.Audit
	},
	locking: func(_ *Store, _ context.Context, _ sqlx.QueryerContext, z *phoihop.Seizure) (dated, error) {
		return datedOn([]string{z.Agency}, z.SeizedOn), nil
	},
}

// CreateSeizure validates z and records the seizure in case z.CaseID with its audit entry; on
// success z holds the seizure as stored, with its ID, Agency (the seizing unit's), Version and
// timestamps, and a refused create leaves z as it was. A case sc cannot read, or a removed one,
// is ENotFound. The seizing unit must exist, belong to an agency sc writes that takes part in
// the case, and be in service on the seizure date (else EInvalid on "seizing_unit").
func (s *Store) CreateSeizure(ctx context.Context, a phoihop.Actor, sc Scope, z *phoihop.Seizure) error {
	return seizureKind.save(ctx, s, z, func(tx *sqlx.Tx, n *phoihop.Seizure) (err error) {
		n.Agency, err = s.checkRecordUnit(ctx, tx, sc, n.CaseID, n.SeizingUnitID, n.SeizedOn, "seizing_unit")
		if err != nil {
			return err
		}
		return seizureKind.insert(ctx, s, tx, a, sc, n, `case_id, agency, category, quantity_milli, seized_on,
			seizing_unit, location_type, transport_mode, departure_country, destination_country, description,
			description_search`,
			n.CaseID, n.Agency, n.Category, int64(n.Quantity), n.SeizedOn, n.SeizingUnitID, n.LocationType,
			n.TransportMode, n.DepartureCountry, n.DestinationCountry, n.Description, Normalize(n.Description))
	})
}

// UpdateSeizure validates z and saves it over the seizure z.ID, with its audit entry; on
// success z holds the seizure as stored (new version, its case, its agency), and a refused
// update leaves z as it was. z.Version is the version the caller read: a stale one is
// EConflict and changes nothing. A seizure sc cannot read (through its case), a removed one,
// or one of another case than a non-zero z.CaseID is ENotFound; one of an agency sc does not
// write is EForbidden. The seizing unit is checked as in CreateSeizure.
func (s *Store) UpdateSeizure(ctx context.Context, a phoihop.Actor, sc Scope, z *phoihop.Seizure) error {
	return seizureKind.saveOver(ctx, s, sc, z, func(tx *sqlx.Tx, before, n *phoihop.Seizure) error {
		return s.updateSeizureTx(ctx, tx, a, sc, before, n)
	})
}

// updateSeizureTx is UpdateSeizure's change inside tx: n, prepared, over before, the record as
// forWrite read it. The import (imports.go) updates records with it too.
func (s *Store) updateSeizureTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, n *phoihop.Seizure) (err error) {
	if n.CaseID != 0 && n.CaseID != before.CaseID {
		return notFound("seizure")
	}
	n.CaseID = before.CaseID
	if n.Agency, err = s.checkRecordUnit(ctx, tx, sc, n.CaseID, n.SeizingUnitID, n.SeizedOn, "seizing_unit"); err != nil {
		return err
	}
	return seizureKind.update(ctx, s, tx, a, sc, before, n, `agency = ?, category = ?, quantity_milli = ?,
		seized_on = ?, seizing_unit = ?, location_type = ?, transport_mode = ?, departure_country = ?,
		destination_country = ?, description = ?, description_search = ?`,
		n.Agency, n.Category, int64(n.Quantity), n.SeizedOn, n.SeizingUnitID, n.LocationType, n.TransportMode,
		n.DepartureCountry, n.DestinationCountry, n.Description, Normalize(n.Description))
}

// RemoveSeizure removes the seizure id (a soft delete: hidden from lists and reports, kept
// with who removed it, when and why), with its audit entry. version is the version the caller
// read: a stale one is EConflict and changes nothing. reason is required (1–500 characters,
// else EInvalid on "reason"). Visibility and ownership are as in UpdateSeizure.
func (s *Store) RemoveSeizure(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return seizureKind.remove(ctx, s, a, sc, id, version, reason)
}

// SeizureByID returns the seizure id when sc reads its case; a seizure of a case outside sc,
// or a removed seizure or case when !sc.Removed, is ENotFound.
func (s *Store) SeizureByID(ctx context.Context, sc Scope, id int64) (*phoihop.Seizure, error) {
	return s.seizureWhere(ctx, s.db, sc, id)
}

// SeizuresOfCase returns the seizures of a case sc reads, by seizure date and the categories'
// order, each with its category's names and unit of measure and the seizing unit's code and
// name; removed seizures only when sc.Removed. A case outside sc (or removed, when
// !sc.Removed) is ENotFound.
func (s *Store) SeizuresOfCase(ctx context.Context, sc Scope, caseID int64) ([]SeizureItem, error) {
	if err := s.checkCaseReadable(ctx, s.db, sc, caseID); err != nil {
		return nil, err
	}
	return s.seizuresOfCase(ctx, sc, caseID)
}

// seizuresOfCase lists the seizures of a case the caller has checked sc reads.
func (s *Store) seizuresOfCase(ctx context.Context, sc Scope, caseID int64) ([]SeizureItem, error) {
	q := `SELECT ` + prefixColumns("z.", seizureColumns) + `, ic.name_vi AS category_name_vi,
		ic.name_en AS category_name_en, ic.unit AS category_unit, u.code AS unit_code, u.name AS unit_name
		FROM seizures z JOIN item_categories ic ON ic.code = z.category
		JOIN units u ON u.id = z.seizing_unit
		WHERE z.case_id = ?` + notRemoved(sc, "z") + ` ORDER BY z.seized_on, ic.sort_order, z.id`
	items := []SeizureItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), caseID); err != nil {
		return nil, fmt.Errorf("store: seizures of case: %w", err)
	}
	return items, nil
}

// seizureWhere loads the seizure id when sc reads its case (removed seizures and cases only
// when sc.Removed), else ENotFound.
func (s *Store) seizureWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Seizure, error) {
	visible, args := caseReadable("c", sc)
	query := `SELECT ` + prefixColumns("z.", seizureColumns) + ` FROM seizures z JOIN cases c ON c.id = z.case_id
		WHERE z.id = ? AND ` + visible + notRemoved(sc, "z")
	var z phoihop.Seizure
	if err := s.getOne(ctx, q, &z, "seizure", query, append([]any{id}, args...)...); err != nil {
		return nil, err
	}
	return &z, nil
}

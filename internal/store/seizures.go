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

// CreateSeizure validates z and records the seizure in case z.CaseID with its audit entry;
// it sets z's ID, Agency (the seizing unit's), Version and timestamps. A case sc cannot read,
// or a removed one, is ENotFound. The seizing unit must exist, belong to an agency sc writes
// that takes part in the case, and be in service on the seizure date (else EInvalid on
// "seizing_unit").
func (s *Store) CreateSeizure(ctx context.Context, a phoihop.Actor, sc Scope, z *phoihop.Seizure) error {
	z.Normalize()
	if err := z.Validate(s.today()); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		agency, err := s.inCaseCheckUnit(ctx, tx, sc, z.CaseID, z.SeizingUnitID, z.SeizedOn, "seizing_unit")
		if err != nil {
			return err
		}
		now := s.now()
		z.ID, z.Agency, z.Removal = 0, agency, phoihop.Removal{}
		z.Version, z.CreatedAt, z.UpdatedAt, z.CreatedBy, z.UpdatedBy = 1, now, now, a.UserID, a.UserID
		err = tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO seizures
			(case_id, agency, category, quantity_milli, seized_on, seizing_unit, location_type, transport_mode,
			 departure_country, destination_country, description, description_search,
			 version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			z.CaseID, z.Agency, z.Category, int64(z.Quantity), z.SeizedOn, z.SeizingUnitID, z.LocationType,
			z.TransportMode, z.DepartureCountry, z.DestinationCountry, z.Description, Normalize(z.Description),
			z.Version, z.CreatedAt, z.CreatedBy, z.UpdatedAt, z.UpdatedBy).Scan(&z.ID)
		if err != nil {
			return fmt.Errorf("store: create seizure: %w", err)
		}
		return s.audit(ctx, tx, a, "seizure.create", "seizure", z.ID, z.Agency, nil, z)
	})
}

// UpdateSeizure validates z and saves it over the seizure z.ID, with its audit entry; on
// success z holds the seizure as stored (new version, its case, its agency). z.Version is the
// version the caller read: a stale one is EConflict and changes nothing. A seizure sc cannot
// read (through its case), a removed one, or one of another case than a non-zero z.CaseID is
// ENotFound; one of an agency sc does not write is EForbidden. The seizing unit is checked as
// in CreateSeizure.
func (s *Store) UpdateSeizure(ctx context.Context, a phoihop.Actor, sc Scope, z *phoihop.Seizure) error {
	z.Normalize()
	if err := z.Validate(s.today()); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.seizureForWrite(ctx, tx, sc, z.ID, z.Version)
		if err != nil {
			return err
		}
		if z.CaseID != 0 && z.CaseID != before.CaseID {
			return notFound("seizure")
		}
		agency, err := s.inCaseCheckUnit(ctx, tx, sc, before.CaseID, z.SeizingUnitID, z.SeizedOn, "seizing_unit")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE seizures SET agency = ?, category = ?,
			quantity_milli = ?, seized_on = ?, seizing_unit = ?, location_type = ?, transport_mode = ?,
			departure_country = ?, destination_country = ?, description = ?, description_search = ?,
			version = version + 1, updated_at = ?, updated_by = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			agency, z.Category, int64(z.Quantity), z.SeizedOn, z.SeizingUnitID, z.LocationType, z.TransportMode,
			z.DepartureCountry, z.DestinationCountry, z.Description, Normalize(z.Description),
			s.now(), a.UserID, before.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update seizure: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("seizure")
		}
		after, err := s.seizureWhere(ctx, tx, Scope{Read: sc.Read}, before.ID)
		if err != nil {
			return err
		}
		*z = *after
		return s.audit(ctx, tx, a, "seizure.update", "seizure", z.ID, z.Agency, before, after)
	})
}

// RemoveSeizure removes the seizure id (a soft delete: hidden from lists and reports, kept
// with who removed it, when and why), with its audit entry. version is the version the caller
// read: a stale one is EConflict and changes nothing. reason is required (1–500 characters,
// else EInvalid on "reason"). Visibility and ownership are as in UpdateSeizure.
func (s *Store) RemoveSeizure(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.seizureForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		if _, err := s.softDelete(ctx, tx, a, "seizures", "seizure", before.ID, before.Version, reason); err != nil {
			return err
		}
		after, err := s.seizureWhere(ctx, tx, Scope{Read: sc.Read, Removed: true}, before.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "seizure.remove", "seizure", id, before.Agency, before, after)
	})
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
	if err := s.inCaseCheckCase(ctx, s.db, sc, caseID); err != nil {
		return nil, err
	}
	visible, args := inCaseReadableCond(sc)
	q := `SELECT ` + prefixColumns("z.", seizureColumns) + `, ic.name_vi AS category_name_vi,
		ic.name_en AS category_name_en, ic.unit AS category_unit, u.code AS unit_code, u.name AS unit_name
		FROM seizures z JOIN cases c ON c.id = z.case_id JOIN item_categories ic ON ic.code = z.category
		JOIN units u ON u.id = z.seizing_unit
		WHERE z.case_id = ? AND ` + visible
	if !sc.Removed {
		q += " AND z.deleted_at IS NULL"
	}
	q += " ORDER BY z.seized_on, ic.sort_order, z.id"
	items := []SeizureItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), append([]any{caseID}, args...)...); err != nil {
		return nil, fmt.Errorf("store: seizures of case: %w", err)
	}
	return items, nil
}

// seizureWhere loads the seizure id when sc reads its case (removed seizures and cases only
// when sc.Removed), else ENotFound.
func (s *Store) seizureWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Seizure, error) {
	visible, args := inCaseReadableCond(sc)
	query := `SELECT ` + prefixColumns("z.", seizureColumns) + ` FROM seizures z JOIN cases c ON c.id = z.case_id
		WHERE z.id = ? AND ` + visible
	if !sc.Removed {
		query += " AND z.deleted_at IS NULL"
	}
	var z phoihop.Seizure
	if err := sqlx.GetContext(ctx, q, &z, s.db.Rebind(query), append([]any{id}, args...)...); err != nil {
		if phoihop.ErrorCode(mapError(err)) == phoihop.ENotFound {
			return nil, notFound("seizure")
		}
		return nil, fmt.Errorf("store: seizure: %w", err)
	}
	return &z, nil
}

// seizureForWrite loads the seizure id for an edit made on version: ENotFound when sc cannot
// read it or it or its case is removed, EForbidden when its agency is not one sc writes, the
// stale EConflict when it changed since.
func (s *Store) seizureForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Seizure, error) {
	z, err := s.seizureWhere(ctx, tx, Scope{Read: sc.Read}, id)
	if err != nil {
		return nil, err
	}
	if !sc.CanWrite(z.Agency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the seizing agency can edit this seizure.")
	}
	if z.Version != version {
		return nil, staleError("seizure")
	}
	return z, nil
}

package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const unitColumns = `id, agency, parent_id, code, name, kind, border, valid_from, valid_to,
	version, created_at, created_by, updated_at, updated_by`

// UnitFilter selects units; zero fields select everything.
type UnitFilter struct {
	Agency   string       // only this agency's units
	ActiveOn phoihop.Date // only units in service on this day (Unit.ActiveOn)
}

// A unit whose first day in service is not known has valid_from NULL and is in service since
// always (phoihop.Unit): every query of the units in service on a day reads it as
// "(valid_from IS NULL OR valid_from <= day)". NULL rather than a sentinel early date, so the
// unknown day reads as unknown everywhere (Go's zero Date, JSON null, the audit log, an
// operator's SQL) with no mapping at each boundary.

// Units returns the units matching f ordered by agency (stable order) and name.
func (s *Store) Units(ctx context.Context, f UnitFilter) ([]phoihop.Unit, error) {
	var where []string
	var args []any
	if f.Agency != "" {
		where = append(where, "u.agency = ?")
		args = append(args, f.Agency)
	}
	if !f.ActiveOn.IsZero() {
		where = append(where, "(u.valid_from IS NULL OR u.valid_from <= ?) AND (u.valid_to IS NULL OR u.valid_to >= ?)")
		args = append(args, f.ActiveOn, f.ActiveOn)
	}
	q := `SELECT ` + prefixColumns("u.", unitColumns) + ` FROM units u JOIN agencies a ON a.code = u.agency`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY a.sort_order, u.name, u.id"
	var rows []phoihop.Unit
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	return rows, nil
}

// UnitTree returns an agency's units as a tree, depth first, siblings by name.
func (s *Store) UnitTree(ctx context.Context, agency string) ([]phoihop.UnitNode, error) {
	units, err := s.Units(ctx, UnitFilter{Agency: agency})
	if err != nil {
		return nil, err
	}
	return phoihop.UnitTree(units), nil
}

// UnitByID returns the unit with the id, or ENotFound.
func (s *Store) UnitByID(ctx context.Context, id int64) (*phoihop.Unit, error) {
	return s.unitWhere(ctx, s.db, "id = ?", id)
}

// UnitByCode returns the unit with the code (compared in upper case), or ENotFound.
func (s *Store) UnitByCode(ctx context.Context, code string) (*phoihop.Unit, error) {
	return s.unitWhere(ctx, s.db, "code = ?", strings.ToUpper(strings.TrimSpace(code)))
}

func (s *Store) unitWhere(ctx context.Context, q sqlx.QueryerContext, cond string, arg any) (*phoihop.Unit, error) {
	var u phoihop.Unit
	err := sqlx.GetContext(ctx, q, &u, s.db.Rebind(`SELECT `+unitColumns+` FROM units WHERE `+cond), arg)
	if err != nil {
		return nil, mapError(fmt.Errorf("store: unit: %w", err))
	}
	return &u, nil
}

// CreateUnit validates u and inserts it with its audit entry; on success u holds the unit as
// stored, with its ID, Version and timestamps, and a refused create leaves u as it was. d is
// where the caller manages units (unit:manage): an agency outside it is EInvalid on "agency".
// A parent must exist, belong to the same agency and be in service when u starts.
func (s *Store) CreateUnit(ctx context.Context, a phoihop.Actor, d Domains, u *phoihop.Unit) error {
	nu := *u
	nu.Normalize()
	if err := nu.Validate(); err != nil {
		return err
	}
	if !d.Covers(nu.Agency) {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"agency": "Choose an agency whose units you manage."}}
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkParent(ctx, tx, &nu); err != nil {
			return err
		}
		nu.Audit = s.created(a)
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO units
			(agency, parent_id, code, name, name_search, kind, border, valid_from, valid_to,
			 version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			nu.Agency, nu.ParentID, nu.Code, nu.Name, Normalize(nu.Name), nu.Kind, nu.Border, nu.ValidFrom, nu.ValidTo,
			nu.Version, nu.CreatedAt, nu.CreatedBy, nu.UpdatedAt, nu.UpdatedBy).Scan(&nu.ID)
		if err != nil {
			if code := phoihop.ErrorCode(mapError(err)); code == phoihop.EInvalid {
				return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
					Fields: map[string]string{"agency": "Choose one of the agencies in the list."}}
			}
			return fmt.Errorf("store: create unit: %w", err)
		}
		return s.audit(ctx, tx, a, "unit.create", "unit", nu.ID, nu.Agency, nil, &nu)
	})
	if err != nil {
		return err
	}
	*u = nu
	return nil
}

func (s *Store) checkParent(ctx context.Context, tx *sqlx.Tx, u *phoihop.Unit) error {
	if u.ParentID == nil {
		return nil
	}
	p, err := s.unitWhere(ctx, tx, "id = ?", *u.ParentID)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{"parent": "The parent unit does not exist."}}
	}
	if err != nil {
		return err
	}
	f := phoihop.FieldErrors{}
	if p.Agency != u.Agency {
		f.Add("parent", "The parent unit belongs to another agency.")
	} else if !p.ValidTo.IsZero() && !p.ActiveOn(u.ValidFrom) {
		// A unit without a first day starts before any day: only under a retired parent
		// without one either.
		f.Add("parent", "The parent unit is not in service on the unit's start date.")
	}
	return f.Err()
}

// RetireUnit ends the service of a unit: on is the last day it was in service. version is the
// version the caller last read; a stale one is EConflict and changes nothing. A unit whose
// child units stay in service after that day cannot be retired. A unit of an agency outside d
// (where the caller manages units) is ENotFound. It returns the unit as it is now.
func (s *Store) RetireUnit(ctx context.Context, a phoihop.Actor, d Domains, id int64, on phoihop.Date, version int) (*phoihop.Unit, error) {
	return s.changeUnit(ctx, d, id, version, func(tx *sqlx.Tx, before *phoihop.Unit) (*phoihop.Unit, error) {
		f := phoihop.FieldErrors{}
		switch {
		case on.IsZero():
			f.Add("valid_to", "Enter the last day the unit was in service.")
		case on.Before(before.ValidFrom):
			f.Add("valid_to", "The end of service cannot be before the start of service.")
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		var active int
		err := tx.GetContext(ctx, &active, tx.Rebind(`SELECT count(*) FROM units
			WHERE parent_id = ? AND (valid_to IS NULL OR valid_to > ?)`), id, on)
		if err != nil {
			return nil, fmt.Errorf("store: retire unit: %w", err)
		}
		if active > 0 {
			return nil, &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
				Fields: map[string]string{"valid_to": "Retire or move the unit's child units first."}}
		}
		after, err := s.updateUnit(ctx, tx, a, before, `valid_to = ?`, on)
		if err != nil {
			return nil, err
		}
		return after, s.audit(ctx, tx, a, "unit.retire", "unit", id, after.Agency, before, after)
	})
}

// changeUnit runs a change of the unit id, made on version, in one transaction: change gets
// the unit as unitAtVersion read it (its errors) and returns it as changed. It returns the
// unit as changed, or nil and the error.
func (s *Store) changeUnit(ctx context.Context, d Domains, id int64, version int, change func(tx *sqlx.Tx, before *phoihop.Unit) (*phoihop.Unit, error)) (*phoihop.Unit, error) {
	var after *phoihop.Unit
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.unitAtVersion(ctx, tx, d, id, version)
		if err != nil {
			return err
		}
		after, err = change(tx, before)
		return err
	})
	return written(after, err)
}

// unitAtVersion loads a unit for an edit made on version: ENotFound for an unknown id or a
// unit of an agency outside d, the stale EConflict when the unit has changed since.
func (s *Store) unitAtVersion(ctx context.Context, tx *sqlx.Tx, d Domains, id int64, version int) (*phoihop.Unit, error) {
	u, err := s.unitWhere(ctx, tx, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if !d.Covers(u.Agency) {
		return nil, notFound("unit")
	}
	if err := checkVersion(unitRows.entity, u.Version, version); err != nil {
		return nil, err
	}
	return u, nil
}

// prefixColumns qualifies each column of a comma-separated list with prefix ("u.").
func prefixColumns(prefix, cols string) string {
	parts := splitColumns(cols)
	for i, p := range parts {
		parts[i] = prefix + p
	}
	return strings.Join(parts, ", ")
}

// splitColumns splits a comma-separated column list.
func splitColumns(cols string) []string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// UnitCounts returns the number of units in service on day d per agency code (units without
// a first day are in service since always).
func (s *Store) UnitCounts(ctx context.Context, d phoihop.Date) (map[string]int64, error) {
	rows, err := s.db.QueryxContext(ctx, s.db.Rebind(`SELECT agency, count(*) FROM units
		WHERE (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?) GROUP BY agency`), d, d)
	if err != nil {
		return nil, fmt.Errorf("store: unit counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var agency string
		var n int64
		if err := rows.Scan(&agency, &n); err != nil {
			return nil, fmt.Errorf("store: unit counts: %w", err)
		}
		out[agency] = n
	}
	return out, rows.Err()
}

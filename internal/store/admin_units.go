package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// unitRecord is what the audit log keeps of a unit: its JSON form, which leaves the parent
// out, plus the parent.
type unitRecord struct {
	*phoihop.Unit
	ParentID *int64 `json:"parent_id"`
}

func unitRecordOf(u *phoihop.Unit) unitRecord { return unitRecord{u, u.ParentID} }

// RenameUnit gives a unit a new name (records keep pointing at the same unit). version is
// the version the caller last read; a stale one is EConflict and changes nothing. A bad name is
// EInvalid on "name"; an unknown id, or a unit of an agency outside d (where the caller manages
// units), ENotFound.
func (s *Store) RenameUnit(ctx context.Context, a phoihop.Actor, d Domains, id int64, version int, name string) (*phoihop.Unit, error) {
	return s.changeUnit(ctx, d, id, version, func(tx *sqlx.Tx, before *phoihop.Unit) (*phoihop.Unit, error) {
		u := *before
		u.Name = name
		u.Normalize()
		if err := u.Validate(); err != nil {
			return nil, err
		}
		after, err := s.updateUnit(ctx, tx, a, before, `name = ?, name_search = ?`, u.Name, Normalize(u.Name))
		if err != nil {
			return nil, err
		}
		return after, s.audit(ctx, tx, a, "unit.rename", "unit", id, after.Agency, unitRecordOf(before), unitRecordOf(after))
	})
}

// MoveUnit puts a unit under another parent, or at the top of its agency's tree when parentID
// is nil. version is the version the caller last read; a stale one is EConflict and changes
// nothing. The new parent must exist, belong to the same agency, be in service today and be
// neither the unit itself nor one of its descendants (EInvalid on "parent"); an unknown id, or
// a unit of an agency outside d (where the caller manages units), is ENotFound.
func (s *Store) MoveUnit(ctx context.Context, a phoihop.Actor, d Domains, id int64, version int, parentID *int64) (*phoihop.Unit, error) {
	return s.changeUnit(ctx, d, id, version, func(tx *sqlx.Tx, before *phoihop.Unit) (*phoihop.Unit, error) {
		if err := s.checkNewParent(ctx, tx, before, parentID); err != nil {
			return nil, err
		}
		after, err := s.updateUnit(ctx, tx, a, before, `parent_id = ?`, parentID)
		if err != nil {
			return nil, err
		}
		return after, s.audit(ctx, tx, a, "unit.move", "unit", id, after.Agency, unitRecordOf(before), unitRecordOf(after))
	})
}

// checkNewParent returns EInvalid on "parent" unless parentID may become u's parent.
func (s *Store) checkNewParent(ctx context.Context, tx *sqlx.Tx, u *phoihop.Unit, parentID *int64) error {
	if parentID == nil {
		return nil
	}
	f := phoihop.FieldErrors{}
	p, err := s.unitWhere(ctx, tx, "id = ?", *parentID)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		f.Add("parent", "The parent unit does not exist.")
		return f.Err()
	}
	if err != nil {
		return err
	}
	switch {
	case p.ID == u.ID:
		f.Add("parent", "A unit cannot be its own parent.")
	case p.Agency != u.Agency:
		f.Add("parent", "The parent unit belongs to another agency.")
	case !p.ActiveOn(phoihop.DateOf(s.now())):
		f.Add("parent", "The parent unit is not in service.")
	default:
		// Walk up from the new parent: meeting u means the parent is one of u's descendants.
		// UNION (not UNION ALL) stops the walk even on a cycle already in the data.
		var n int
		err := tx.GetContext(ctx, &n, tx.Rebind(`WITH RECURSIVE up (id, parent_id) AS (
				SELECT id, parent_id FROM units WHERE id = ?
				UNION
				SELECT units.id, units.parent_id FROM units JOIN up ON units.id = up.parent_id
			)
			SELECT count(*) FROM up WHERE id = ?`), p.ID, u.ID)
		if err != nil {
			return fmt.Errorf("store: move unit: %w", err)
		}
		if n > 0 {
			f.Add("parent", "The parent unit is one of the unit's own sub-units.")
		}
	}
	return f.Err()
}

// updateUnit applies set (an SQL SET list with its args) to the unit read as before, raising
// its version (updateVersioned), and returns the unit as it is now. A concurrent change is the
// stale EConflict.
func (s *Store) updateUnit(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, before *phoihop.Unit, set string, args ...any) (*phoihop.Unit, error) {
	if _, err := s.updateVersioned(ctx, tx, a, unitRows, before.ID, before.Audit, s.now(), set, args...); err != nil {
		return nil, err
	}
	return s.unitWhere(ctx, tx, "id = ?", before.ID)
}

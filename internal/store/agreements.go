package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

const agreementColumns = `id, number, title, signed_on, legal_basis, deleted_at, deleted_by, delete_reason,
	version, created_at, created_by, updated_at, updated_by`

// AgreementFilter selects coordination plans; zero fields select everything in the scope.
type AgreementFilter struct {
	Search string // part of the number or the title, ignoring case and diacritics
	Agency string // only plans this agency signed
	Limit  int    // page size: 50 when 0, at most 500
	Offset int    // rows skipped before the page
}

// agreementScope is the SQL condition that the agreement g is readable in sc: one of its
// parties is in sc.Read, and it is not removed unless sc.Removed.
func agreementScope(sc Scope) (string, []any) {
	in, args := inList("r.agency", sc.Read)
	cond := "EXISTS (SELECT 1 FROM agreement_agencies r WHERE r.agreement_id = g.id AND " + in + ")"
	if !sc.Removed {
		cond += " AND g.deleted_at IS NULL"
	}
	return cond, args
}

// agreementSearch is what agreements.title_search holds: the number and the title folded, so
// the search box finds a plan by either ("06/KH-BCĐ" by "bcd").
func agreementSearch(g *phoihop.Agreement) string { return Normalize(g.Number + " " + g.Title) }

// AgreementByID returns the coordination plan with its parties. A plan none of whose parties
// is in sc.Read, a removed one unless sc.Removed, or an unknown id is ENotFound.
func (s *Store) AgreementByID(ctx context.Context, sc Scope, id int64) (*phoihop.Agreement, error) {
	return s.agreementWhere(ctx, s.db, sc, id)
}

func (s *Store) agreementWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Agreement, error) {
	cond, args := agreementScope(sc)
	var g phoihop.Agreement
	err := sqlx.GetContext(ctx, q, &g, s.db.Rebind(`SELECT `+prefixColumns("g.", agreementColumns)+`
		FROM agreements g WHERE g.id = ? AND `+cond), append([]any{id}, args...)...)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("agreement")
		}
		return nil, fmt.Errorf("store: agreement: %w", err)
	}
	parties, err := s.agreementParties(ctx, q, []int64{id})
	if err != nil {
		return nil, err
	}
	g.Agencies = parties[id]
	return &g, nil
}

// agreementParties returns the parties of the plans, each list in the agencies' stable order,
// with one query.
func (s *Store) agreementParties(ctx context.Context, q sqlx.QueryerContext, ids []int64) (map[int64][]string, error) {
	return s.agenciesOf(ctx, q, "agreement_agencies", "agreement_id", ids)
}

// ListAgreements returns one page of the coordination plans readable in sc that match f,
// newest signed first, each with its parties, and the number of matching plans.
func (s *Store) ListAgreements(ctx context.Context, sc Scope, f AgreementFilter) ([]phoihop.Agreement, int, error) {
	cond, args := agreementScope(sc)
	where := []string{cond}
	if q := Normalize(f.Search); q != "" {
		where = append(where, `g.title_search LIKE ? ESCAPE '\'`)
		args = append(args, containsPattern(q))
	}
	if agency := strings.ToUpper(strings.TrimSpace(f.Agency)); agency != "" {
		where = append(where, "EXISTS (SELECT 1 FROM agreement_agencies p WHERE p.agreement_id = g.id AND p.agency = ?)")
		args = append(args, agency)
	}
	from := ` FROM agreements g WHERE ` + strings.Join(where, " AND ")
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT count(*)`+from), args...); err != nil {
		return nil, 0, fmt.Errorf("store: list agreements: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	var items []phoihop.Agreement
	err := s.db.SelectContext(ctx, &items, s.db.Rebind(`SELECT `+prefixColumns("g.", agreementColumns)+from+
		` ORDER BY g.signed_on DESC, g.id DESC LIMIT ? OFFSET ?`), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list agreements: %w", err)
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	parties, err := s.agreementParties(ctx, s.db, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		items[i].Agencies = parties[items[i].ID]
	}
	return items, total, nil
}

// CreateAgreement validates g and inserts it with its parties and its audit entry; it sets
// g's ID, Version and timestamps. Bad fields and unknown agencies are EInvalid on their field;
// a plan none of whose parties is in sc.Write is EForbidden; a number already used on the same
// signing date EConflict on "number".
func (s *Store) CreateAgreement(ctx context.Context, a phoihop.Actor, sc Scope, g *phoihop.Agreement) error {
	g.Normalize()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkAgreement(ctx, tx, sc, g); err != nil {
			return err
		}
		now := s.now()
		g.Version, g.CreatedAt, g.UpdatedAt, g.CreatedBy, g.UpdatedBy = 1, now, now, a.UserID, a.UserID
		g.Removal = phoihop.Removal{}
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO agreements
			(number, title, title_search, signed_on, legal_basis,
			 version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			g.Number, g.Title, agreementSearch(g), g.SignedOn, g.LegalBasis,
			g.Version, g.CreatedAt, g.CreatedBy, g.UpdatedAt, g.UpdatedBy).Scan(&g.ID)
		if err != nil {
			return fmt.Errorf("store: create agreement: %w", err)
		}
		if err := s.setAgreementParties(ctx, tx, g.ID, g.Agencies); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "agreement.create", "agreement", g.ID, writerDomain(sc, g.Agencies), nil, g)
	})
}

// UpdateAgreement saves g's fields and parties over the plan with g.ID; g.Version is the
// version the caller last read. A plan the caller cannot read (or a removed one) is ENotFound;
// one it reads but none of whose parties is in sc.Write EForbidden; a stale version EConflict,
// changing nothing. On success g holds the saved plan with its new version.
func (s *Store) UpdateAgreement(ctx context.Context, a phoihop.Actor, sc Scope, g *phoihop.Agreement) error {
	g.Normalize()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.agreementForWrite(ctx, tx, sc, g.ID, g.Version)
		if err != nil {
			return err
		}
		if err := s.checkAgreement(ctx, tx, sc, g); err != nil {
			return err
		}
		after := *g
		after.Removal = phoihop.Removal{}
		after.Audit = before.Audit
		after.Version, after.UpdatedAt, after.UpdatedBy = before.Version+1, s.now(), a.UserID
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE agreements SET number = ?, title = ?, title_search = ?,
			signed_on = ?, legal_basis = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			after.Number, after.Title, agreementSearch(&after), after.SignedOn, after.LegalBasis,
			after.UpdatedAt, after.UpdatedBy, before.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update agreement: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("agreement")
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM agreement_agencies WHERE agreement_id = ?`), before.ID); err != nil {
			return fmt.Errorf("store: update agreement: %w", err)
		}
		if err := s.setAgreementParties(ctx, tx, before.ID, after.Agencies); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "agreement.update", "agreement", before.ID, writerDomain(sc, after.Agencies), before, &after); err != nil {
			return err
		}
		*g = after
		return nil
	})
}

// RemoveAgreement removes (soft-deletes) the plan: it disappears from lists and can no longer
// be chosen for a case; cases already under it keep it. version is the version the caller last
// read; reason (1 to 500 characters) is EInvalid on "reason" when missing. Reading and writing
// rules and errors are UpdateAgreement's.
func (s *Store) RemoveAgreement(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.agreementForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		now, err := s.softDelete(ctx, tx, a, "agreements", "agreement", id, before.Version, reason)
		if err != nil {
			return err
		}
		after := *before
		markRemoved(&after.Removal, &after.Audit, a, now, reason)
		return s.audit(ctx, tx, a, "agreement.remove", "agreement", id, writerDomain(sc, before.Agencies), before, &after)
	})
}

// agreementForWrite loads a plan for an edit made on version: ENotFound when the caller cannot
// read it or it is removed, EForbidden when none of its parties is in sc.Write, the stale
// EConflict when it changed since.
func (s *Store) agreementForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Agreement, error) {
	sc.Removed = false
	g, err := s.agreementWhere(ctx, tx, sc, id)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(g.Agencies, sc.CanWrite) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the agencies that signed this plan can edit it.")
	}
	if g.Version != version {
		return nil, staleError("agreement")
	}
	return g, nil
}

// checkAgreement validates a normalized plan: its own fields, its parties known agencies, one
// of them in sc.Write (else EForbidden).
func (s *Store) checkAgreement(ctx context.Context, tx *sqlx.Tx, sc Scope, g *phoihop.Agreement) error {
	f := phoihop.FieldErrors{}
	var invalid *phoihop.Error
	if errors.As(g.Validate(s.today()), &invalid) {
		maps.Copy(f, invalid.Fields)
	}
	unknown, err := s.unknownAgencies(ctx, tx, g.Agencies)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		f.Add("agencies", "Choose one of the agencies in the list.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !slices.ContainsFunc(g.Agencies, sc.CanWrite) {
		return &phoihop.Error{Code: phoihop.EForbidden, Message: "Your agency must be among the parties of the plan.",
			Fields: map[string]string{"agencies": "Your agency must be among the parties of the plan."}}
	}
	return nil
}

func (s *Store) setAgreementParties(ctx context.Context, tx *sqlx.Tx, id int64, agencies []string) error {
	for _, agency := range agencies {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO agreement_agencies (agreement_id, agency) VALUES (?, ?)`), id, agency); err != nil {
			return fmt.Errorf("store: agreement parties: %w", err)
		}
	}
	return nil
}

// writerDomain is the audit domain of a record several agencies share: the first of them the
// writer works for (its scope writes), else the first of them.
func writerDomain(sc Scope, agencies []string) string {
	if i := slices.IndexFunc(agencies, sc.CanWrite); i >= 0 {
		return agencies[i]
	}
	if len(agencies) > 0 {
		return agencies[0]
	}
	return ""
}

// unknownAgencies returns the codes that are not agencies. Only codes of an agency's shape
// are looked up: the others are unknown anyway, and text such as NUL fails on PostgreSQL.
func (s *Store) unknownAgencies(ctx context.Context, q sqlx.QueryerContext, codes []string) ([]string, error) {
	asked := slices.DeleteFunc(slices.Clone(codes), func(c string) bool { return !phoihop.IsAgencyCode(c) })
	if len(asked) == 0 {
		return codes, nil
	}
	query, args, err := sqlx.In(`SELECT code FROM agencies WHERE code IN (?)`, asked)
	if err != nil {
		return nil, fmt.Errorf("store: agencies: %w", err)
	}
	var known []string
	if err := sqlx.SelectContext(ctx, q, &known, s.db.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("store: agencies: %w", err)
	}
	var unknown []string
	for _, c := range codes {
		if !slices.Contains(known, c) {
			unknown = append(unknown, c)
		}
	}
	return unknown, nil
}

package store

import (
	"context"
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

// agreementReadable is the SQL condition that the agreement g is readable in sc: one of its
// parties is in sc.Read, and it is not removed unless sc.Removed.
func agreementReadable(sc Scope) (string, []any) {
	in, args := inList("r.agency", sc.Read)
	return "EXISTS (SELECT 1 FROM agreement_agencies r WHERE r.agreement_id = g.id AND " + in + ")" +
		notRemoved(sc, "g"), args
}

// agreementKind is how the write helpers every kind shares (write.go) handle coordination
// plans: any agency that signed a plan changes it, and its changes are audited in the domain of
// the first of them the writer works for.
var agreementKind = kind[phoihop.Agreement]{
	versioned: versioned{table: "agreements", entity: "agreement", removable: true},
	prepare: func(_ *Store, g *phoihop.Agreement) error {
		g.Normalize()
		return nil // checkAgreement validates, with the database
	},
	read:      (*Store).agreementWhere,
	owners:    func(g *phoihop.Agreement) []string { return g.Agencies },
	forbidden: "Only the agencies that signed this plan can edit it.",
	fields: func(g *phoihop.Agreement) (*int64, *phoihop.Removal, *phoihop.Audit) {
		return &g.ID, &g.Removal, &g.Audit
	},
}

// agreementSearch is what agreements.title_search holds: the number and the title folded, so
// the search box finds a plan by either ("06/KH-BCĐ" by "bcd").
func agreementSearch(g *phoihop.Agreement) string { return Normalize(g.Number + " " + g.Title) }

// AgreementByID returns the coordination plan with its parties. A plan none of whose parties
// is in sc.Read, a removed one unless sc.Removed, or an unknown id is ENotFound.
func (s *Store) AgreementByID(ctx context.Context, sc Scope, id int64) (*phoihop.Agreement, error) {
	return s.agreementWhere(ctx, s.db, sc, id)
}

// agreementWhere loads the plan id readable in sc with its parties, else ENotFound.
func (s *Store) agreementWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Agreement, error) {
	cond, args := agreementReadable(sc)
	var g phoihop.Agreement
	err := s.getOne(ctx, q, &g, "agreement", `SELECT `+prefixColumns("g.", agreementColumns)+`
		FROM agreements g WHERE g.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	err = s.setAgencies(ctx, q, "agreement_agencies", "agreement_id", 1, func(int) (int64, *[]string) { return id, &g.Agencies })
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// ListAgreements returns one page of the coordination plans readable in sc that match f,
// newest signed first, each with its parties, and the number of matching plans.
func (s *Store) ListAgreements(ctx context.Context, sc Scope, f AgreementFilter) ([]phoihop.Agreement, int, error) {
	cond, args := agreementReadable(sc)
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
	items, total, err := listPage[phoihop.Agreement](ctx, s, "list agreements", `SELECT count(*)`+from, args,
		`SELECT `+prefixColumns("g.", agreementColumns)+from+` ORDER BY g.signed_on DESC, g.id DESC`, args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	err = s.setAgencies(ctx, s.db, "agreement_agencies", "agreement_id", len(items), func(i int) (int64, *[]string) {
		return items[i].ID, &items[i].Agencies
	})
	if err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// CreateAgreement validates g and inserts it with its parties and its audit entry; on success
// g holds the plan as stored, with its ID, Version and timestamps, and a refused create leaves
// g as it was. Bad fields and unknown agencies are EInvalid on their field; a plan none of
// whose parties is in sc.Write is EForbidden; a number already used on the same signing date
// EConflict on "number".
func (s *Store) CreateAgreement(ctx context.Context, a phoihop.Actor, sc Scope, g *phoihop.Agreement) error {
	return agreementKind.save(ctx, s, g, func(tx *sqlx.Tx, ng *phoihop.Agreement) error {
		if err := s.checkAgreement(ctx, tx, sc, ng); err != nil {
			return err
		}
		err := agreementKind.insert(ctx, s, tx, a, sc, ng, `number, title, title_search, signed_on, legal_basis`,
			ng.Number, ng.Title, agreementSearch(ng), ng.SignedOn, ng.LegalBasis)
		if err != nil {
			return err
		}
		return s.setAgreementParties(ctx, tx, ng.ID, ng.Agencies)
	})
}

// UpdateAgreement saves g's fields and parties over the plan with g.ID; g.Version is the
// version the caller last read. A plan the caller cannot read (or a removed one) is ENotFound;
// one it reads but none of whose parties is in sc.Write EForbidden; a stale version EConflict,
// changing nothing. On success g holds the saved plan with its new version; a refused update
// leaves g as it was.
func (s *Store) UpdateAgreement(ctx context.Context, a phoihop.Actor, sc Scope, g *phoihop.Agreement) error {
	return agreementKind.saveOver(ctx, s, sc, g, func(tx *sqlx.Tx, before, ng *phoihop.Agreement) error {
		if err := s.checkAgreement(ctx, tx, sc, ng); err != nil {
			return err
		}
		if err := s.checkTaskParties(ctx, tx, ng.ID, ng.Agencies); err != nil {
			return err
		}
		err := agreementKind.update(ctx, s, tx, a, sc, before, ng,
			`number = ?, title = ?, title_search = ?, signed_on = ?, legal_basis = ?`,
			ng.Number, ng.Title, agreementSearch(ng), ng.SignedOn, ng.LegalBasis)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM agreement_agencies WHERE agreement_id = ?`), ng.ID); err != nil {
			return fmt.Errorf("store: update agreement: %w", err)
		}
		return s.setAgreementParties(ctx, tx, ng.ID, ng.Agencies)
	})
}

// RemoveAgreement removes (soft-deletes) the plan: it disappears from lists and can no longer
// be chosen for a case; cases already under it keep it. version is the version the caller last
// read; reason (1 to 500 characters) is EInvalid on "reason" when missing. Reading and writing
// rules and errors are UpdateAgreement's.
func (s *Store) RemoveAgreement(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return agreementKind.remove(ctx, s, a, sc, id, version, reason)
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

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

const caseColumns = `id, code, title, crime_type, lead_agency, lead_unit, agreement_id, area, opened_on,
	closed_on, status, summary, deleted_at, deleted_by, delete_reason,
	version, created_at, created_by, updated_at, updated_by`

// CaseDetail is a joint case as its page shows it: the case with its lead unit's name and code
// and, when it is under a coordination plan, the plan's number and title (nil otherwise).
type CaseDetail struct {
	phoihop.Case
	LeadUnitName    string  `db:"lead_unit_name" json:"lead_unit_name"`
	LeadUnitCode    string  `db:"lead_unit_code" json:"lead_unit_code"`
	AgreementNumber *string `db:"agreement_number" json:"agreement_number"`
	AgreementTitle  *string `db:"agreement_title" json:"agreement_title"`
}

// CaseListItem is a joint case as the case list shows it: the case with its agencies taking
// part, its lead unit's name and code, and how many (not removed) suspects and seizures it holds.
type CaseListItem struct {
	phoihop.Case
	LeadUnitName string `db:"lead_unit_name" json:"lead_unit_name"`
	LeadUnitCode string `db:"lead_unit_code" json:"lead_unit_code"`
	Suspects     int    `db:"suspect_count" json:"suspect_count"`
	Seizures     int    `db:"seizure_count" json:"seizure_count"`
}

// CaseFilter selects joint cases; zero fields select everything in the scope.
type CaseFilter struct {
	// From and To bound the period (inclusive days; either may be zero): a case is in it when
	// it was fought in it, that is opened on or before To and not closed before From.
	From, To    phoihop.Date
	LeadAgency  string // only cases this agency leads
	Agency      string // only cases this agency takes part in (leading or not)
	Status      string // phoihop.CaseOpen…
	CrimeType   string // phoihop.CrimeTypes
	Area        string // phoihop.Areas
	AgreementID int64  // only cases under this plan; 0: any
	Search      string // part of the code, title or summary, ignoring case and diacritics
	// Sort is "opened_on", "code", "title", "status" or "lead_agency" (the agencies' stable
	// order), optionally followed by "asc" or "desc" ("code", "title desc");
	// a key alone sorts in its default direction (opened_on: newest first, the others A to Z).
	// "" is "opened_on desc". Ties are broken by id in the same direction.
	Sort   string
	Limit  int // page size: 50 when 0, at most 500
	Offset int // rows skipped before the page
}

// caseSorts are the sort keys of the case list: the SQL each sorts by and whether it sorts
// newest (largest) first when no direction is given.
var caseSorts = map[string]struct {
	Column      string
	DefaultDesc bool
}{
	"opened_on":   {"c.opened_on", true},
	"code":        {"c.code", false},
	"title":       {"c.title", false},
	"status":      {"c.status", false},
	"lead_agency": {"la.sort_order", false},
}

// caseScope is the SQL condition that the case c is readable in sc: one of the agencies taking
// part is in sc.Read, and it is not removed unless sc.Removed.
func caseScope(sc Scope) (string, []any) {
	in, args := inList("r.agency", sc.Read)
	cond := "EXISTS (SELECT 1 FROM case_agencies r WHERE r.case_id = c.id AND " + in + ")"
	if !sc.Removed {
		cond += " AND c.deleted_at IS NULL"
	}
	return cond, args
}

// caseSearch is what cases.search holds.
func caseSearch(c *phoihop.Case) string { return Normalize(c.Code + " " + c.Title + " " + c.Summary) }

// CaseByID returns the joint case with its agencies taking part, lead unit and plan. A case
// none of whose agencies is in sc.Read, a removed one unless sc.Removed, or an unknown id is
// ENotFound.
func (s *Store) CaseByID(ctx context.Context, sc Scope, id int64) (*CaseDetail, error) {
	cond, args := caseScope(sc)
	var d CaseDetail
	err := s.db.GetContext(ctx, &d, s.db.Rebind(`SELECT `+prefixColumns("c.", caseColumns)+`,
		u.name AS lead_unit_name, u.code AS lead_unit_code, g.number AS agreement_number, g.title AS agreement_title
		FROM cases c JOIN units u ON u.id = c.lead_unit LEFT JOIN agreements g ON g.id = c.agreement_id
		WHERE c.id = ? AND `+cond), append([]any{id}, args...)...)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("case")
		}
		return nil, fmt.Errorf("store: case: %w", err)
	}
	agencies, err := s.caseAgencies(ctx, s.db, []int64{id})
	if err != nil {
		return nil, err
	}
	d.Agencies = agencies[id]
	return &d, nil
}

// CaseAgencies returns the agencies taking part in the case (the lead among them) in their
// stable order; ENotFound as CaseByID.
func (s *Store) CaseAgencies(ctx context.Context, sc Scope, caseID int64) ([]string, error) {
	c, err := s.caseWhere(ctx, s.db, sc, caseID)
	if err != nil {
		return nil, err
	}
	return c.Agencies, nil
}

// caseWhere loads a case readable in sc with its agencies.
func (s *Store) caseWhere(ctx context.Context, q sqlx.QueryerContext, sc Scope, id int64) (*phoihop.Case, error) {
	cond, args := caseScope(sc)
	var c phoihop.Case
	err := sqlx.GetContext(ctx, q, &c, s.db.Rebind(`SELECT `+prefixColumns("c.", caseColumns)+`
		FROM cases c WHERE c.id = ? AND `+cond), append([]any{id}, args...)...)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("case")
		}
		return nil, fmt.Errorf("store: case: %w", err)
	}
	agencies, err := s.caseAgencies(ctx, q, []int64{id})
	if err != nil {
		return nil, err
	}
	c.Agencies = agencies[id]
	return &c, nil
}

// caseAgencies returns the agencies taking part in each of the cases, in the agencies' stable
// order, with one query.
func (s *Store) caseAgencies(ctx context.Context, q sqlx.QueryerContext, ids []int64) (map[int64][]string, error) {
	return s.agenciesOf(ctx, q, "case_agencies", "case_id", ids)
}

// agenciesOf reads a join table of records and agencies (case_agencies, agreement_agencies)
// for many records with one query: for each record id, its agencies in their stable order.
// table and idCol are constants of this package, never user input.
func (s *Store) agenciesOf(ctx context.Context, q sqlx.QueryerContext, table, idCol string, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT p.`+idCol+`, p.agency FROM `+table+` p
		JOIN agencies a ON a.code = p.agency WHERE p.`+idCol+` IN (?) ORDER BY p.`+idCol+`, a.sort_order`, ids)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", table, err)
	}
	rows, err := q.QueryxContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var agency string
		if err := rows.Scan(&id, &agency); err != nil {
			return nil, fmt.Errorf("store: %s: %w", table, err)
		}
		out[id] = append(out[id], agency)
	}
	return out, rows.Err()
}

// ListCases returns one page of the joint cases readable in sc that match f, each with its
// agencies, lead unit and counts of suspects and seizures, and the number of matching cases.
// A status, crime type, area or sort outside their lists is EInvalid on that field; a To
// before From EInvalid on "to".
func (s *Store) ListCases(ctx context.Context, sc Scope, f CaseFilter) ([]CaseListItem, int, error) {
	where, args, orderBy, err := caseListQuery(sc, f)
	if err != nil {
		return nil, 0, err
	}
	from := ` FROM cases c WHERE ` + where
	var total int
	if err := s.db.GetContext(ctx, &total, s.db.Rebind(`SELECT count(*)`+from), args...); err != nil {
		return nil, 0, fmt.Errorf("store: list cases: %w", err)
	}
	limit, offset := pageBounds(f.Limit, f.Offset)
	q := `SELECT ` + prefixColumns("c.", caseColumns) + `, u.name AS lead_unit_name, u.code AS lead_unit_code,
		(SELECT count(*) FROM suspects sp WHERE sp.case_id = c.id AND sp.deleted_at IS NULL) AS suspect_count,
		(SELECT count(*) FROM seizures sz WHERE sz.case_id = c.id AND sz.deleted_at IS NULL) AS seizure_count
		FROM cases c JOIN units u ON u.id = c.lead_unit JOIN agencies la ON la.code = c.lead_agency
		WHERE ` + where + ` ORDER BY ` + orderBy + ` LIMIT ? OFFSET ?`
	var items []CaseListItem
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), append(args, limit, offset)...); err != nil {
		return nil, 0, fmt.Errorf("store: list cases: %w", err)
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	agencies, err := s.caseAgencies(ctx, s.db, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range items {
		items[i].Agencies = agencies[items[i].ID]
	}
	return items, total, nil
}

// caseListQuery turns a filter into the WHERE condition (on cases c), its arguments and the
// ORDER BY list of the case list.
func caseListQuery(sc Scope, f CaseFilter) (string, []any, string, error) {
	fe := phoihop.FieldErrors{}
	cond, args := caseScope(sc)
	where := []string{cond}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		fe.Add("to", "The last day is before the first day.")
	}
	if !f.To.IsZero() {
		where = append(where, "c.opened_on <= ?")
		args = append(args, f.To)
	}
	if !f.From.IsZero() {
		where = append(where, "(c.closed_on IS NULL OR c.closed_on >= ?)")
		args = append(args, f.From)
	}
	if v := strings.ToUpper(strings.TrimSpace(f.LeadAgency)); v != "" {
		where = append(where, "c.lead_agency = ?")
		args = append(args, v)
	}
	if v := strings.ToUpper(strings.TrimSpace(f.Agency)); v != "" {
		where = append(where, "EXISTS (SELECT 1 FROM case_agencies p WHERE p.case_id = c.id AND p.agency = ?)")
		args = append(args, v)
	}
	for _, c := range []struct {
		field, col, v string
		choices       []string
	}{
		{"status", "c.status", f.Status, phoihop.CaseStatuses},
		{"crime_type", "c.crime_type", f.CrimeType, phoihop.CrimeTypes},
		{"area", "c.area", f.Area, phoihop.Areas},
	} {
		v := strings.TrimSpace(c.v)
		if v == "" {
			continue
		}
		if !slices.Contains(c.choices, v) {
			fe.Add(c.field, "Choose a value from the list.")
		}
		where = append(where, c.col+" = ?")
		args = append(args, v)
	}
	if f.AgreementID != 0 {
		where = append(where, "c.agreement_id = ?")
		args = append(args, f.AgreementID)
	}
	if q := Normalize(f.Search); q != "" {
		where = append(where, `c.search LIKE ? ESCAPE '\'`)
		args = append(args, containsPattern(q))
	}
	orderBy, ok := caseOrder(f.Sort)
	if !ok {
		fe.Add("sort", "Choose a value from the list.")
	}
	if err := fe.Err(); err != nil {
		return "", nil, "", err
	}
	return strings.Join(where, " AND "), args, orderBy, nil
}

// caseOrder reads a CaseFilter.Sort into its ORDER BY; ok is false when it is not one.
func caseOrder(sort string) (orderBy string, ok bool) {
	parts := strings.Fields(strings.ToLower(sort))
	if len(parts) == 0 {
		parts = []string{"opened_on"}
	}
	key, ok := caseSorts[parts[0]]
	if !ok || len(parts) > 2 {
		return "", false
	}
	dir := "ASC"
	if key.DefaultDesc {
		dir = "DESC"
	}
	if len(parts) == 2 {
		switch parts[1] {
		case "asc":
			dir = "ASC"
		case "desc":
			dir = "DESC"
		default:
			return "", false
		}
	}
	return key.Column + " " + dir + ", c.id " + dir, true
}

// CreateCase validates c and inserts it with its agencies taking part (the lead among them)
// and its audit entry; it sets c's ID, Version and timestamps. Bad fields are EInvalid on
// their field: unknown agencies, a lead unit that does not exist, belongs to another agency or
// was not in service on the opening date ("lead_unit"), a plan that does not exist, is removed
// or is not readable in sc ("agreement_id"). A lead agency outside sc.Write is EForbidden; a
// code already used EConflict on "code".
func (s *Store) CreateCase(ctx context.Context, a phoihop.Actor, sc Scope, c *phoihop.Case) error {
	c.Normalize()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.checkCase(ctx, tx, sc, c, nil); err != nil {
			return err
		}
		now := s.now()
		c.Version, c.CreatedAt, c.UpdatedAt, c.CreatedBy, c.UpdatedBy = 1, now, now, a.UserID, a.UserID
		c.Removal = phoihop.Removal{}
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO cases
			(code, title, crime_type, lead_agency, lead_unit, agreement_id, area, opened_on, closed_on,
			 status, summary, search, version, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			c.Code, c.Title, c.CrimeType, c.LeadAgency, c.LeadUnitID, c.AgreementID, c.Area, c.OpenedOn, c.ClosedOn,
			c.Status, c.Summary, caseSearch(c), c.Version, c.CreatedAt, c.CreatedBy, c.UpdatedAt, c.UpdatedBy).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("store: create case: %w", err)
		}
		if err := s.addCaseAgencies(ctx, tx, c.ID, c.Agencies); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "case.create", "case", c.ID, c.LeadAgency, nil, c)
	})
}

// UpdateCase saves c's fields and agencies over the case with c.ID; c.Version is the version
// the caller last read. A case the caller cannot read (or a removed one) is ENotFound; one
// whose lead agency is not in sc.Write EForbidden, as is handing the lead to an agency outside
// sc.Write; a stale version EConflict, changing nothing. An agency that recorded suspects or
// seizures in the case (removed ones too: they keep their reference) cannot leave it: EInvalid
// on "agencies". The plan is checked as in CreateCase only when it changes. On success c holds
// the saved case with its new version.
func (s *Store) UpdateCase(ctx context.Context, a phoihop.Actor, sc Scope, c *phoihop.Case) error {
	c.Normalize()
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.caseForWrite(ctx, tx, sc, c.ID, c.Version)
		if err != nil {
			return err
		}
		if err := s.checkCase(ctx, tx, sc, c, before); err != nil {
			return err
		}
		after := *c
		after.Removal = phoihop.Removal{}
		after.Audit = before.Audit
		after.Version, after.UpdatedAt, after.UpdatedBy = before.Version+1, s.now(), a.UserID
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE cases SET code = ?, title = ?, crime_type = ?,
			lead_agency = ?, lead_unit = ?, agreement_id = ?, area = ?, opened_on = ?, closed_on = ?,
			status = ?, summary = ?, search = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE id = ? AND version = ? AND deleted_at IS NULL`),
			after.Code, after.Title, after.CrimeType, after.LeadAgency, after.LeadUnitID, after.AgreementID,
			after.Area, after.OpenedOn, after.ClosedOn, after.Status, after.Summary, caseSearch(&after),
			after.UpdatedAt, after.UpdatedBy, before.ID, before.Version)
		if err != nil {
			return fmt.Errorf("store: update case: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleError("case")
		}
		if err := s.replaceCaseAgencies(ctx, tx, before, after.Agencies); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "case.update", "case", before.ID, after.LeadAgency, before, &after); err != nil {
			return err
		}
		*c = after
		return nil
	})
}

// RemoveCase removes (soft-deletes) the case: it disappears from lists and reports. version is
// the version the caller last read; reason (1 to 500 characters) is EInvalid on "reason" when
// missing. Reading and writing rules and errors are UpdateCase's.
func (s *Store) RemoveCase(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	reason, err := phoihop.RemovalReason(reason)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		before, err := s.caseForWrite(ctx, tx, sc, id, version)
		if err != nil {
			return err
		}
		now, err := s.softDelete(ctx, tx, a, "cases", "case", id, before.Version, reason)
		if err != nil {
			return err
		}
		after := *before
		markRemoved(&after.Removal, &after.Audit, a, now, reason)
		return s.audit(ctx, tx, a, "case.remove", "case", id, before.LeadAgency, before, &after)
	})
}

// caseForWrite loads a case for an edit made on version: ENotFound when the caller cannot read
// it or it is removed, EForbidden when its lead agency is not in sc.Write, the stale EConflict
// when it changed since.
func (s *Store) caseForWrite(ctx context.Context, tx *sqlx.Tx, sc Scope, id int64, version int) (*phoihop.Case, error) {
	sc.Removed = false
	c, err := s.caseWhere(ctx, tx, sc, id)
	if err != nil {
		return nil, err
	}
	if !sc.CanWrite(c.LeadAgency) {
		return nil, phoihop.Errorf(phoihop.EForbidden, "Only the lead agency can edit this case.")
	}
	if c.Version != version {
		return nil, staleError("case")
	}
	return c, nil
}

// checkCase validates a normalized case against its own rules and the database: known
// agencies, the lead agency in sc.Write (else EForbidden), the lead unit, the plan (only when
// it differs from before's; before is nil for a new case) and, for an edit, the agencies that
// cannot leave the case.
func (s *Store) checkCase(ctx context.Context, tx *sqlx.Tx, sc Scope, c, before *phoihop.Case) error {
	f := phoihop.FieldErrors{}
	var invalid *phoihop.Error
	if errors.As(c.Validate(s.today()), &invalid) {
		maps.Copy(f, invalid.Fields)
	}
	unknown, err := s.unknownAgencies(ctx, tx, c.Agencies)
	if err != nil {
		return err
	}
	if slices.Contains(unknown, c.LeadAgency) {
		f.Add("lead_agency", "Choose one of the agencies in the list.")
	}
	if len(unknown) > 0 {
		f.Add("agencies", "Choose one of the agencies in the list.")
	}
	if _, bad := f["lead_agency"]; !bad && c.LeadAgency != "" && !sc.CanWrite(c.LeadAgency) {
		msg := "Your agency can only create cases it leads."
		if before != nil {
			msg = "You cannot make an agency whose records you do not manage the lead of this case."
		}
		return &phoihop.Error{Code: phoihop.EForbidden, Message: msg, Fields: map[string]string{"lead_agency": msg}}
	}
	if c.LeadUnitID != 0 {
		unit, err := s.unitWhere(ctx, tx, "id = ?", c.LeadUnitID)
		switch {
		case phoihop.ErrorCode(err) == phoihop.ENotFound:
			f.Add("lead_unit", "The unit does not exist.")
		case err != nil:
			return err
		case c.LeadAgency != "" && unit.Agency != c.LeadAgency:
			f.Add("lead_unit", "The unit does not belong to the lead agency.")
		case !c.OpenedOn.IsZero() && !unit.ActiveOn(c.OpenedOn):
			f.Add("lead_unit", "The unit was not in service on the opening date.")
		}
	}
	if c.AgreementID != nil && (before == nil || before.AgreementID == nil || *before.AgreementID != *c.AgreementID) {
		readable := sc
		readable.Removed = false
		if _, err := s.agreementWhere(ctx, tx, readable, *c.AgreementID); phoihop.ErrorCode(err) == phoihop.ENotFound {
			f.Add("agreement_id", "Choose a coordination plan from the list.")
		} else if err != nil {
			return err
		}
	}
	if before != nil {
		if err := s.checkAgenciesLeaving(ctx, tx, f, before, c.Agencies); err != nil {
			return err
		}
	}
	return f.Err()
}

// checkAgenciesLeaving adds an error on "agencies" to f when an agency of before that is not
// in agencies recorded suspects or seizures in the case: their rows reference the agency's
// place in the case (suspects_case_agency_fkey, seizures_case_agency_fkey), removed rows too.
func (s *Store) checkAgenciesLeaving(ctx context.Context, tx *sqlx.Tx, f phoihop.FieldErrors, before *phoihop.Case, agencies []string) error {
	var leaving []string
	for _, a := range before.Agencies {
		if !slices.Contains(agencies, a) {
			leaving = append(leaving, a)
		}
	}
	if len(leaving) == 0 {
		return nil
	}
	q, args, err := sqlx.In(`SELECT
		(SELECT count(*) FROM suspects WHERE case_id = ? AND agency IN (?)) +
		(SELECT count(*) FROM seizures WHERE case_id = ? AND agency IN (?))`, before.ID, leaving, before.ID, leaving)
	if err != nil {
		return fmt.Errorf("store: case agencies: %w", err)
	}
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(q), args...); err != nil {
		return fmt.Errorf("store: case agencies: %w", err)
	}
	if n > 0 {
		f.Add("agencies", agencyLeavingMsg)
	}
	return nil
}

const agencyLeavingMsg = "An agency that recorded arrests or seizures in this case stays among the agencies taking part."

// replaceCaseAgencies makes agencies the set of agencies taking part in the case, deleting
// only those that leave and inserting only those that join, so the rows suspects and seizures
// reference stay in place.
func (s *Store) replaceCaseAgencies(ctx context.Context, tx *sqlx.Tx, before *phoihop.Case, agencies []string) error {
	var leaving, joining []string
	for _, a := range before.Agencies {
		if !slices.Contains(agencies, a) {
			leaving = append(leaving, a)
		}
	}
	for _, a := range agencies {
		if !slices.Contains(before.Agencies, a) {
			joining = append(joining, a)
		}
	}
	if len(leaving) > 0 {
		q, args, err := sqlx.In(`DELETE FROM case_agencies WHERE case_id = ? AND agency IN (?)`, before.ID, leaving)
		if err != nil {
			return fmt.Errorf("store: case agencies: %w", err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), args...); err != nil {
			// A suspect or seizure recorded meanwhile (PostgreSQL names the constraint).
			var ce *ConstraintError
			if errors.As(mapError(err), &ce) && (ce.Constraint == "suspects_case_agency_fkey" || ce.Constraint == "seizures_case_agency_fkey") {
				return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
					Fields: map[string]string{"agencies": agencyLeavingMsg}}
			}
			return fmt.Errorf("store: case agencies: %w", err)
		}
	}
	return s.addCaseAgencies(ctx, tx, before.ID, joining)
}

func (s *Store) addCaseAgencies(ctx context.Context, tx *sqlx.Tx, id int64, agencies []string) error {
	for _, agency := range agencies {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO case_agencies (case_id, agency) VALUES (?, ?)`), id, agency); err != nil {
			return fmt.Errorf("store: case agencies: %w", err)
		}
	}
	return nil
}

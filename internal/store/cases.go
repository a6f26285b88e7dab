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

// caseSorts are the sort keys of the case list; ties are broken by id in the same direction.
var caseSorts = map[string]sortKey{
	"opened_on":   {"c.opened_on ASC, c.id ASC", "c.opened_on DESC, c.id DESC", true},
	"code":        {"c.code ASC, c.id ASC", "c.code DESC, c.id DESC", false},
	"title":       {"c.title ASC, c.id ASC", "c.title DESC, c.id DESC", false},
	"status":      {"c.status ASC, c.id ASC", "c.status DESC, c.id DESC", false},
	"lead_agency": {"la.sort_order ASC, c.id ASC", "la.sort_order DESC, c.id DESC", false},
}

// caseKind is how the write helpers every kind shares (write.go) handle cases: only the lead
// agency changes a case, and its changes are audited in the lead agency's domain.
var caseKind = kind[phoihop.Case]{
	versioned: versioned{table: "cases", entity: "case", removable: true},
	prepare: func(_ *Store, c *phoihop.Case) error {
		c.Agencies = slices.Clone(c.Agencies) // Normalize appends to the caller's list
		c.Normalize()
		return nil // checkCase validates, with the database
	},
	read:      (*Store).caseWhere,
	owners:    func(c *phoihop.Case) []string { return []string{c.LeadAgency} },
	forbidden: "Only the lead agency can edit this case.",
	fields:    func(c *phoihop.Case) (*int64, *phoihop.Removal, *phoihop.Audit) { return &c.ID, &c.Removal, &c.Audit },
	locking: func(_ *Store, _ context.Context, _ sqlx.QueryerContext, c *phoihop.Case) (dated, error) {
		return caseDated(c), nil
	},
}

// caseDated is what the period locks see of a case: the agencies taking part (the lead among
// them), its opening and closing days.
func caseDated(c *phoihop.Case) dated { return datedOn(c.Agencies, c.OpenedOn, c.ClosedOn) }

// caseSearch is what cases.search holds.
func caseSearch(c *phoihop.Case) string { return Normalize(c.Code + " " + c.Title + " " + c.Summary) }

// CaseWithRecords returns the joint case as CaseByID does, with its arrests and seizures as
// SuspectsOfCase and SeizuresOfCase list them: what the case's page shows, with one check that
// sc reads the case. A case sc does not read is ENotFound.
func (s *Store) CaseWithRecords(ctx context.Context, sc Scope, id int64) (*CaseDetail, []SuspectItem, []SeizureItem, error) {
	cd, err := s.CaseByID(ctx, sc, id)
	if err != nil {
		return nil, nil, nil, err
	}
	suspects, err := s.suspectsOfCase(ctx, sc, id)
	if err != nil {
		return nil, nil, nil, err
	}
	seizures, err := s.seizuresOfCase(ctx, sc, id)
	if err != nil {
		return nil, nil, nil, err
	}
	return cd, suspects, seizures, nil
}

// CaseByID returns the joint case with its agencies taking part, lead unit and plan. A case
// none of whose agencies is in sc.Read, a removed one unless sc.Removed, or an unknown id is
// ENotFound.
func (s *Store) CaseByID(ctx context.Context, sc Scope, id int64) (*CaseDetail, error) {
	cond, args := caseReadable("c", sc)
	var d CaseDetail
	err := s.getOne(ctx, s.db, &d, "case", `SELECT `+prefixColumns("c.", caseColumns)+`,
		u.name AS lead_unit_name, u.code AS lead_unit_code, g.number AS agreement_number, g.title AS agreement_title
		FROM cases c JOIN units u ON u.id = c.lead_unit LEFT JOIN agreements g ON g.id = c.agreement_id
		WHERE c.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	err = s.setAgencies(ctx, s.db, "case_agencies", "case_id", 1, func(int) (int64, *[]string) { return id, &d.Agencies })
	if err != nil {
		return nil, err
	}
	invited, err := s.openInvitations(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	d.Invited = phoihop.NormalizeAgencies(slices.Collect(maps.Keys(invited)))
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
	cond, args := caseReadable("c", sc)
	var c phoihop.Case
	err := s.getOne(ctx, q, &c, "case", `SELECT `+prefixColumns("c.", caseColumns)+`
		FROM cases c WHERE c.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	err = s.setAgencies(ctx, q, "case_agencies", "case_id", 1, func(int) (int64, *[]string) { return id, &c.Agencies })
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// setAgencies reads a join table of records and agencies (case_agencies, agreement_agencies)
// for n records with one query and gives each its agencies in their stable order: record(i)
// returns the id of the i-th record and where its agencies go. table and idCol are constants of
// this package, never user input.
func (s *Store) setAgencies(ctx context.Context, q sqlx.QueryerContext, table, idCol string, n int, record func(i int) (int64, *[]string)) error {
	if n == 0 {
		return nil
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i], _ = record(i)
	}
	query, args, err := sqlx.In(`SELECT p.`+idCol+`, p.agency FROM `+table+` p
		JOIN agencies a ON a.code = p.agency WHERE p.`+idCol+` IN (?) ORDER BY p.`+idCol+`, a.sort_order`, ids)
	if err != nil {
		return fmt.Errorf("store: %s: %w", table, err)
	}
	rows, err := q.QueryxContext(ctx, s.db.Rebind(query), args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", table, err)
	}
	defer rows.Close()
	byID := make(map[int64][]string, n)
	for rows.Next() {
		var id int64
		var agency string
		if err := rows.Scan(&id, &agency); err != nil {
			return fmt.Errorf("store: %s: %w", table, err)
		}
		byID[id] = append(byID[id], agency)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range n {
		id, agencies := record(i)
		*agencies = byID[id]
	}
	return nil
}

// ListCases returns one page of the joint cases readable in sc that match f, each with its
// agencies, lead unit and counts of suspects and seizures, and the number of matching cases.
// A status, crime type, area or sort outside their lists is EInvalid on that field; a To
// before From EInvalid on "to".
func (s *Store) ListCases(ctx context.Context, sc Scope, f CaseFilter) ([]CaseListItem, int, error) {
	where, args, order, err := caseListQuery(sc, f)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := listPage[CaseListItem](ctx, s, "list cases", `SELECT count(*) FROM cases c WHERE `+where, args,
		`SELECT `+prefixColumns("c.", caseColumns)+`, u.name AS lead_unit_name, u.code AS lead_unit_code,
		(SELECT count(*) FROM suspects sp WHERE sp.case_id = c.id AND sp.deleted_at IS NULL) AS suspect_count,
		(SELECT count(*) FROM seizures sz WHERE sz.case_id = c.id AND sz.deleted_at IS NULL) AS seizure_count
		FROM cases c JOIN units u ON u.id = c.lead_unit JOIN agencies la ON la.code = c.lead_agency
		WHERE `+where+` ORDER BY `+order, args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	err = s.setAgencies(ctx, s.db, "case_agencies", "case_id", len(items), func(i int) (int64, *[]string) {
		return items[i].ID, &items[i].Agencies
	})
	if err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// caseListQuery turns a filter into the WHERE condition (on cases c), its arguments and the
// ORDER BY list of the case list.
func caseListQuery(sc Scope, f CaseFilter) (string, []any, string, error) {
	fe := phoihop.FieldErrors{}
	cond, args := caseReadable("c", sc)
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
	where, args, bad := choiceConds(where, args,
		choice{"status", "c.status", f.Status, phoihop.CaseStatuses},
		choice{"crime_type", "c.crime_type", f.CrimeType, phoihop.CrimeTypes},
		choice{"area", "c.area", f.Area, phoihop.Areas})
	for _, field := range bad {
		fe.Add(field, "Choose a value from the list.")
	}
	if f.AgreementID != 0 {
		where = append(where, "c.agreement_id = ?")
		args = append(args, f.AgreementID)
	}
	if q := Normalize(f.Search); q != "" {
		where = append(where, `c.search LIKE ? ESCAPE '\'`)
		args = append(args, containsPattern(q))
	}
	order, ok := orderBy(f.Sort, caseSorts, "opened_on")
	if !ok {
		fe.Add("sort", "Choose a value from the list.")
	}
	if err := fe.Err(); err != nil {
		return "", nil, "", err
	}
	return strings.Join(where, " AND "), args, order, nil
}

// CreateCase validates c and inserts it with its agencies taking part (the lead among them)
// and its audit entry; on success c holds the case as stored, with its ID, Version and
// timestamps, and a refused create leaves c as it was. Bad fields are EInvalid on their field:
// unknown agencies, a lead unit that does not exist, belongs to another agency or was not in
// service on the opening date ("lead_unit"), a plan that does not exist, is removed or is not
// readable in sc ("agreement_id"). A lead agency outside sc.Write is EForbidden; a code already
// used EConflict on "code".
func (s *Store) CreateCase(ctx context.Context, a phoihop.Actor, sc Scope, c *phoihop.Case) error {
	return caseKind.save(ctx, s, c, func(tx *sqlx.Tx, nc *phoihop.Case) error {
		if err := s.checkCase(ctx, tx, sc, nc, nil); err != nil {
			return err
		}
		open, err := s.planCaseAgencies(ctx, tx, sc, nc, nil)
		if err != nil {
			return err
		}
		err = caseKind.insert(ctx, s, tx, a, sc, nc, `code, title, crime_type, lead_agency, lead_unit,
			agreement_id, area, opened_on, closed_on, status, summary, search`,
			nc.Code, nc.Title, nc.CrimeType, nc.LeadAgency, nc.LeadUnitID, nc.AgreementID, nc.Area, nc.OpenedOn,
			nc.ClosedOn, nc.Status, nc.Summary, caseSearch(nc))
		if err != nil {
			return err
		}
		return s.applyCaseAgencies(ctx, tx, a, nc, nil, open)
	})
}

// UpdateCase saves c's fields and agencies over the case with c.ID; c.Version is the version
// the caller last read. A case the caller cannot read (or a removed one) is ENotFound; one
// whose lead agency is not in sc.Write EForbidden, as is handing the lead to an agency outside
// sc.Write; a stale version EConflict, changing nothing. An agency that recorded suspects or
// seizures in the case (removed ones too: they keep their reference) cannot leave it: EInvalid
// on "agencies". The plan is checked as in CreateCase only when it changes. On success c holds
// the saved case with its new version; a refused update leaves c as it was.
func (s *Store) UpdateCase(ctx context.Context, a phoihop.Actor, sc Scope, c *phoihop.Case) error {
	return caseKind.saveOver(ctx, s, sc, c, func(tx *sqlx.Tx, before, nc *phoihop.Case) error {
		return s.updateCaseTx(ctx, tx, a, sc, before, nc)
	})
}

// updateCaseTx is UpdateCase's change inside tx: nc, prepared, over before, the record as
// forWrite read it. The import (imports.go) updates records with it too.
func (s *Store) updateCaseTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, sc Scope, before, nc *phoihop.Case) error {
	if err := s.checkCase(ctx, tx, sc, nc, before); err != nil {
		return err
	}
	open, err := s.planCaseAgencies(ctx, tx, sc, nc, before)
	if err != nil {
		return err
	}
	err = caseKind.update(ctx, s, tx, a, sc, before, nc, `code = ?, title = ?, crime_type = ?,
		lead_agency = ?, lead_unit = ?, agreement_id = ?, area = ?, opened_on = ?, closed_on = ?,
		status = ?, summary = ?, search = ?`,
		nc.Code, nc.Title, nc.CrimeType, nc.LeadAgency, nc.LeadUnitID, nc.AgreementID, nc.Area,
		nc.OpenedOn, nc.ClosedOn, nc.Status, nc.Summary, caseSearch(nc))
	if err != nil {
		return err
	}
	return s.applyCaseAgencies(ctx, tx, a, nc, before, open)
}

// RemoveCase removes (soft-deletes) the case: it disappears from lists and reports. version is
// the version the caller last read; reason (1 to 500 characters) is EInvalid on "reason" when
// missing. Reading and writing rules and errors are UpdateCase's.
func (s *Store) RemoveCase(ctx context.Context, a phoihop.Actor, sc Scope, id int64, version int, reason string) error {
	return caseKind.remove(ctx, s, a, sc, id, version, reason)
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
	unknown, err := s.unknownAgencies(ctx, tx, append(slices.Clone(c.Agencies), c.Invited...))
	if err != nil {
		return err
	}
	var unit *phoihop.Unit
	if c.LeadUnitID != 0 {
		if unit, err = s.unitWhere(ctx, tx, "id = ?", c.LeadUnitID); phoihop.ErrorCode(err) == phoihop.ENotFound {
			unit = nil
		} else if err != nil {
			return err
		}
	}
	agreementKnown := true
	if c.AgreementID != nil && (before == nil || before.AgreementID == nil || *before.AgreementID != *c.AgreementID) {
		readable := sc
		readable.Removed = false
		if _, err := s.agreementWhere(ctx, tx, readable, *c.AgreementID); phoihop.ErrorCode(err) == phoihop.ENotFound {
			agreementKnown = false
		} else if err != nil {
			return err
		}
	}
	if err := caseRules(f, sc, c, before, unknown, unit, agreementKnown); err != nil {
		return err
	}
	if before != nil {
		if err := s.checkAgenciesLeaving(ctx, tx, f, before, c.Agencies); err != nil {
			return err
		}
	}
	return f.Err()
}

// caseRules are the rules of a case that need the database, given what it holds: unknown
// are the case's agency codes (taking part or invited) that are no agency, unit is its lead
// unit (nil when none has its LeadUnitID), agreementKnown whether its plan, when set and new,
// is one sc reads. Field errors go to f; a lead agency outside sc.Write is the EForbidden
// returned. checkCase and the import (imports.go) both apply them.
func caseRules(f phoihop.FieldErrors, sc Scope, c, before *phoihop.Case, unknown []string, unit *phoihop.Unit, agreementKnown bool) error {
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
	switch {
	case c.LeadUnitID == 0:
	case unit == nil:
		f.Add("lead_unit", "The unit does not exist.")
	case c.LeadAgency != "" && unit.Agency != c.LeadAgency:
		f.Add("lead_unit", "The unit does not belong to the lead agency.")
	case !c.OpenedOn.IsZero() && !unit.ActiveOn(c.OpenedOn):
		f.Add("lead_unit", "The unit was not in service on the opening date.")
	}
	if !agreementKnown {
		f.Add("agreement_id", "Choose a coordination plan from the list.")
	}
	return nil
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

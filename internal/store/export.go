package store

import (
	"context"
	"fmt"

	"phoihop/internal/phoihop"
)

// Export streams the detail rows of the summary report: the records that count in the summary
// of Filter (same period semantics and agency scope, removed records and records of removed
// cases left out) and that Scope reads (the record scoping of the pages; Scope.Removed is
// ignored). Each method runs one query and calls fn for every row in order (date, then id);
// the row passed to fn is reused and valid only during the call. An error from fn stops the
// query and is returned as is. A bad Filter is EInvalid as in Store.Summary.
type Export struct {
	Store  *Store
	Filter SummaryFilter
	Scope  Scope
}

// AgencyNames are an agency's code and names.
type AgencyNames struct {
	Code   string `db:"code"`
	NameVI string `db:"name_vi"`
	NameEN string `db:"name_en"`
}

// CaseRow is one joint case fought in the period.
type CaseRow struct {
	ID              int64        `db:"id"`
	Code            string       `db:"code"`
	Title           string       `db:"title"`
	CrimeType       string       `db:"crime_type"` // code; the encoder names it
	Area            string       `db:"area"`       // code
	Status          string       `db:"status"`     // code
	LeadAgency      AgencyNames  `db:"lead_agency"`
	LeadUnit        string       `db:"lead_unit"`        // unit name
	LeadParentUnit  string       `db:"lead_parent_unit"` // name of the lead unit's parent, "" at the top
	Agencies        string       `db:"agencies"`         // codes of the agencies taking part, in their order, joined by ", "
	AgreementNumber string       `db:"agreement_number"` // "" when none
	OpenedOn        phoihop.Date `db:"opened_on"`
	ClosedOn        phoihop.Date `db:"closed_on"` // zero when open
	Suspects        int          `db:"suspects"`  // suspects of the case (not removed) arrested in the period by the report's agencies
	Summary         string       `db:"summary"`
}

// SeizureRow is one seizure made in the period.
type SeizureRow struct {
	ID            int64            `db:"id"`
	CaseCode      string           `db:"case_code"`
	CaseTitle     string           `db:"case_title"`
	Category      string           `db:"category"`
	CategoryVI    string           `db:"category_vi"`
	CategoryEN    string           `db:"category_en"`
	Group         string           `db:"item_group"`
	Unit          string           `db:"unit"` // unit of measure: tablet, g, piece…
	Quantity      phoihop.Quantity `db:"quantity_milli"`
	SeizedOn      phoihop.Date     `db:"seized_on"`
	Agency        AgencyNames      `db:"agency"`
	SeizingUnit   string           `db:"seizing_unit"`
	ParentUnit    string           `db:"parent_unit"`
	LocationType  string           `db:"location_type"`  // code, "" when unknown
	TransportMode string           `db:"transport_mode"` // code, "" when unknown
	Departure     string           `db:"departure"`      // ISO country code, "" when unknown
	Destination   string           `db:"destination"`
	Description   string           `db:"description"`
}

// SuspectRow is one suspect arrested in the period (personal data: only for readers allowed).
type SuspectRow struct {
	ID            int64        `db:"id"`
	CaseCode      string       `db:"case_code"`
	FullName      string       `db:"full_name"`
	BirthYear     int          `db:"birth_year"` // 0 when unknown
	Gender        string       `db:"gender"`     // code
	Nationality   string       `db:"nationality"`
	IDNumber      string       `db:"id_number"`
	Address       string       `db:"address"`
	ArrestedOn    phoihop.Date `db:"arrested_on"`
	Agency        AgencyNames  `db:"agency"`
	ArrestingUnit string       `db:"arresting_unit"`
	ParentUnit    string       `db:"parent_unit"`
	Notes         string       `db:"notes"`
}

// ExchangeRow is one information exchange held in the period.
type ExchangeRow struct {
	ID             int64        `db:"id"`
	HeldOn         phoihop.Date `db:"held_on"`
	Kind           string       `db:"kind"` // code
	Organizer      AgencyNames  `db:"organizer"`
	OrganizingUnit string       `db:"organizing_unit"`
	Units          string       `db:"units"` // names of the units taking part, in agency then name order, joined by "; "
	Summary        string       `db:"summary"`
}

// TipRow is one tip received, or verified as valuable, in the period.
type TipRow struct {
	ID             int64        `db:"id"`
	ReceivedOn     phoihop.Date `db:"received_on"`
	Agency         AgencyNames  `db:"agency"`
	SourceUnit     string       `db:"source_unit"`
	ExchangeHeldOn phoihop.Date `db:"exchange_held_on"` // zero when none or not readable
	Subject        string       `db:"subject"`
	CrimeType      string       `db:"crime_type"` // code
	Status         string       `db:"status"`     // code
	VerifiedOn     phoihop.Date `db:"verified_on"`
	CaseCode       string       `db:"case_code"` // "" when none or not readable
	// SourceReliability and InformationValidity are the tip's grade (A, B, C, X and 1 to 4),
	// "" when it is not graded.
	SourceReliability   string `db:"source_reliability"`
	InformationValidity string `db:"information_validity"`
	HandlingNote        string `db:"handling_note"`
}

// agencyColumns selects the code and names of the agencies row a as the nested AgencyNames
// named prefix.
func agencyColumns(a, prefix string) string {
	return a + `.code AS "` + prefix + `.code", ` + a + `.name_vi AS "` + prefix + `.name_vi", ` +
		a + `.name_en AS "` + prefix + `.name_en"`
}

// readScope is the export's record scope: removed records are never exported.
func (x Export) readScope() Scope {
	sc := x.Scope
	sc.Removed = false
	return sc
}

// stream runs the query that query builds for the export's period and calls fn for every
// row, scanned into one reused T.
func stream[T any](ctx context.Context, x Export, what string, query func(summaryQuery) (string, []any), fn func(*T) error) error {
	q, err := newSummaryQuery(x.Filter)
	if err != nil {
		return err
	}
	sql, args := query(q)
	rows, err := x.Store.db.QueryxContext(ctx, x.Store.db.Rebind(sql), args...)
	if err != nil {
		return fmt.Errorf("store: export %s: %w", what, err)
	}
	defer rows.Close()
	var row T
	for rows.Next() {
		if err := rows.StructScan(&row); err != nil {
			return fmt.Errorf("store: export %s: %w", what, err)
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: export %s: %w", what, err)
	}
	return nil
}

// Cases streams the joint cases fought in the period, by opening date then id.
func (x Export) Cases(ctx context.Context, fn func(*CaseRow) error) error {
	return stream(ctx, x, "cases", x.casesQuery, fn)
}

// casesQuery is the query of Cases and its arguments.
func (x Export) casesQuery(q summaryQuery) (string, []any) {
	s := x.Store
	suspects, args := q.caseRecords("arrested_on")
	where, wArgs := q.cases()
	scope, sArgs := caseReadable("c", x.readScope())
	query := `SELECT c.id, c.code, c.title, c.crime_type, c.area, c.status, ` + agencyColumns("la", "lead_agency") + `,
		lu.name AS lead_unit, COALESCE(lp.name, '') AS lead_parent_unit,
		COALESCE((SELECT ` + s.joined("ag.code", ", ", "ag.sort_order") + ` FROM case_agencies cg
			JOIN agencies ag ON ag.code = cg.agency WHERE cg.case_id = c.id), '') AS agencies,
		COALESCE(g.number, '') AS agreement_number, c.opened_on, c.closed_on,
		(SELECT count(*) FROM suspects x WHERE x.case_id = c.id AND ` + suspects + `) AS suspects, c.summary
		FROM cases c JOIN agencies la ON la.code = c.lead_agency JOIN units lu ON lu.id = c.lead_unit
		LEFT JOIN units lp ON lp.id = lu.parent_id LEFT JOIN agreements g ON g.id = c.agreement_id
		WHERE ` + where + ` AND ` + scope + ` ORDER BY c.opened_on, c.id`
	return query, append(append(args, wArgs...), sArgs...)
}

// Seizures streams the seizures made in the period, by seizure date then id.
func (x Export) Seizures(ctx context.Context, fn func(*SeizureRow) error) error {
	return stream(ctx, x, "seizures", x.seizuresQuery, fn)
}

// seizuresQuery is the query of Seizures and its arguments.
func (x Export) seizuresQuery(q summaryQuery) (string, []any) {
	where, args := q.caseRecords("seized_on")
	scope, sArgs := caseReadable("c", x.readScope())
	query := `SELECT x.id, c.code AS case_code, c.title AS case_title, x.category, ic.name_vi AS category_vi,
		ic.name_en AS category_en, ic.item_group, ic.unit, x.quantity_milli, x.seized_on, ` + agencyColumns("a", "agency") + `,
		u.name AS seizing_unit, COALESCE(p.name, '') AS parent_unit, COALESCE(x.location_type, '') AS location_type,
		COALESCE(x.transport_mode, '') AS transport_mode, COALESCE(x.departure_country, '') AS departure,
		COALESCE(x.destination_country, '') AS destination, x.description
		FROM seizures x JOIN cases c ON c.id = x.case_id JOIN item_categories ic ON ic.code = x.category
		JOIN agencies a ON a.code = x.agency JOIN units u ON u.id = x.seizing_unit LEFT JOIN units p ON p.id = u.parent_id
		WHERE ` + where + ` AND ` + scope + ` ORDER BY x.seized_on, x.id`
	return query, append(args, sArgs...)
}

// Suspects streams the suspects arrested in the period, by arrest date then id.
func (x Export) Suspects(ctx context.Context, fn func(*SuspectRow) error) error {
	return stream(ctx, x, "suspects", x.suspectsQuery, fn)
}

// suspectsQuery is the query of Suspects and its arguments.
func (x Export) suspectsQuery(q summaryQuery) (string, []any) {
	where, args := q.caseRecords("arrested_on")
	scope, sArgs := caseReadable("c", x.readScope())
	query := `SELECT x.id, c.code AS case_code, x.full_name, COALESCE(x.birth_year, 0) AS birth_year, x.gender,
		x.nationality, x.id_number, x.address, x.arrested_on, ` + agencyColumns("a", "agency") + `,
		u.name AS arresting_unit, COALESCE(p.name, '') AS parent_unit, x.notes
		FROM suspects x JOIN cases c ON c.id = x.case_id JOIN agencies a ON a.code = x.agency
		JOIN units u ON u.id = x.arresting_unit LEFT JOIN units p ON p.id = u.parent_id
		WHERE ` + where + ` AND ` + scope + ` ORDER BY x.arrested_on, x.id`
	return query, append(args, sArgs...)
}

// Exchanges streams the information exchanges held in the period, by date then id.
func (x Export) Exchanges(ctx context.Context, fn func(*ExchangeRow) error) error {
	return stream(ctx, x, "exchanges", x.exchangesQuery, fn)
}

// exchangesQuery is the query of Exchanges and its arguments.
func (x Export) exchangesQuery(q summaryQuery) (string, []any) {
	where, args := q.exchanges()
	readable, rArgs := exchangeReadable("e", x.readScope())
	query := `SELECT e.id, e.held_on, e.kind, ` + agencyColumns("a", "organizer") + `, o.name AS organizing_unit,
		COALESCE((SELECT ` + x.Store.joined("pu.name", "; ", "pa.sort_order, pu.name, pu.id") + `
			FROM exchange_units pe JOIN units pu ON pu.id = pe.unit_id JOIN agencies pa ON pa.code = pe.agency
			WHERE pe.exchange_id = e.id), '') AS units, e.summary
		FROM exchanges e JOIN agencies a ON a.code = e.agency JOIN units o ON o.id = e.organizing_unit
		WHERE ` + where + ` AND ` + readable + ` ORDER BY e.held_on, e.id`
	return query, append(args, rArgs...)
}

// Tips streams the tips received, or verified as valuable, in the period, by date received
// then id. The exchange and the case of a tip are left empty when the scope does not read
// them or they are removed.
func (x Export) Tips(ctx context.Context, fn func(*TipRow) error) error {
	return stream(ctx, x, "tips", x.tipsQuery, fn)
}

// tipsQuery is the query of Tips and its arguments.
func (x Export) tipsQuery(q summaryQuery) (string, []any) {
	sc := x.readScope()
	xReadable, args := exchangeReadable("xe", sc)
	cReadable, cArgs := caseReadable("c", sc)
	where, wArgs := q.tips()
	in, inArgs := inList("t.agency", sc.Read)
	query := `SELECT t.id, t.received_on, ` + agencyColumns("a", "agency") + `, u.name AS source_unit,
		xe.held_on AS exchange_held_on, t.subject, t.crime_type, t.status, t.verified_on,
		COALESCE(c.code, '') AS case_code, COALESCE(t.source_reliability, '') AS source_reliability,
		COALESCE(t.information_validity, '') AS information_validity, t.handling_note
		FROM tips t JOIN agencies a ON a.code = t.agency JOIN units u ON u.id = t.source_unit
		LEFT JOIN exchanges xe ON xe.id = t.exchange_id AND xe.deleted_at IS NULL AND ` + xReadable + `
		LEFT JOIN cases c ON c.id = t.case_id AND ` + cReadable + `
		WHERE ` + where + ` AND ` + in + ` AND (t.received_on >= ? AND t.received_on <= ?
			OR t.status = 'valuable' AND t.verified_on >= ? AND t.verified_on <= ?)
		ORDER BY t.received_on, t.id`
	args = append(append(append(append(args, cArgs...), wArgs...), inArgs...), q.f.From, q.f.To, q.f.From, q.f.To)
	return query, args
}

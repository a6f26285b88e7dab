package store

// The SQL of the summary report: the conditions of the period and scope, and the statements
// Summary runs (also handed out bare by SummaryStatements for EXPLAIN and the benchmarks).

import (
	"slices"
	"strings"

	"phoihop/internal/phoihop"
)

// summaryQuery holds the normalised filter and builds the WHERE conditions of the report.
type summaryQuery struct {
	f        SummaryFilter
	agencies []string // nil: all
	years    bool     // count by calendar year too (the compared period is not)
}

// previous returns the query of the period q is compared with, and whether there is one: the
// same scope and plan over the filter's CompareFrom–CompareTo, without years.
func (q summaryQuery) previous() (summaryQuery, bool) {
	if q.f.CompareFrom.IsZero() {
		return summaryQuery{}, false
	}
	p := q
	p.f.From, p.f.To = q.f.CompareFrom, q.f.CompareTo
	p.f.CompareFrom, p.f.CompareTo = phoihop.Date{}, phoihop.Date{}
	p.years = false
	return p, true
}

// cases is the condition on cases c fought in the period within the scope, and its arguments.
func (q summaryQuery) cases() (string, []any) {
	where := "c.deleted_at IS NULL AND c.opened_on <= ? AND (c.closed_on IS NULL OR c.closed_on >= ?)"
	args := []any{q.f.To, q.f.From}
	if q.agencies != nil {
		in, a := inList("ca.agency", q.agencies)
		where += " AND EXISTS (SELECT 1 FROM case_agencies ca WHERE ca.case_id = c.id AND " + in + ")"
		args = append(args, a...)
	}
	if q.f.AgreementID != 0 {
		where += " AND c.agreement_id = ?"
		args = append(args, q.f.AgreementID)
	}
	return where, args
}

// caseRecords is the condition on a record x of a case (suspects, seizures) dated by col in
// the period: neither it nor its case removed, the record's agency in the scope, the case
// under the plan. The case is tested by a subquery that the engines evaluate once, not by a
// join: a join looks up the case of each of a million records.
func (q summaryQuery) caseRecords(col string) (string, []any) {
	where := "x.deleted_at IS NULL AND x." + col + " >= ? AND x." + col + " <= ?"
	args := []any{q.f.From, q.f.To}
	if q.agencies != nil {
		in, a := inList("x.agency", q.agencies)
		where += " AND " + in
		args = append(args, a...)
	}
	if q.f.AgreementID != 0 {
		where += " AND x.case_id IN (SELECT id FROM cases WHERE agreement_id = ? AND deleted_at IS NULL)"
		args = append(args, q.f.AgreementID)
	} else {
		where += " AND x.case_id NOT IN (SELECT id FROM cases WHERE deleted_at IS NOT NULL)"
	}
	return where, args
}

// exchanges is the condition on exchanges e held in the period within the scope.
func (q summaryQuery) exchanges() (string, []any) {
	where := "e.deleted_at IS NULL AND e.held_on >= ? AND e.held_on <= ?"
	args := []any{q.f.From, q.f.To}
	if q.agencies != nil {
		in, a := inList("eu.agency", q.agencies)
		where += " AND EXISTS (SELECT 1 FROM exchange_units eu WHERE eu.exchange_id = e.id AND " + in + ")"
		args = append(args, a...)
	}
	return where, args
}

// tips is the scope condition on tips t (not removed, of a scoped agency).
func (q summaryQuery) tips() (string, []any) {
	where := "t.deleted_at IS NULL"
	if q.agencies == nil {
		return where, nil
	}
	in, args := inList("t.agency", q.agencies)
	return where + " AND " + in, args
}

// SummaryMaxYears bounds the calendar years a period may touch: the report has a line per year.
const SummaryMaxYears = 50

// CheckPeriod notes on fe what is wrong with a summary's period: a missing first or last day
// (on "from", "to"), a last day before the first (on "to"), more than SummaryMaxYears calendar
// years (on "from").
func CheckPeriod(from, to phoihop.Date, fe phoihop.FieldErrors) {
	checkPeriod(from, to, "from", "to", fe)
}

// CheckComparePeriod notes on fe, on "compare_from" and "compare_to", what is wrong with the
// period a summary is compared with: as CheckPeriod, both days given or neither.
func CheckComparePeriod(from, to phoihop.Date, fe phoihop.FieldErrors) {
	if from.IsZero() && to.IsZero() {
		return
	}
	checkPeriod(from, to, "compare_from", "compare_to", fe)
}

func checkPeriod(from, to phoihop.Date, fromField, toField string, fe phoihop.FieldErrors) {
	if from.IsZero() {
		fe.Add(fromField, "Enter the first day.")
	}
	if to.IsZero() {
		fe.Add(toField, "Enter the last day.")
	}
	switch {
	case from.IsZero() || to.IsZero():
	case to.Before(from):
		fe.Add(toField, "The last day is before the first day.")
	case to.Year-from.Year >= SummaryMaxYears:
		fe.Add(fromField, "The period may cover at most 50 calendar years.")
	}
}

// newSummaryQuery checks the filter's period and the compared one (CheckPeriod,
// CheckComparePeriod: EInvalid naming the fields) and normalises its agencies.
func newSummaryQuery(f SummaryFilter) (summaryQuery, error) {
	fe := phoihop.FieldErrors{}
	CheckPeriod(f.From, f.To, fe)
	CheckComparePeriod(f.CompareFrom, f.CompareTo, fe)
	if err := fe.Err(); err != nil {
		return summaryQuery{}, err
	}
	q := summaryQuery{f: f, years: true}
	if f.Agencies != nil {
		q.agencies = make([]string, 0, len(f.Agencies))
		for _, a := range f.Agencies {
			if a = strings.ToUpper(strings.TrimSpace(a)); a != "" && !slices.Contains(q.agencies, a) {
				q.agencies = append(q.agencies, a)
			}
		}
	}
	return q, nil
}

// SummaryStatement is one SQL statement of the summary, rebound for the engine, with its
// arguments.
type SummaryStatement struct {
	Name string
	SQL  string
	Args []any
}

// SummaryStatements returns the statements Summary runs for f, in its order (those of the
// compared period after the period's, named "previous: …"), for EXPLAIN and for measuring the
// store's own cost against the bare queries. Errors as Summary.
func (s *Store) SummaryStatements(f SummaryFilter) ([]SummaryStatement, error) {
	q, err := newSummaryQuery(f)
	if err != nil {
		return nil, err
	}
	out := s.summarySQL(q).list()
	if p, ok := q.previous(); ok {
		for _, st := range s.summarySQL(p).list() {
			st.Name = "previous: " + st.Name
			out = append(out, st)
		}
	}
	return out, nil
}

// list returns the statements of x in the order Summary runs them, leaving out those not built.
func (x *summaryBatch) list() []SummaryStatement {
	all := []SummaryStatement{x.casesByLead, x.casesByCrime, x.casesByYear, x.suspects, x.suspectsByYear,
		x.seizures, x.seizuresByAgency, x.seizuresByYear, x.exchanges, x.exchangesByAgency, x.exchangesByYear,
		x.tips, x.tipsByYear, x.requests, x.requestMedians, x.tasks}
	return slices.DeleteFunc(all, func(st SummaryStatement) bool { return st.SQL == "" })
}

// summaryBatch holds the statements of one summary; those by year are left empty when the
// query does not count by year.
type summaryBatch struct {
	casesByLead, casesByCrime, casesByYear        SummaryStatement
	suspects, suspectsByYear                      SummaryStatement
	seizures, seizuresByAgency, seizuresByYear    SummaryStatement
	exchanges, exchangesByAgency, exchangesByYear SummaryStatement
	tips, tipsByYear                              SummaryStatement
	requests, requestMedians                      SummaryStatement
	tasks                                         SummaryStatement
}

// quantityColumns are the item category columns and the exact sum of the seizures s (summed
// by category) joined to item_categories ic; on PostgreSQL SUM(bigint) is numeric, cast back
// to BIGINT.
const quantityColumns = `s.category, ic.item_group, ic.unit, ic.name_vi, ic.name_en,
	CAST(s.quantity AS BIGINT) AS quantity`

// summarySQL builds the statements of the summary of q.
func (s *Store) summarySQL(q summaryQuery) *summaryBatch {
	var x summaryBatch
	s.summaryCaseSQL(q, &x)
	s.summarySuspectSQL(q, &x)
	s.summarySeizureSQL(q, &x)
	s.summaryExchangeSQL(q, &x)
	s.summaryTipSQL(q, &x)
	s.summaryRequestSQL(q, &x)
	if q.years { // the report's own period: a compared period counts no tasks (nor approvals)
		s.summaryTaskSQL(q, &x)
	}
	return &x
}

// statement is a statement of the summary, rebound for the engine.
func (s *Store) statement(name, query string, args ...any) SummaryStatement {
	return SummaryStatement{Name: name, SQL: s.db.Rebind(query), Args: args}
}

// summaryCaseSQL builds the statements on cases into x.
func (s *Store) summaryCaseSQL(q summaryQuery, x *summaryBatch) {
	where, args := q.cases()
	x.casesByLead = s.statement("cases by lead agency", `SELECT c.lead_agency AS k, COUNT(*) AS n,
		COALESCE(SUM(CASE WHEN c.opened_on >= ? THEN 1 ELSE 0 END), 0) AS newly,
		COALESCE(SUM(CASE WHEN c.closed_on IS NOT NULL AND c.closed_on <= ? THEN 1 ELSE 0 END), 0) AS concluded
		FROM cases c JOIN agencies a ON a.code = c.lead_agency
		WHERE `+where+` GROUP BY c.lead_agency, a.sort_order ORDER BY a.sort_order`,
		append([]any{q.f.From, q.f.To}, args...)...)
	x.casesByCrime = s.statement("cases by crime type", `SELECT c.crime_type AS k, COUNT(*) AS n
		FROM cases c JOIN crime_types ct ON ct.code = c.crime_type
		WHERE `+where+` GROUP BY c.crime_type, ct.sort_order ORDER BY ct.sort_order`, args...)
	if !q.years {
		return
	}
	oy, cy := s.yearExpr("c.opened_on"), s.yearExpr("c.closed_on")
	x.casesByYear = s.statement("cases by year", `SELECT `+oy+` AS oy, `+cy+` AS cy, COUNT(*) AS n
		FROM cases c WHERE `+where+` GROUP BY `+oy+`, `+cy, args...)
}

// summarySuspectSQL builds the statements on suspects into x.
func (s *Store) summarySuspectSQL(q summaryQuery, x *summaryBatch) {
	where, args := q.caseRecords("arrested_on")
	x.suspects = s.statement("suspects", `SELECT x.agency AS k, COUNT(*) AS n,
		COALESCE(SUM(CASE WHEN x.nationality = 'VN' THEN 1 ELSE 0 END), 0) AS vn
		FROM suspects x JOIN agencies a ON a.code = x.agency
		WHERE `+where+` GROUP BY x.agency, a.sort_order ORDER BY a.sort_order`, args...)
	if !q.years {
		return
	}
	y := s.yearExpr("x.arrested_on")
	x.suspectsByYear = s.statement("suspects by year", `SELECT `+y+` AS k, COUNT(*) AS n
		FROM suspects x WHERE `+where+` GROUP BY `+y, args...)
}

// summarySeizureSQL builds the statements on seizures into x. The seizures are summed by
// narrow keys first, then named: grouping a million rows by the category's names as well costs
// twice as much.
func (s *Store) summarySeizureSQL(q summaryQuery, x *summaryBatch) {
	where, args := q.caseRecords("seized_on")
	from := ` FROM seizures x WHERE ` + where
	x.seizures = s.statement("seizures", `SELECT `+quantityColumns+` FROM (SELECT x.category,
		SUM(x.quantity_milli) AS quantity`+from+` GROUP BY x.category) s
		JOIN item_categories ic ON ic.code = s.category ORDER BY ic.sort_order`, args...)
	x.seizuresByAgency = s.statement("seizures by agency", `SELECT s.agency, `+quantityColumns+` FROM (SELECT x.agency,
		x.category, SUM(x.quantity_milli) AS quantity`+from+` GROUP BY x.agency, x.category) s
		JOIN item_categories ic ON ic.code = s.category JOIN agencies a ON a.code = s.agency
		ORDER BY ic.sort_order, a.sort_order`, args...)
	if !q.years {
		return
	}
	y := s.yearExpr("x.seized_on")
	x.seizuresByYear = s.statement("seizures by year", `SELECT s.y, `+quantityColumns+` FROM (SELECT `+y+` AS y,
		x.category, SUM(x.quantity_milli) AS quantity`+from+` GROUP BY `+y+`, x.category) s
		JOIN item_categories ic ON ic.code = s.category ORDER BY s.y, ic.sort_order`, args...)
}

// summaryExchangeSQL builds the statements on exchanges into x.
func (s *Store) summaryExchangeSQL(q summaryQuery, x *summaryBatch) {
	where, args := q.exchanges()
	x.exchanges = s.statement("exchanges", `SELECT e.kind AS k, COUNT(*) AS n
		FROM exchanges e WHERE `+where+` GROUP BY e.kind`, args...)
	agencyWhere, agencyArgs := "e.deleted_at IS NULL AND e.held_on >= ? AND e.held_on <= ?", []any{q.f.From, q.f.To}
	if q.agencies != nil {
		in, a := inList("p.agency", q.agencies)
		agencyWhere += " AND " + in
		agencyArgs = append(agencyArgs, a...)
	}
	x.exchangesByAgency = s.statement("exchanges by agency", `SELECT p.agency AS k,
		COUNT(DISTINCT e.id) AS n FROM exchanges e JOIN exchange_units p ON p.exchange_id = e.id
		JOIN agencies a ON a.code = p.agency
		WHERE `+agencyWhere+` GROUP BY p.agency, a.sort_order ORDER BY a.sort_order`, agencyArgs...)
	if !q.years {
		return
	}
	y := s.yearExpr("e.held_on")
	x.exchangesByYear = s.statement("exchanges by year", `SELECT `+y+` AS k, COUNT(*) AS n
		FROM exchanges e WHERE `+where+` GROUP BY `+y, args...)
}

// summaryTipSQL builds the statements on tips into x.
func (s *Store) summaryTipSQL(q summaryQuery, x *summaryBatch) {
	where, args := q.tips()
	const valuable = "t.status = 'valuable' AND t.verified_on >= ? AND t.verified_on <= ?"
	x.tips = s.statement("tips", `SELECT
		COALESCE(SUM(CASE WHEN t.received_on >= ? AND t.received_on <= ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+valuable+` THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+valuable+` AND EXISTS (SELECT 1 FROM cases c
			WHERE c.id = t.case_id AND c.deleted_at IS NULL) THEN 1 ELSE 0 END), 0)
		FROM tips t WHERE `+where+` AND (t.received_on >= ? AND t.received_on <= ? OR `+valuable+`)`,
		append(append([]any{q.f.From, q.f.To, q.f.From, q.f.To, q.f.From, q.f.To}, args...),
			q.f.From, q.f.To, q.f.From, q.f.To)...)
	if !q.years {
		return
	}
	y := s.yearExpr("t.verified_on")
	x.tipsByYear = s.statement("tips by year", `SELECT `+y+` AS k, COUNT(*) AS n
		FROM tips t WHERE `+where+` AND `+valuable+` GROUP BY `+y, append(args, q.f.From, q.f.To)...)
}

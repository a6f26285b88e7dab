package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
)

// SummaryFilter chooses what the summary report covers.
type SummaryFilter struct {
	// From and To bound the period: inclusive calendar days, both required.
	From, To phoihop.Date
	// Agencies is the agency scope: nil reports on every agency; otherwise cases in which one
	// of them takes part, their suspects and seizures, exchanges in which one of their units
	// takes part, their tips, and the requests they sent or received. An empty, non-nil list
	// reports nothing.
	Agencies []string
	// AgreementID reports only on the cases (and their suspects and seizures) under this
	// coordination plan; 0: any. Exchanges, tips and requests are not narrowed by it.
	AgreementID int64
	// CompareFrom and CompareTo bound the period the summary is compared with (Summary.Previous):
	// both zero for no comparison. WithYearEarlier sets them to the same period a year before.
	CompareFrom, CompareTo phoihop.Date
}

// WithYearEarlier returns f compared with the same period a year before (so với cùng kỳ):
// each bound moved back one calendar year by phoihop.Date.YearEarlier, so 01/01–28/02/2025
// compares with 01/01–29/02/2024.
func (f SummaryFilter) WithYearEarlier() SummaryFilter {
	f.CompareFrom, f.CompareTo = f.From.YearEarlier(), f.To.YearEarlier()
	return f
}

// SummaryCount is one line of a breakdown: a key (an agency, a crime type, an exchange kind)
// and how many records have it.
type SummaryCount struct {
	Key   string `db:"k" json:"key"`
	Count int    `db:"n" json:"count"`
}

// SummaryQuantity is the exact total seized of one item category, with the category's group
// ("drug", "weapon"…), unit ("tablet", "g"…) and names.
type SummaryQuantity struct {
	Category string           `db:"category" json:"category"`
	Group    string           `db:"item_group" json:"group"`
	Unit     string           `db:"unit" json:"unit"`
	NameVI   string           `db:"name_vi" json:"name_vi"`
	NameEN   string           `db:"name_en" json:"name_en"`
	Quantity phoihop.Quantity `db:"quantity" json:"quantity"`
}

// SummaryAgencyQuantity is the exact total of one item category seized by one agency.
type SummaryAgencyQuantity struct {
	Agency string `db:"agency" json:"agency"`
	SummaryQuantity
}

// SummaryCases are the joint cases fought in the period: active at any time in it (opened on
// or before its last day and not closed before its first).
type SummaryCases struct {
	Total        int            `json:"total"`
	NewlyOpened  int            `json:"newly_opened"` // opened in the period
	Concluded    int            `json:"concluded"`    // closed in the period
	ByLeadAgency []SummaryCount `json:"by_lead_agency"`
	ByCrimeType  []SummaryCount `json:"by_crime_type"`
}

// SummarySuspects are the suspects arrested in the period.
type SummarySuspects struct {
	Total      int            `json:"total"`
	Vietnamese int            `json:"vietnamese"` // nationality VN
	Foreign    int            `json:"foreign"`
	ByAgency   []SummaryCount `json:"by_agency"` // by arresting agency
}

// SummarySeizures are the items seized in the period.
type SummarySeizures struct {
	// ByCategory holds the categories with a non-zero total in the categories' order.
	ByCategory []SummaryQuantity `json:"by_category"`
	// ByAgency holds the non-zero totals per seizing agency and category, by category then
	// agency in their stable orders.
	ByAgency []SummaryAgencyQuantity `json:"by_agency"`
}

// SummaryExchanges are the information exchanges held in the period.
type SummaryExchanges struct {
	Total  int            `json:"total"`
	ByKind []SummaryCount `json:"by_kind"`
	// ByAgency counts each exchange once for every agency (within the scope) with a unit
	// taking part.
	ByAgency []SummaryCount `json:"by_agency"`
}

// SummaryTips are the tips of the period.
type SummaryTips struct {
	Received int `json:"received"` // received in the period
	Valuable int `json:"valuable"` // verified as valuable in the period
	// LedToCase counts the valuable tips verified in the period that led to a (not removed) case.
	LedToCase int `json:"led_to_case"`
}

// SummaryYear holds the headline figures of one calendar year of the period, counted within
// the period only.
type SummaryYear struct {
	Year         int               `json:"year"`
	Cases        int               `json:"cases"` // fought in the part of the year within the period
	Suspects     int               `json:"suspects"`
	Exchanges    int               `json:"exchanges"`
	ValuableTips int               `json:"valuable_tips"`
	Seizures     []SummaryQuantity `json:"seizures"` // non-zero totals in the categories' order
}

// Summary is the coordination summary of a period (DESIGN.md "Summary report semantics").
// Removed records and the suspects and seizures of removed cases never count. Breakdowns list
// only non-zero lines, in the stable order of agencies, crime types, exchange kinds and item
// categories. Requests tells how the agencies answered each other's requests (SummaryRequests).
type Summary struct {
	From        phoihop.Date     `json:"from"`
	To          phoihop.Date     `json:"to"`
	Agencies    []string         `json:"agencies"` // the agency scope; nil: all
	AgreementID int64            `json:"agreement_id,omitempty"`
	Cases       SummaryCases     `json:"cases"`
	Suspects    SummarySuspects  `json:"suspects"`
	Seizures    SummarySeizures  `json:"seizures"`
	Exchanges   SummaryExchanges `json:"exchanges"`
	Tips        SummaryTips      `json:"tips"`
	Requests    SummaryRequests  `json:"requests"`
	Tasks       SummaryTasks     `json:"tasks"` // the plans' tasks done, late and open (summary_tasks.go)
	// ByYear has one entry for every calendar year overlapping the period, oldest first.
	ByYear []SummaryYear `json:"by_year"`
	// Approved are the active locks of the agencies in scope overlapping the period: whose
	// figures are approved for it, in whole or in part (SummaryApproval).
	Approved []SummaryApproval `json:"approved"`
	// Previous holds the same figures of the period the filter compares with (CompareFrom,
	// CompareTo), under the same scope and plan, counted by the same statements over its days;
	// its ByYear and Previous are nil. Nil when no comparison was asked for.
	Previous *Summary `json:"previous,omitempty"`
}

// Summary computes the coordination summary of the period with SQL aggregates only (COUNT and
// SUM grouped in the database; no record row is loaded), and that of the period it is compared
// with when the filter asks (Summary.Previous). A missing From or To is EInvalid on that field,
// a To before From EInvalid on "to"; the compared period's errors name "compare_from" and
// "compare_to".
func (s *Store) Summary(ctx context.Context, f SummaryFilter) (*Summary, error) {
	q, err := newSummaryQuery(f)
	if err != nil {
		return nil, err
	}
	p, ok := q.previous()
	if !ok {
		return s.summary(ctx, q)
	}
	// The two periods' statements run at the same time, each on its own connection: the
	// comparison costs about the longer of the two, not their sum (BENCHMARKS.md).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var prev *Summary
	var prevErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		prev, prevErr = s.summary(ctx, p)
	}()
	out, err := s.summary(ctx, q)
	if err != nil {
		cancel()
	}
	<-done
	if err != nil {
		return nil, err
	}
	if prevErr != nil {
		return nil, prevErr
	}
	out.Previous = prev
	return out, nil
}

// summary computes the summary of q (its ByYear only when q.years).
func (s *Store) summary(ctx context.Context, q summaryQuery) (*Summary, error) {
	f := q.f
	sql := s.summarySQL(q)
	out := &Summary{From: f.From, To: f.To, Agencies: q.agencies, AgreementID: f.AgreementID}
	for y := f.From.Year; q.years && y <= f.To.Year; y++ {
		out.ByYear = append(out.ByYear, SummaryYear{Year: y})
	}
	steps := []func(context.Context, *summaryBatch, *Summary) error{
		s.summaryCases, s.summarySuspects, s.summarySeizures, s.summaryExchanges, s.summaryTips, s.summaryRequests,
	}
	if q.years { // the report's own period; the compared one has no tasks nor approvals
		steps = append(steps, s.summaryTasks)
	}
	for _, step := range steps {
		if err := step(ctx, sql, out); err != nil {
			return nil, fmt.Errorf("store: summary: %w", err)
		}
	}
	if q.years {
		approved, err := s.summaryApprovals(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("store: summary: %w", err)
		}
		out.Approved = approved
	}
	return out, nil
}

// year returns the ByYear entry of the year (the years are consecutive from From.Year).
func (sm *Summary) year(y int) *SummaryYear {
	i := y - sm.From.Year
	if i < 0 || i >= len(sm.ByYear) {
		return nil
	}
	return &sm.ByYear[i]
}

func (s *Store) summaryCases(ctx context.Context, x *summaryBatch, out *Summary) error {
	var byLead []struct {
		SummaryCount
		Newly     int `db:"newly"`
		Concluded int `db:"concluded"`
	}
	if err := s.db.SelectContext(ctx, &byLead, x.casesByLead.SQL, x.casesByLead.Args...); err != nil {
		return fmt.Errorf("cases: %w", err)
	}
	for _, r := range byLead {
		out.Cases.Total += r.Count
		out.Cases.NewlyOpened += r.Newly
		out.Cases.Concluded += r.Concluded
		out.Cases.ByLeadAgency = append(out.Cases.ByLeadAgency, r.SummaryCount)
	}
	if err := s.db.SelectContext(ctx, &out.Cases.ByCrimeType, x.casesByCrime.SQL, x.casesByCrime.Args...); err != nil {
		return fmt.Errorf("cases by crime type: %w", err)
	}
	if x.casesByYear.SQL == "" {
		return nil
	}
	// By year: a case counts in every year of the period from the year it was opened to the
	// year it was closed (or the period's end), grouped by those two years.
	var spans []struct {
		Opened int  `db:"oy"`
		Closed *int `db:"cy"`
		Count  int  `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &spans, x.casesByYear.SQL, x.casesByYear.Args...); err != nil {
		return fmt.Errorf("cases by year: %w", err)
	}
	for _, sp := range spans {
		last := out.To.Year
		if sp.Closed != nil && *sp.Closed < last {
			last = *sp.Closed
		}
		for y := max(sp.Opened, out.From.Year); y <= last; y++ {
			if e := out.year(y); e != nil {
				e.Cases += sp.Count
			}
		}
	}
	return nil
}

func (s *Store) summarySuspects(ctx context.Context, x *summaryBatch, out *Summary) error {
	var rows []struct {
		SummaryCount
		VN int `db:"vn"`
	}
	if err := s.db.SelectContext(ctx, &rows, x.suspects.SQL, x.suspects.Args...); err != nil {
		return fmt.Errorf("suspects: %w", err)
	}
	for _, r := range rows {
		out.Suspects.Total += r.Count
		out.Suspects.Vietnamese += r.VN
		out.Suspects.ByAgency = append(out.Suspects.ByAgency, r.SummaryCount)
	}
	out.Suspects.Foreign = out.Suspects.Total - out.Suspects.Vietnamese
	if x.suspectsByYear.SQL == "" {
		return nil
	}
	var years []SummaryCount
	if err := s.db.SelectContext(ctx, &years, x.suspectsByYear.SQL, x.suspectsByYear.Args...); err != nil {
		return fmt.Errorf("suspects by year: %w", err)
	}
	return addYears(out, years, func(e *SummaryYear, n int) { e.Suspects += n })
}

func (s *Store) summarySeizures(ctx context.Context, x *summaryBatch, out *Summary) error {
	if err := s.db.SelectContext(ctx, &out.Seizures.ByCategory, x.seizures.SQL, x.seizures.Args...); err != nil {
		return fmt.Errorf("seizures: %w", err)
	}
	if err := s.db.SelectContext(ctx, &out.Seizures.ByAgency, x.seizuresByAgency.SQL, x.seizuresByAgency.Args...); err != nil {
		return fmt.Errorf("seizures by agency: %w", err)
	}
	out.Seizures.ByCategory = nonZero(out.Seizures.ByCategory, func(r SummaryQuantity) phoihop.Quantity { return r.Quantity })
	out.Seizures.ByAgency = nonZero(out.Seizures.ByAgency, func(r SummaryAgencyQuantity) phoihop.Quantity { return r.Quantity })
	if x.seizuresByYear.SQL == "" {
		return nil
	}
	var years []struct {
		Year int `db:"y"`
		SummaryQuantity
	}
	if err := s.db.SelectContext(ctx, &years, x.seizuresByYear.SQL, x.seizuresByYear.Args...); err != nil {
		return fmt.Errorf("seizures by year: %w", err)
	}
	for _, r := range years {
		e := out.year(r.Year)
		if e == nil {
			return fmt.Errorf("seizures by year: year %d outside the period", r.Year)
		}
		if r.Quantity != 0 {
			e.Seizures = append(e.Seizures, r.SummaryQuantity)
		}
	}
	return nil
}

func (s *Store) summaryExchanges(ctx context.Context, x *summaryBatch, out *Summary) error {
	var byKind []SummaryCount
	if err := s.db.SelectContext(ctx, &byKind, x.exchanges.SQL, x.exchanges.Args...); err != nil {
		return fmt.Errorf("exchanges: %w", err)
	}
	slices.SortFunc(byKind, func(a, b SummaryCount) int {
		return slices.Index(phoihop.ExchangeKinds, a.Key) - slices.Index(phoihop.ExchangeKinds, b.Key)
	})
	for _, r := range byKind {
		out.Exchanges.Total += r.Count
	}
	out.Exchanges.ByKind = byKind
	if err := s.db.SelectContext(ctx, &out.Exchanges.ByAgency, x.exchangesByAgency.SQL, x.exchangesByAgency.Args...); err != nil {
		return fmt.Errorf("exchanges by agency: %w", err)
	}
	if x.exchangesByYear.SQL == "" {
		return nil
	}
	var years []SummaryCount
	if err := s.db.SelectContext(ctx, &years, x.exchangesByYear.SQL, x.exchangesByYear.Args...); err != nil {
		return fmt.Errorf("exchanges by year: %w", err)
	}
	return addYears(out, years, func(e *SummaryYear, n int) { e.Exchanges += n })
}

func (s *Store) summaryTips(ctx context.Context, x *summaryBatch, out *Summary) error {
	err := s.db.QueryRowxContext(ctx, x.tips.SQL, x.tips.Args...).
		Scan(&out.Tips.Received, &out.Tips.Valuable, &out.Tips.LedToCase)
	if err != nil {
		return fmt.Errorf("tips: %w", err)
	}
	if x.tipsByYear.SQL == "" {
		return nil
	}
	var years []SummaryCount
	if err := s.db.SelectContext(ctx, &years, x.tipsByYear.SQL, x.tipsByYear.Args...); err != nil {
		return fmt.Errorf("tips by year: %w", err)
	}
	return addYears(out, years, func(e *SummaryYear, n int) { e.ValuableTips += n })
}

// addYears adds per-year counts (Key the year) to the ByYear entries.
func addYears(out *Summary, years []SummaryCount, add func(e *SummaryYear, n int)) error {
	for _, r := range years {
		var y int
		if _, err := fmt.Sscan(r.Key, &y); err != nil {
			return fmt.Errorf("year %q: %w", r.Key, err)
		}
		e := out.year(y)
		if e == nil {
			return fmt.Errorf("year %d outside the period", y)
		}
		add(e, r.Count)
	}
	return nil
}

// nonZero drops the lines whose quantity is zero.
func nonZero[T any](rows []T, qty func(T) phoihop.Quantity) []T {
	return slices.DeleteFunc(rows, func(r T) bool { return qty(r) == 0 })
}

// AuditReport records a download of the summary report of f in the audit log as
// report.download, in the domain of the agency scope when that is one agency: its period,
// agencies, plan, language (lang) and format ("xlsx", "json"), the period compared with when
// there is one, and the file written when out is not empty (the command line).
func (s *Store) AuditReport(ctx context.Context, a phoihop.Actor, f SummaryFilter, lang, format, out string) error {
	var extra map[string]any
	if out != "" {
		extra = map[string]any{"out": out}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error { return s.auditReportTx(ctx, tx, a, f, lang, format, extra) })
}

// auditReportTx is AuditReport inside tx, with extra details (the export's id…).
func (s *Store) auditReportTx(ctx context.Context, tx *sqlx.Tx, a phoihop.Actor, f SummaryFilter, lang, format string, extra map[string]any) error {
	agencies, domain := []string{}, ""
	if f.Agencies != nil {
		agencies = f.Agencies
	}
	if len(agencies) == 1 {
		domain = agencies[0]
	}
	details := map[string]any{"from": f.From.String(), "to": f.To.String(), "agencies": agencies,
		"agreement": f.AgreementID, "lang": lang, "format": format}
	for k, v := range extra {
		details[k] = v
	}
	if !f.CompareFrom.IsZero() {
		details["compare_from"], details["compare_to"] = f.CompareFrom.String(), f.CompareTo.String()
	}
	return s.audit(ctx, tx, a, "report.download", "report", 0, domain, nil, details)
}

package store_test

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/reports"
)

// TestSummaryCompare reports on 01/01–28/02/2025 compared with the same period a year before,
// 01/01–29/02/2024: records of the leap day count in the earlier period, those of 01/03/2024
// in neither.
func TestSummaryCompare(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		leap := day(2024, 2, 29)
		caseOf := func(code string, lead *phoihop.Unit, opened, closed phoihop.Date) *phoihop.Case {
			c := newCase(code, lead, lead.Agency)
			c.OpenedOn = opened
			if !closed.IsZero() {
				c.ClosedOn, c.Status = closed, phoihop.CaseConcluded
			}
			return mustCase(t, s, c)
		}
		// The earlier period: opened on the leap day, concluded in March.
		c1 := caseOf("L-LEAP", u.BP2, leap, day(2024, 3, 10))
		// Opened the day after the earlier period: in neither.
		caseOf("L-MARCH", u.CA, day(2024, 3, 1), day(2024, 12, 20))
		// The period: two cases.
		c3 := caseOf("L-2025", u.CA, day(2025, 1, 15), phoihop.Date{})
		c4 := caseOf("L-LAST", u.BP, day(2025, 2, 28), phoihop.Date{})

		insertSummarySuspect(t, s, c1, u.BP2, leap, "VN", false)
		insertSummarySuspect(t, s, c1, u.BP2, day(2024, 3, 1), "VN", false)
		insertSummarySuspect(t, s, c3, u.CA, day(2025, 2, 28), "VN", false)
		insertSummarySuspect(t, s, c4, u.BP, day(2025, 2, 28), "KH", false)

		insertSummarySeizure(t, s, c1, u.BP2, leap, "heroin", 2500, false)
		insertSummarySeizure(t, s, c3, u.CA, day(2025, 2, 28), "heroin", 9800, false)
		insertSummarySeizure(t, s, c3, u.CA, day(2025, 1, 1), "synthetic_drug_pills", 1000, false)

		summaryExchange(t, s, leap, "periodic", u.CA, u.BP2)
		summaryExchange(t, s, day(2025, 2, 28), "periodic", u.CA, u.BP2)
		summaryExchange(t, s, day(2025, 1, 2), "phone", u.BP2, u.BP)

		insertSummaryTip(t, s, u.BP, leap, "valuable", leap, &c1.ID, false)
		insertSummaryTip(t, s, u.CA, day(2025, 2, 1), "new", phoihop.Date{}, nil, false)

		f := store.SummaryFilter{From: day(2025, 1, 1), To: day(2025, 2, 28)}.WithYearEarlier()
		if f.CompareFrom != day(2024, 1, 1) || f.CompareTo != leap {
			t.Fatalf("compared period = %v – %v, want 2024-01-01 – 2024-02-29", f.CompareFrom, f.CompareTo)
		}
		sm, err := s.Summary(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if sm.Cases.Total != 2 || sm.Suspects.Total != 2 || sm.Exchanges.Total != 2 || sm.Tips.Received != 1 || len(sm.ByYear) != 1 {
			t.Errorf("the period's summary = %+v", sm)
		}
		p := sm.Previous
		if p == nil {
			t.Fatal("no previous period's summary")
		}
		if p.From != day(2024, 1, 1) || p.To != leap || p.ByYear != nil || p.Previous != nil {
			t.Errorf("previous = %v – %v, by year %v, previous %v", p.From, p.To, p.ByYear, p.Previous)
		}
		same(t, "previous cases", p.Cases, store.SummaryCases{Total: 1, NewlyOpened: 1, Concluded: 0,
			ByLeadAgency: counts{{"BP", 1}}, ByCrimeType: counts{{"drugs", 1}}})
		same(t, "previous suspects", p.Suspects, store.SummarySuspects{Total: 1, Vietnamese: 1, Foreign: 0, ByAgency: counts{{"BP", 1}}})
		same(t, "previous seizures", p.Seizures, store.SummarySeizures{
			ByCategory: []store.SummaryQuantity{heroin(2500)},
			ByAgency:   []store.SummaryAgencyQuantity{{"BP", heroin(2500)}}})
		same(t, "previous exchanges", p.Exchanges, store.SummaryExchanges{Total: 1,
			ByKind: counts{{"periodic", 1}}, ByAgency: counts{{"CA", 1}, {"BP", 1}}})
		same(t, "previous tips", p.Tips, store.SummaryTips{Received: 1, Valuable: 1, LedToCase: 1})
		same(t, "previous requests", p.Requests, store.SummaryRequests{})

		// The changes as the report writes them; the pills had none the year before.
		if got := reports.CountChange(sm.Cases.Total, p.Cases.Total).Text("vi"); got != "+1 (+100,0 %)" {
			t.Errorf("cases change = %q", got)
		}
		if got := reports.QuantityChange(sm.Seizures.ByCategory[0].Quantity, 0).Text("vi"); sm.Seizures.ByCategory[0].Category != "synthetic_drug_pills" || got != "+1 (—)" {
			t.Errorf("pills %s change = %q, want +1 (—)", sm.Seizures.ByCategory[0].Category, got)
		}
		if got := reports.QuantityChange(sm.Seizures.ByCategory[1].Quantity, p.Seizures.ByCategory[0].Quantity).Text("en"); got != "+7.3 (+292.0 %)" {
			t.Errorf("heroin change = %q", got)
		}

		// Under the police's scope the earlier period has nothing: every figure zero.
		ca, err := s.Summary(ctx, store.SummaryFilter{From: day(2025, 1, 1), To: day(2025, 2, 28), Agencies: []string{"CA"}}.WithYearEarlier())
		if err != nil {
			t.Fatal(err)
		}
		if ca.Cases.Total != 1 || ca.Previous.Cases.Total != 0 || ca.Previous.Suspects.Total != 0 ||
			ca.Previous.Seizures.ByCategory != nil || ca.Previous.Exchanges.Total != 1 || ca.Previous.Tips != (store.SummaryTips{}) {
			t.Errorf("CA summary %+v, previous %+v", ca, ca.Previous)
		}
		if got := reports.CountChange(ca.Suspects.Total, ca.Previous.Suspects.Total).Percent("vi"); got != "—" {
			t.Errorf("CA suspects' change = %q, want —", got)
		}

		// Any other period: 2024 as a whole against the two months of 2025.
		other := store.SummaryFilter{From: day(2024, 1, 1), To: day(2024, 12, 31), CompareFrom: day(2025, 1, 1), CompareTo: day(2025, 2, 28)}
		o, err := s.Summary(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		if o.Cases.Total != 2 || o.Previous.Cases.Total != 2 || o.Previous.From != day(2025, 1, 1) || len(o.ByYear) != 1 {
			t.Errorf("2024 against 2025: %+v, previous %+v", o, o.Previous)
		}
		// Without a comparison, none.
		if bare, err := s.Summary(ctx, store.SummaryFilter{From: day(2025, 1, 1), To: day(2025, 2, 28)}); err != nil || bare.Previous != nil {
			t.Errorf("summary without comparison: previous %+v, %v", bare.Previous, err)
		}

		stmts, err := s.SummaryStatements(f)
		if err != nil {
			t.Fatal(err)
		}
		bare, _ := s.SummaryStatements(store.SummaryFilter{From: f.From, To: f.To})
		// The compared period has neither the five statements by year nor the plans' tasks.
		if len(stmts) != len(bare)+len(bare)-6 || stmts[len(bare)].Name != "previous: cases by lead agency" {
			t.Errorf("statements with the comparison: %d (the %dth %q), without: %d", len(stmts), len(bare)+1, stmts[len(bare)].Name, len(bare))
		}

		_, err = s.Summary(ctx, store.SummaryFilter{From: f.From, To: f.To, CompareFrom: leap})
		wantErr(t, "Summary without CompareTo", err, phoihop.EInvalid, "compare_to")
		_, err = s.Summary(ctx, store.SummaryFilter{From: f.From, To: f.To, CompareFrom: leap, CompareTo: day(2024, 1, 1)})
		wantErr(t, "Summary with CompareTo before CompareFrom", err, phoihop.EInvalid, "compare_to")
	})
}

package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// summaryData is the data set of the summary tests, reported on for 01/03/2015 – 30/06/2016.
type summaryData struct {
	u    recordUnits
	plan *phoihop.Agreement
}

var summaryFrom, summaryTo = day(2015, 3, 1), day(2016, 6, 30)

func insertSummarySuspect(t *testing.T, s *store.Store, c *phoihop.Case, u *phoihop.Unit, on phoihop.Date, nationality string, removed bool) {
	t.Helper()
	var deletedAt, reason any
	if removed {
		deletedAt, reason = recordNow, "nhập trùng"
	}
	storetest.MustExec(t, s, `INSERT INTO suspects (case_id, agency, full_name, full_name_search, nationality,
		arrested_on, arresting_unit, deleted_at, delete_reason, created_at, updated_at)
		VALUES (?, ?, 'Nguyễn Văn A', 'nguyen van a', ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, u.Agency, nationality, on, u.ID, deletedAt, reason, recordNow, recordNow)
}

func insertSummarySeizure(t *testing.T, s *store.Store, c *phoihop.Case, u *phoihop.Unit, on phoihop.Date, category string, milli int64, removed bool) {
	t.Helper()
	var deletedAt, reason any
	if removed {
		deletedAt, reason = recordNow, "nhập trùng"
	}
	storetest.MustExec(t, s, `INSERT INTO seizures (case_id, agency, category, quantity_milli, seized_on,
		seizing_unit, description_search, deleted_at, delete_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
		c.ID, u.Agency, category, milli, on, u.ID, deletedAt, reason, recordNow, recordNow)
}

func insertSummaryTip(t *testing.T, s *store.Store, u *phoihop.Unit, received phoihop.Date, status string, verified phoihop.Date, caseID *int64, removed bool) {
	t.Helper()
	var deletedAt, reason any
	if removed {
		deletedAt, reason = recordNow, "nhập trùng"
	}
	storetest.MustExec(t, s, `INSERT INTO tips (received_on, agency, source_unit, subject, search, crime_type,
		status, verified_on, case_id, deleted_at, delete_reason, created_at, updated_at)
		VALUES (?, ?, ?, 'Tin báo', 'tin bao', 'drugs', ?, ?, ?, ?, ?, ?, ?)`,
		received, u.Agency, u.ID, status, verified, caseID, deletedAt, reason, recordNow, recordNow)
}

func summaryExchange(t *testing.T, s *store.Store, held phoihop.Date, kind string, org *phoihop.Unit, others ...*phoihop.Unit) *phoihop.Exchange {
	t.Helper()
	e := &phoihop.Exchange{HeldOn: held, Kind: kind, OrganizingUnitID: org.ID, Summary: "Trao đổi " + kind}
	for _, o := range others {
		e.UnitIDs = append(e.UnitIDs, o.ID)
	}
	if err := s.CreateExchange(context.Background(), recordActor, allScope, e); err != nil {
		t.Fatalf("create exchange %s %s: %v", held, kind, err)
	}
	return e
}

// newSummaryData builds the data set; the comments say how each record counts.
func newSummaryData(t *testing.T, s *store.Store) summaryData {
	t.Helper()
	ctx := context.Background()
	u := newRecordUnits(t, s)
	plan := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "CA", "BP"))

	caseOf := func(code string, lead *phoihop.Unit, crime string, opened, closed phoihop.Date, agencies ...string) *phoihop.Case {
		c := newCase(code, lead, agencies...)
		c.CrimeType, c.OpenedOn = crime, opened
		if !closed.IsZero() {
			c.ClosedOn, c.Status = closed, phoihop.CaseConcluded
		}
		return mustCase(t, s, c)
	}
	// Fought, open across the whole period, not newly opened; several agencies; under the plan.
	c1 := newCase("A-ACROSS", u.BP2, "CA")
	c1.OpenedOn, c1.AgreementID = day(2014, 6, 1), &plan.ID
	mustCase(t, s, c1)
	// Opened on the first day and concluded on the last: fought, new and concluded.
	c2 := caseOf("A-FIRST", u.CA, "smuggling", summaryFrom, summaryTo)
	// Concluded the day before the period; opened the day after it: not counted.
	caseOf("A-BEFORE", u.CA, "drugs", day(2014, 1, 1), day(2015, 2, 28))
	caseOf("A-AFTER", u.BP, "drugs", day(2016, 7, 1), phoihop.Date{})
	// Removed: neither it nor its records count.
	c5 := caseOf("A-REMOVED", u.BP, "drugs", day(2015, 5, 1), phoihop.Date{})
	// Led by the border post retired at the end of 2015: still counts.
	c6 := caseOf("A-RETIRED", u.BPRetired, "drugs", day(2015, 6, 1), day(2015, 11, 30))
	// Led by customs with the coast guard.
	caseOf("A-HQ", u.HQ, "weapons", day(2016, 2, 1), phoihop.Date{}, "CSB")

	insertSummarySuspect(t, s, c1, u.BP2, summaryFrom, "VN", false)
	insertSummarySuspect(t, s, c1, u.CA, summaryTo, "CN", false)
	insertSummarySuspect(t, s, c1, u.BP2, day(2015, 2, 28), "VN", false)
	insertSummarySuspect(t, s, c2, u.CA, day(2016, 7, 1), "VN", false)
	insertSummarySuspect(t, s, c1, u.BP2, day(2015, 8, 1), "VN", true)
	insertSummarySuspect(t, s, c5, u.BP, day(2015, 6, 1), "VN", false)
	insertSummarySuspect(t, s, c6, u.BPRetired, day(2015, 7, 1), "KH", false)
	insertSummarySuspect(t, s, c2, u.CA2, day(2016, 1, 10), "VN", false)

	insertSummarySeizure(t, s, c1, u.BP2, summaryFrom, "synthetic_drug_pills", 3000000, false)
	insertSummarySeizure(t, s, c2, u.CA, summaryTo, "synthetic_drug_pills", 973000, false)
	insertSummarySeizure(t, s, c1, u.BP2, day(2015, 4, 1), "heroin", 9500, false)
	insertSummarySeizure(t, s, c1, u.CA, day(2016, 2, 2), "heroin", 300, false)
	insertSummarySeizure(t, s, c1, u.BP2, day(2015, 2, 28), "heroin", 1000000, false)
	insertSummarySeizure(t, s, c1, u.BP2, day(2016, 7, 1), "heroin", 5000, false)
	insertSummarySeizure(t, s, c1, u.BP2, day(2015, 9, 1), "heroin", 7000, true)
	insertSummarySeizure(t, s, c5, u.BP, day(2015, 6, 1), "heroin", 8000, false)
	insertSummarySeizure(t, s, c6, u.BPRetired, day(2015, 7, 1), "motorbike", 2000, false)

	summaryExchange(t, s, summaryFrom, "periodic", u.CA, u.BP2)
	summaryExchange(t, s, summaryTo, "phone", u.BP2, u.BP)
	summaryExchange(t, s, day(2015, 2, 28), "periodic", u.CA, u.CA2)
	summaryExchange(t, s, day(2016, 7, 1), "ad_hoc", u.CA, u.BP)
	summaryExchange(t, s, day(2015, 9, 9), "ad_hoc", u.BPRetired, u.HQ)
	removed := summaryExchange(t, s, day(2015, 10, 10), "periodic", u.CA, u.CA2)
	storetest.MustExec(t, s, `UPDATE exchanges SET deleted_at = ?, delete_reason = 'nhập trùng' WHERE id = ?`, recordNow, removed.ID)

	none := phoihop.Date{}
	insertSummaryTip(t, s, u.CA, summaryFrom, "new", none, nil, false)
	insertSummaryTip(t, s, u.BP, day(2015, 1, 10), "valuable", summaryFrom, &c1.ID, false)
	insertSummaryTip(t, s, u.BP, summaryTo, "valuable", day(2016, 7, 1), nil, false)
	insertSummaryTip(t, s, u.CA, day(2016, 1, 1), "valuable", summaryTo, nil, false)
	insertSummaryTip(t, s, u.HQ, day(2015, 5, 5), "valuable", day(2015, 6, 6), &c5.ID, false)
	insertSummaryTip(t, s, u.CA, day(2015, 5, 5), "not_valuable", day(2015, 6, 1), nil, false)
	insertSummaryTip(t, s, u.CA, day(2015, 4, 4), "valuable", day(2015, 5, 5), nil, true)
	insertSummaryTip(t, s, u.CA, day(2015, 2, 28), "new", none, nil, false)

	if err := s.RemoveCase(ctx, recordActor, allScope, c5.ID, c5.Version, "nhập trùng"); err != nil {
		t.Fatal(err)
	}
	return summaryData{u: u, plan: plan}
}

// same fails the test when got and want print differently (nil and empty slices alike).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		t.Errorf("%s =\n %s\nwant\n %s", what, g, w)
	}
}

func qty(category, group, unit string, milli int64) store.SummaryQuantity {
	names := map[string][2]string{
		"synthetic_drug_pills": {"ma túy tổng hợp", "synthetic drug pills"},
		"heroin":               {"heroin", "heroin"},
		"motorbike":            {"xe máy", "motorbikes"},
	}[category]
	return store.SummaryQuantity{Category: category, Group: group, Unit: unit, NameVI: names[0], NameEN: names[1],
		Quantity: phoihop.Quantity(milli)}
}

func pills(milli int64) store.SummaryQuantity {
	return qty("synthetic_drug_pills", "drug", "tablet", milli)
}
func heroin(milli int64) store.SummaryQuantity { return qty("heroin", "drug", "g", milli) }
func motorbikes(milli int64) store.SummaryQuantity {
	return qty("motorbike", "vehicle", "vehicle", milli)
}

type counts = []store.SummaryCount

func TestSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		d := newSummaryData(t, s)

		sm, err := s.Summary(ctx, store.SummaryFilter{From: summaryFrom, To: summaryTo})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "cases", sm.Cases, store.SummaryCases{Total: 4, NewlyOpened: 3, Concluded: 2,
			ByLeadAgency: counts{{"CA", 1}, {"BP", 2}, {"HQ", 1}},
			ByCrimeType:  counts{{"drugs", 2}, {"smuggling", 1}, {"weapons", 1}}})
		same(t, "suspects", sm.Suspects, store.SummarySuspects{Total: 4, Vietnamese: 2, Foreign: 2,
			ByAgency: counts{{"CA", 2}, {"BP", 2}}})
		same(t, "seizures", sm.Seizures, store.SummarySeizures{
			ByCategory: []store.SummaryQuantity{pills(3973000), heroin(9800), motorbikes(2000)},
			ByAgency: []store.SummaryAgencyQuantity{{"CA", pills(973000)}, {"BP", pills(3000000)},
				{"CA", heroin(300)}, {"BP", heroin(9500)}, {"BP", motorbikes(2000)}}})
		if got := sm.Seizures.ByCategory[0].Quantity.Format("vi") + " " + sm.Seizures.ByCategory[1].Quantity.Format("vi"); got != "3.973 9,8" {
			t.Errorf("formatted quantities = %q", got)
		}
		same(t, "exchanges", sm.Exchanges, store.SummaryExchanges{Total: 3,
			ByKind:   counts{{"periodic", 1}, {"ad_hoc", 1}, {"phone", 1}},
			ByAgency: counts{{"CA", 1}, {"BP", 3}, {"HQ", 1}}})
		same(t, "tips", sm.Tips, store.SummaryTips{Received: 5, Valuable: 3, LedToCase: 1})
		same(t, "by year", sm.ByYear, []store.SummaryYear{
			{Year: 2015, Cases: 3, Suspects: 2, Exchanges: 2, ValuableTips: 2,
				Seizures: []store.SummaryQuantity{pills(3000000), heroin(9500), motorbikes(2000)}},
			{Year: 2016, Cases: 3, Suspects: 2, Exchanges: 1, ValuableTips: 1,
				Seizures: []store.SummaryQuantity{pills(973000), heroin(300)}},
		})

		// The police's scope: cases it takes part in (the lead still reported), its own
		// suspects, seizures and tips, exchanges its units took part in.
		ca, err := s.Summary(ctx, store.SummaryFilter{From: summaryFrom, To: summaryTo, Agencies: []string{"ca"}})
		if err != nil {
			t.Fatal(err)
		}
		same(t, "CA cases", ca.Cases, store.SummaryCases{Total: 2, NewlyOpened: 1, Concluded: 1,
			ByLeadAgency: counts{{"CA", 1}, {"BP", 1}}, ByCrimeType: counts{{"drugs", 1}, {"smuggling", 1}}})
		same(t, "CA suspects", ca.Suspects, store.SummarySuspects{Total: 2, Vietnamese: 1, Foreign: 1, ByAgency: counts{{"CA", 2}}})
		same(t, "CA seizures", ca.Seizures.ByCategory, []store.SummaryQuantity{pills(973000), heroin(300)})
		same(t, "CA exchanges", ca.Exchanges, store.SummaryExchanges{Total: 1, ByKind: counts{{"periodic", 1}}, ByAgency: counts{{"CA", 1}}})
		same(t, "CA tips", ca.Tips, store.SummaryTips{Received: 3, Valuable: 1, LedToCase: 0})
		same(t, "CA by year", ca.ByYear, []store.SummaryYear{
			{Year: 2015, Cases: 2, Suspects: 0, Exchanges: 1, ValuableTips: 0},
			{Year: 2016, Cases: 2, Suspects: 2, Exchanges: 0, ValuableTips: 1,
				Seizures: []store.SummaryQuantity{pills(973000), heroin(300)}},
		})

		// The plan: only its case, with its suspects and seizures.
		plan, err := s.Summary(ctx, store.SummaryFilter{From: summaryFrom, To: summaryTo, AgreementID: d.plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Cases.Total != 1 || plan.Cases.NewlyOpened != 0 || plan.Suspects.Total != 2 ||
			fmt.Sprint(plan.Seizures.ByCategory) != fmt.Sprint([]store.SummaryQuantity{pills(3000000), heroin(9800)}) {
			t.Errorf("plan summary = %+v", plan)
		}

		// One day: the first day of the period only.
		one, err := s.Summary(ctx, store.SummaryFilter{From: summaryFrom, To: summaryFrom})
		if err != nil {
			t.Fatal(err)
		}
		if one.Cases.Total != 2 || one.Cases.NewlyOpened != 1 || one.Suspects.Total != 1 || one.Exchanges.Total != 1 ||
			one.Tips != (store.SummaryTips{Received: 1, Valuable: 1, LedToCase: 1}) || len(one.ByYear) != 1 {
			t.Errorf("one-day summary = %+v", one)
		}

		// An empty scope reports nothing.
		empty, err := s.Summary(ctx, store.SummaryFilter{From: summaryFrom, To: summaryTo, Agencies: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if empty.Cases.Total != 0 || empty.Suspects.Total != 0 || len(empty.Seizures.ByCategory) != 0 ||
			empty.Exchanges.Total != 0 || empty.Tips != (store.SummaryTips{}) {
			t.Errorf("empty-scope summary = %+v", empty)
		}

		_, err = s.Summary(ctx, store.SummaryFilter{From: summaryTo, To: summaryFrom})
		wantErr(t, "Summary with To before From", err, phoihop.EInvalid, "to")
		_, err = s.Summary(ctx, store.SummaryFilter{To: summaryTo})
		wantErr(t, "Summary without From", err, phoihop.EInvalid, "from")
	})
}

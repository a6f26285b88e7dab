package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		// A record written by the pages first: the bulk ids follow it.
		first := mustCase(t, s, newCase("PAGE-1", u.CA))
		b, err := s.NewBulk(ctx, phoihop.SystemActor("demo"))
		if err != nil {
			t.Fatal(err)
		}

		cases := []*phoihop.Case{newCase("BULK-1", u.BP2, "CA"), newCase("BULK-2", u.HQ, "CSB")}
		cases[1].Status, cases[1].ClosedOn = phoihop.CaseConcluded, day(2016, 5, 1)
		cases[0].LeadAgency = "" // derived from the lead unit
		if err := b.Cases(ctx, cases); err != nil {
			t.Fatal(err)
		}
		if cases[0].ID <= first.ID || cases[1].ID != cases[0].ID+1 && s.Engine() == "sqlite" {
			t.Errorf("case ids = %d, %d after %d", cases[0].ID, cases[1].ID, first.ID)
		}
		got, err := s.CaseByID(ctx, allScope, cases[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Code != "BULK-1" || got.LeadAgency != "BP" || strings.Join(got.Agencies, ",") != "CA,BP" || got.Version != 1 {
			t.Errorf("bulk case = %+v", got)
		}
		// The search column is filled: the case list finds it by a word of its title.
		items, n, err := s.ListCases(ctx, allScope, store.CaseFilter{Search: "bulk-2"})
		if err != nil || n != 1 || items[0].Code != "BULK-2" {
			t.Errorf("ListCases(bulk-2) = %d items, %v", n, err)
		}

		// More rows than one statement binds: they are split.
		seizures := make([]*phoihop.Seizure, 2500)
		for i := range seizures {
			unit := u.BP2
			if i%2 == 1 {
				unit = u.CA2
			}
			seizures[i] = &phoihop.Seizure{CaseID: cases[0].ID, Category: "heroin", Quantity: phoihop.Quantity(1000 + i),
				SeizedOn: day(2016, 3, 2), SeizingUnitID: unit.ID, Description: "Gói heroin"}
		}
		if err := b.Seizures(ctx, seizures); err != nil {
			t.Fatal(err)
		}
		by := 1000*2500 + 2499*2500/2
		if n := countRows(t, s, `SELECT count(*) FROM seizures WHERE case_id = ? AND agency = 'CA'
			AND description_search = 'goi heroin'`, cases[0].ID); n != 1250 {
			t.Errorf("CA seizures = %d, want 1250", n)
		}
		if got := countRows(t, s, `SELECT CAST(SUM(quantity_milli) AS INTEGER) FROM seizures`); got != by {
			t.Errorf("total quantity = %d, want %d", got, by)
		}

		year := 1985
		suspects := []*phoihop.Suspect{
			{CaseID: cases[0].ID, FullName: " Trần Văn B ", BirthYear: &year, Nationality: "vn", ArrestedOn: day(2016, 3, 3), ArrestingUnitID: u.CA.ID},
			{CaseID: cases[1].ID, FullName: "Lý Văn C", Gender: "male", Nationality: "KH", ArrestedOn: day(2016, 3, 4), ArrestingUnitID: u.CSB.ID},
		}
		if err := b.Suspects(ctx, suspects); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, `SELECT count(*) FROM suspects WHERE full_name = 'Trần Văn B' AND full_name_search = 'tran van b'
			AND nationality = 'VN' AND gender = 'unknown' AND agency = 'CA' AND birth_year = 1985`); n != 1 {
			t.Errorf("normalised suspect rows = %d, want 1", n)
		}

		exchanges := []*phoihop.Exchange{{HeldOn: day(2016, 4, 1), Kind: "periodic", OrganizingUnitID: u.BP2.ID,
			UnitIDs: []int64{u.CA.ID, u.HQ.ID}, Summary: "Giao ban"}}
		if err := b.Exchanges(ctx, exchanges); err != nil {
			t.Fatal(err)
		}
		ex, err := s.ExchangeByID(ctx, readScopeOf("HQ"), exchanges[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Agency != "BP" || countRows(t, s, `SELECT count(*) FROM exchange_units WHERE exchange_id = ?`, ex.ID) != 3 {
			t.Errorf("bulk exchange = %+v", ex)
		}

		tips := []*phoihop.Tip{
			{ReceivedOn: day(2016, 2, 1), SourceUnitID: u.CA2.ID, ExchangeID: &exchanges[0].ID, Subject: "Tin báo",
				CrimeType: "drugs", Status: "valuable", VerifiedOn: day(2016, 2, 20), CaseID: &cases[0].ID},
			{ReceivedOn: day(2016, 2, 2), SourceUnitID: u.HQ.ID, Subject: "Tin báo 2", CrimeType: "smuggling"},
		}
		if err := b.Tips(ctx, tips); err != nil {
			t.Fatal(err)
		}
		sm, err := s.Summary(ctx, store.SummaryFilter{From: day(2016, 1, 1), To: day(2016, 6, 30)})
		if err != nil {
			t.Fatal(err)
		}
		if sm.Cases.Total != 3 || sm.Suspects.Total != 2 || sm.Exchanges.Total != 1 ||
			sm.Tips != (store.SummaryTips{Received: 2, Valuable: 1, LedToCase: 1}) {
			t.Errorf("summary = %+v", sm)
		}
		counts, err := b.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts != (store.BulkCounts{Cases: 3, Suspects: 2, Seizures: 2500, Exchanges: 1, Tips: 2}) {
			t.Errorf("counts = %+v", counts)
		}
		if n := countEntityAudit(t, s, "seizure") + countEntityAudit(t, s, "exchange") + countEntityAudit(t, s, "tip"); n != 0 {
			t.Errorf("bulk writes left %d audit entries", n)
		}

		// A bad record fails the whole batch: nothing of it is written.
		bad := []*phoihop.Seizure{
			{CaseID: cases[0].ID, Category: "heroin", Quantity: 1, SeizedOn: day(2016, 3, 2), SeizingUnitID: u.BP2.ID},
			{CaseID: cases[0].ID, Category: "heroin", Quantity: 1, SeizedOn: day(2016, 3, 2), SeizingUnitID: u.HQ.ID},
		}
		if err := b.Seizures(ctx, bad); err == nil {
			t.Error("a seizure by an agency not taking part in the case was written")
		}
		if err := b.Seizures(ctx, []*phoihop.Seizure{{CaseID: cases[0].ID, Category: "heroin", SeizedOn: day(2016, 3, 2),
			SeizingUnitID: u.BP2.ID}}); err == nil || !strings.Contains(err.Error(), "quantity") {
			t.Errorf("a seizure without quantity: %v", err)
		}
		if err := b.Tips(ctx, []*phoihop.Tip{{ReceivedOn: day(2016, 2, 1), SourceUnitID: 99999, Subject: "x",
			CrimeType: "drugs"}}); err == nil || !strings.Contains(err.Error(), "unknown unit 99999") {
			t.Errorf("a tip of an unknown unit: %v", err)
		}
		if n := countRows(t, s, `SELECT count(*) FROM seizures`); n != 2500 {
			t.Errorf("seizures after the failed batches = %d, want 2500", n)
		}
	})
}

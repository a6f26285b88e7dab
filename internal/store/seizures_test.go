package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// newSeizure returns a valid seizure of 9,8 g of heroin in the case by the unit on the day.
func newSeizure(caseID int64, unit *phoihop.Unit, on phoihop.Date) *phoihop.Seizure {
	return &phoihop.Seizure{CaseID: caseID, Category: "heroin", Quantity: 9800, SeizedOn: on, SeizingUnitID: unit.ID,
		LocationType: ptr("road"), TransportMode: ptr("car_motorbike"), DepartureCountry: ptr("KH"),
		Description: "Gói ni lông chứa heroin giấu trong yên xe máy."}
}

// mustSeizure creates a seizure, failing the test when it cannot.
func mustSeizure(t *testing.T, s *store.Store, a phoihop.Actor, sc store.Scope, z *phoihop.Seizure) *phoihop.Seizure {
	t.Helper()
	if err := s.CreateSeizure(context.Background(), a, sc, z); err != nil {
		t.Fatalf("create seizure of %s: %v", z.Category, err)
	}
	return z
}

// sameSeizure reports whether two seizures hold the same values (times compared as instants).
func sameSeizure(a, b *phoihop.Seizure) bool {
	eqID := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	eqStr := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	eqTime := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	return a.ID == b.ID && a.CaseID == b.CaseID && a.Agency == b.Agency && a.Category == b.Category &&
		a.Quantity == b.Quantity && a.SeizedOn == b.SeizedOn && a.SeizingUnitID == b.SeizingUnitID &&
		eqStr(a.LocationType, b.LocationType) && eqStr(a.TransportMode, b.TransportMode) &&
		eqStr(a.DepartureCountry, b.DepartureCountry) && eqStr(a.DestinationCountry, b.DestinationCountry) &&
		a.Description == b.Description && a.Version == b.Version && a.CreatedAt.Equal(b.CreatedAt) &&
		a.UpdatedAt.Equal(b.UpdatedAt) && eqID(a.CreatedBy, b.CreatedBy) && eqID(a.UpdatedBy, b.UpdatedBy) &&
		eqTime(a.DeletedAt, b.DeletedAt) && eqID(a.DeletedBy, b.DeletedBy) && eqStr(a.DeleteReason, b.DeleteReason)
}

func TestSeizuresCreateAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)

		// CA takes part in BP's case and records 9,8 g of heroin typed the Vietnamese way, seized
		// by a district unit retired in 2025 but in service on the day.
		q, err := phoihop.ParseQuantity("9,8")
		if err != nil || q != 9800 {
			t.Fatalf("ParseQuantity(9,8) = %d, %v", q, err)
		}
		in := &phoihop.Seizure{CaseID: f.jointCase, Agency: "BP", Category: " heroin ", Quantity: q, SeizedOn: day(2016, 3, 1),
			SeizingUnitID: f.caDistrict.ID, LocationType: ptr(" road "), TransportMode: ptr("car_motorbike"),
			DepartureCountry: ptr(" kh"), DestinationCountry: ptr(""), Description: " Gói ni lông chứa Heroin, ĐẶC BIỆT nguy hiểm "}
		z := mustSeizure(t, s, f.ca, f.caScope, in)
		if z.ID == 0 || z.Agency != "CA" || z.Version != 1 || z.Category != "heroin" || z.Quantity != 9800 ||
			*z.LocationType != "road" || *z.DepartureCountry != "KH" || z.DestinationCountry != nil ||
			z.Description != "Gói ni lông chứa Heroin, ĐẶC BIỆT nguy hiểm" || z.CreatedBy == nil || *z.CreatedBy != f.caUserID ||
			!z.CreatedAt.Equal(arrestNow) || z.Removed() {
			t.Fatalf("created seizure = %+v", z)
		}
		if n := countRows(t, s, `SELECT count(*) FROM seizures WHERE id = ? AND quantity_milli = 9800 AND agency = 'CA'
			AND description_search = ? AND seized_on = ? AND destination_country IS NULL`,
			z.ID, "goi ni long chua heroin, dac biet nguy hiem", day(2016, 3, 1)); n != 1 {
			t.Fatal("the stored row does not hold 9800 thousandths, the agency, the folded description or the date")
		}
		e := lastAudit(t, s, "seizure.create")
		before, after := changesOf(t, e)
		if e.Entity != "seizure" || e.EntityID != strconvID(z.ID) || e.Domain != "CA" || e.Username != "ca.officer" || before != nil ||
			after["quantity"] != "9.8" || after["category"] != "heroin" || after["seized_on"] != "2016-03-01" ||
			after["seizing_unit"] != float64(f.caDistrict.ID) || after["agency"] != "CA" {
			t.Fatalf("seizure.create entry = %+v %s", e, e.Changes)
		}

		// BP, the lead agency, seizes 3.973 tablets (Vietnamese thousands) and 26 rounds.
		pills, err := phoihop.ParseQuantity("3.973")
		if err != nil || pills != 3973000 {
			t.Fatalf("ParseQuantity(3.973) = %d, %v", pills, err)
		}
		bpPills := mustSeizure(t, s, f.bp, f.bpScope, &phoihop.Seizure{CaseID: f.jointCase, Category: "synthetic_drug_pills",
			Quantity: pills, SeizedOn: day(2016, 3, 1), SeizingUnitID: f.bpPost.ID, LocationType: ptr(""), TransportMode: nil})
		bpRounds := mustSeizure(t, s, f.bp, f.bpScope, &phoihop.Seizure{CaseID: f.jointCase, Category: "ammunition",
			Quantity: 26000, SeizedOn: day(2016, 2, 20), SeizingUnitID: f.bpHQ.ID, DestinationCountry: ptr("vn")})
		if bpPills.Agency != "BP" || bpPills.LocationType != nil || bpRounds.Agency != "BP" || *bpRounds.DestinationCountry != "VN" {
			t.Fatalf("BP seizures = %+v %+v", bpPills, bpRounds)
		}

		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope, "CA leader": f.caLeader, "admin": f.adminScope} {
			got, err := s.SeizureByID(ctx, sc, z.ID)
			if err != nil || !sameSeizure(got, z) || got.Quantity.String() != "9.8" || got.Quantity.Format("vi") != "9,8" {
				t.Errorf("%s: SeizureByID = %+v, %v; want %+v", name, got, err, z)
			}
			items, err := s.SeizuresOfCase(ctx, sc, f.jointCase)
			if err != nil {
				t.Fatalf("%s: SeizuresOfCase: %v", name, err)
			}
			// By date, then in the categories' order: drugs before ammunition.
			var got3 []string
			for _, it := range items {
				got3 = append(got3, it.Category+" "+it.Quantity.Format("vi")+" "+it.CategoryUnit+" "+it.UnitCode)
			}
			want := []string{"ammunition 26 round BP-BCH", "synthetic_drug_pills 3.973 tablet BP-HOA-LU", "heroin 9,8 g CA-LOC-NINH"}
			if !slices.Equal(got3, want) {
				t.Errorf("%s: SeizuresOfCase = %q, want %q", name, got3, want)
			}
			if len(items) == 3 && (items[2].CategoryNameVI != "heroin" || items[2].CategoryNameEN != "heroin" ||
				items[2].UnitName != "Công an huyện Lộc Ninh" || !sameSeizure(&items[2].Seizure, z) ||
				items[1].CategoryNameVI != "ma túy tổng hợp" || items[1].CategoryNameEN != "synthetic drug pills" ||
				items[1].Quantity != 3973000) {
				t.Errorf("%s: SeizuresOfCase items = %+v", name, items)
			}
		}
		for name, sc := range map[string]store.Scope{"HQ": f.hqScope, "CSB": scopeOf("CSB"), "none": {}} {
			if got, err := s.SeizureByID(ctx, sc, z.ID); phoihop.ErrorCode(err) != phoihop.ENotFound || got != nil {
				t.Errorf("%s: SeizureByID = %+v, %v; want not found", name, got, err)
			}
			items, err := s.SeizuresOfCase(ctx, sc, f.jointCase)
			if phoihop.ErrorCode(err) != phoihop.ENotFound || phoihop.ErrorMessage(err) != "The case was not found." || items != nil {
				t.Errorf("%s: SeizuresOfCase = %+v, %v; want the case not found", name, items, err)
			}
		}
		if _, err := s.SeizureByID(ctx, f.caScope, 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("unknown seizure: %v", err)
		}
		if items, err := s.SeizuresOfCase(ctx, f.bpScope, f.bpCase); err != nil || len(items) != 0 || items == nil {
			t.Errorf("SeizuresOfCase of a case with no seizures = %#v, %v; want an empty list", items, err)
		}
	})
}

// TestSeizureQuantitiesAreExact: quantities round-trip to the thousandth on both engines,
// small and large.
func TestSeizureQuantitiesAreExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		for _, typed := range []string{"9,8", "0,001", "3.973", "1.234.567,891", "999.999.999.999,999"} {
			q, err := phoihop.ParseQuantity(typed)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", typed, err)
			}
			z := mustSeizure(t, s, f.ca, f.caScope, &phoihop.Seizure{CaseID: f.jointCase, Category: "methamphetamine",
				Quantity: q, SeizedOn: day(2016, 3, 1), SeizingUnitID: f.caHQ.ID})
			got, err := s.SeizureByID(ctx, f.caScope, z.ID)
			if err != nil || got.Quantity != q || got.Quantity.Format("vi") != typed {
				t.Errorf("%q: stored %d, read back %+v, %v", typed, q, got, err)
			}
			if n := countRows(t, s, `SELECT count(*) FROM seizures WHERE id = ? AND quantity_milli = ?`, z.ID, int64(q)); n != 1 {
				t.Errorf("%q: quantity_milli is not %d", typed, int64(q))
			}
		}
	})
}

func TestSeizuresEditAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		mine := mustSeizure(t, s, f.ca, f.caScope, newSeizure(f.jointCase, f.caDistrict, day(2016, 3, 1)))
		theirs := mustSeizure(t, s, f.bp, f.bpScope, newSeizure(f.jointCase, f.bpPost, day(2016, 3, 2)))
		get := func(id int64) *phoihop.Seizure {
			t.Helper()
			z, err := s.SeizureByID(ctx, f.adminScope, id)
			if err != nil {
				t.Fatal(err)
			}
			return z
		}
		edit := func(z *phoihop.Seizure, change ...func(*phoihop.Seizure)) *phoihop.Seizure {
			c := *get(z.ID)
			c.Quantity, c.Description = 10250, "Cân lại tại trụ sở: 10,25 g."
			for _, fn := range change {
				fn(&c)
			}
			return &c
		}

		refused := []struct {
			name  string
			sc    store.Scope
			z     *phoihop.Seizure
			code  string
			field string
		}{
			{"CA edits BP's seizure", f.caScope, edit(theirs), phoihop.EForbidden, ""},
			{"BP, the lead agency, edits CA's seizure", f.bpScope, edit(mine), phoihop.EForbidden, ""},
			{"a CA leader with no write", f.caLeader, edit(mine), phoihop.EForbidden, ""},
			{"HQ does not take part", f.hqScope, edit(mine), phoihop.ENotFound, ""},
			{"stale version", f.caScope, edit(mine, func(z *phoihop.Seizure) { z.Version++ }), phoihop.EConflict, ""},
			{"unknown id", f.caScope, edit(mine, func(z *phoihop.Seizure) { z.ID = 9999 }), phoihop.ENotFound, ""},
			{"another case in the URL", f.caScope, edit(mine, func(z *phoihop.Seizure) { z.CaseID = f.bpCase }), phoihop.ENotFound, ""},
			{"moved to BP's unit", f.caScope, edit(mine, func(z *phoihop.Seizure) { z.SeizingUnitID = f.bpPost.ID }), phoihop.EInvalid, "seizing_unit"},
			{"zero quantity", f.caScope, edit(mine, func(z *phoihop.Seizure) { z.Quantity = 0 }), phoihop.EInvalid, "quantity"},
		}
		for _, tt := range refused {
			checkErr(t, tt.name, s.UpdateSeizure(ctx, f.ca, tt.sc, tt.z), tt.code, tt.field)
		}
		if err := s.UpdateSeizure(ctx, f.ca, f.caScope, edit(theirs)); phoihop.ErrorMessage(err) != "Only the seizing agency can edit this seizure." {
			t.Errorf("forbidden message = %q", phoihop.ErrorMessage(err))
		}
		if !sameSeizure(get(mine.ID), mine) || !sameSeizure(get(theirs.ID), theirs) {
			t.Fatal("refused updates changed a seizure")
		}
		if n := countAudit(t, s, "seizure.update"); n != 0 {
			t.Fatalf("%d seizure.update entries after refused updates", n)
		}

		s.Now = func() time.Time { return arrestNow.Add(time.Hour) }
		upd := edit(mine, func(z *phoihop.Seizure) {
			z.SeizingUnitID, z.Category, z.LocationType, z.DepartureCountry = f.caHQ.ID, "methamphetamine", nil, ptr("la")
		})
		if err := s.UpdateSeizure(ctx, f.ca, f.caScope, upd); err != nil {
			t.Fatal(err)
		}
		if upd.Version != 2 || upd.Quantity != 10250 || upd.Category != "methamphetamine" || upd.SeizingUnitID != f.caHQ.ID ||
			upd.LocationType != nil || *upd.DepartureCountry != "LA" || upd.Agency != "CA" || upd.CaseID != f.jointCase ||
			!upd.UpdatedAt.Equal(arrestNow.Add(time.Hour)) || !upd.CreatedAt.Equal(arrestNow) || !sameSeizure(get(mine.ID), upd) {
			t.Fatalf("updated seizure = %+v", upd)
		}
		if n := countRows(t, s, `SELECT count(*) FROM seizures WHERE id = ? AND quantity_milli = 10250 AND location_type IS NULL
			AND description_search = ?`, mine.ID, "can lai tai tru so: 10,25 g."); n != 1 {
			t.Fatal("quantity, location type or description_search not updated")
		}
		e := lastAudit(t, s, "seizure.update")
		before, after := changesOf(t, e)
		if e.Domain != "CA" || e.EntityID != strconvID(mine.ID) || before["quantity"] != "9.8" || before["category"] != "heroin" ||
			after["quantity"] != "10.25" || after["category"] != "methamphetamine" || after["version"] != float64(2) {
			t.Fatalf("seizure.update entry = %+v %s", e, e.Changes)
		}
		stale := edit(mine, func(z *phoihop.Seizure) { z.Version, z.Quantity = 1, 1000 })
		checkErr(t, "update on version 1", s.UpdateSeizure(ctx, f.ca, f.caScope, stale), phoihop.EConflict, "")
		if got := get(mine.ID); got.Version != 2 || got.Quantity != 10250 {
			t.Fatalf("stale update changed the seizure: %+v", got)
		}

		removals := []struct {
			name    string
			sc      store.Scope
			id      int64
			version int
			reason  string
			code    string
		}{
			{"no reason", f.caScope, mine.ID, 2, "", phoihop.EInvalid},
			{"reason too long", f.caScope, mine.ID, 2, strings.Repeat("ê", 501), phoihop.EInvalid},
			{"reason not UTF-8", f.caScope, mine.ID, 2, "\xff", phoihop.EInvalid},
			{"stale version", f.caScope, mine.ID, 1, "Nhập nhầm.", phoihop.EConflict},
			{"BP removes CA's seizure", f.bpScope, mine.ID, 2, "Nhập nhầm.", phoihop.EForbidden},
			{"CA removes BP's seizure", f.caScope, theirs.ID, 1, "Nhập nhầm.", phoihop.EForbidden},
			{"HQ removes", f.hqScope, mine.ID, 2, "Nhập nhầm.", phoihop.ENotFound},
			{"unknown id", f.caScope, 9999, 1, "Nhập nhầm.", phoihop.ENotFound},
		}
		for _, tt := range removals {
			field := ""
			if tt.code == phoihop.EInvalid {
				field = "reason"
			}
			checkErr(t, tt.name, s.RemoveSeizure(ctx, f.ca, tt.sc, tt.id, tt.version, tt.reason), tt.code, field)
		}
		if got := get(mine.ID); got.Removed() || got.Version != 2 {
			t.Fatalf("refused removals changed the seizure: %+v", got)
		}
		if n := countAudit(t, s, "seizure.remove"); n != 0 {
			t.Fatalf("%d seizure.remove entries after refused removals", n)
		}

		if err := s.RemoveSeizure(ctx, f.ca, f.caScope, mine.ID, 2, "Nhập nhầm chuyên án."); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SeizureByID(ctx, f.caScope, mine.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("a removed seizure is still found: %v", err)
		}
		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope} {
			if items, err := s.SeizuresOfCase(ctx, sc, f.jointCase); err != nil || len(items) != 1 || items[0].ID != theirs.ID {
				t.Errorf("%s: SeizuresOfCase after the removal = %+v, %v", name, items, err)
			}
		}
		removed := get(mine.ID)
		if !removed.Removed() || *removed.DeleteReason != "Nhập nhầm chuyên án." || *removed.DeletedBy != f.caUserID ||
			!removed.DeletedAt.Equal(arrestNow.Add(time.Hour)) || removed.Version != 3 || removed.Quantity != 10250 {
			t.Fatalf("removed seizure = %+v", removed)
		}
		if items, err := s.SeizuresOfCase(ctx, f.adminScope, f.jointCase); err != nil || len(items) != 2 {
			t.Errorf("SeizuresOfCase with removed records = %+v, %v", items, err)
		}
		e = lastAudit(t, s, "seizure.remove")
		before, after = changesOf(t, e)
		if e.Domain != "CA" || e.EntityID != strconvID(mine.ID) || before["delete_reason"] != nil ||
			after["delete_reason"] != "Nhập nhầm chuyên án." || after["quantity"] != "10.25" {
			t.Fatalf("seizure.remove entry = %+v %s", e, e.Changes)
		}
		again := *removed
		checkErr(t, "update a removed seizure", s.UpdateSeizure(ctx, f.ca, f.caScope, &again), phoihop.ENotFound, "")
		checkErr(t, "remove twice", s.RemoveSeizure(ctx, f.ca, f.caScope, mine.ID, 3, "Lại."), phoihop.ENotFound, "")
		if n := countAudit(t, s, "seizure.remove"); n != 1 {
			t.Fatalf("%d seizure.remove entries, want 1", n)
		}
	})
}

func TestSeizureValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		removedCase := insertCase(t, s, "BP-2016-03", f.bpPost, "BP", "CA")
		removeCase(t, s, removedCase)

		tests := []struct {
			name   string
			sc     store.Scope
			change func(z *phoihop.Seizure)
			code   string
			field  string
			msg    string
		}{
			{"no category", f.caScope, func(z *phoihop.Seizure) { z.Category = "" }, phoihop.EInvalid, "category", ""},
			{"unknown category", f.caScope, func(z *phoihop.Seizure) { z.Category = "cocaine" }, phoihop.EInvalid, "category", ""},
			{"category not UTF-8", f.caScope, func(z *phoihop.Seizure) { z.Category = "heroin\xff" }, phoihop.EInvalid, "category", ""},
			{"zero quantity", f.caScope, func(z *phoihop.Seizure) { z.Quantity = 0 }, phoihop.EInvalid, "quantity", ""},
			{"negative quantity", f.caScope, func(z *phoihop.Seizure) { z.Quantity = -9800 }, phoihop.EInvalid, "quantity", ""},
			{"quantity too large", f.caScope, func(z *phoihop.Seizure) { z.Quantity = 1e15 + 1 }, phoihop.EInvalid, "quantity", ""},
			{"no seizure date", f.caScope, func(z *phoihop.Seizure) { z.SeizedOn = phoihop.Date{} }, phoihop.EInvalid, "seized_on", ""},
			{"seized tomorrow", f.caScope, func(z *phoihop.Seizure) { z.SeizedOn = day(2026, 3, 3) }, phoihop.EInvalid, "seized_on", ""},
			{"seized in 1989", f.caScope, func(z *phoihop.Seizure) { z.SeizedOn = day(1989, 1, 1) }, phoihop.EInvalid, "seized_on", ""},
			{"unknown location type", f.caScope, func(z *phoihop.Seizure) { z.LocationType = ptr("market") }, phoihop.EInvalid, "location_type", ""},
			{"unknown transport mode", f.caScope, func(z *phoihop.Seizure) { z.TransportMode = ptr("bicycle") }, phoihop.EInvalid, "transport_mode", ""},
			{"three-letter departure", f.caScope, func(z *phoihop.Seizure) { z.DepartureCountry = ptr("KHM") }, phoihop.EInvalid, "departure_country", ""},
			{"destination with a digit", f.caScope, func(z *phoihop.Seizure) { z.DestinationCountry = ptr("V1") }, phoihop.EInvalid, "destination_country", ""},
			{"destination not UTF-8", f.caScope, func(z *phoihop.Seizure) { z.DestinationCountry = ptr("\xff\xfe") }, phoihop.EInvalid, "destination_country", ""},
			{"description too long", f.caScope, func(z *phoihop.Seizure) { z.Description = strings.Repeat("ơ", 5001) }, phoihop.EInvalid, "description", ""},
			{"description not UTF-8", f.caScope, func(z *phoihop.Seizure) { z.Description = "gói \xff" }, phoihop.EInvalid, "description", ""},
			{"no unit", f.caScope, func(z *phoihop.Seizure) { z.SeizingUnitID = 0 }, phoihop.EInvalid, "seizing_unit", ""},
			{"unknown unit", f.caScope, func(z *phoihop.Seizure) { z.SeizingUnitID = 9999 }, phoihop.EInvalid, "seizing_unit", "The unit does not exist."},
			{"another agency's unit", f.caScope, func(z *phoihop.Seizure) { z.SeizingUnitID = f.bpHQ.ID }, phoihop.EInvalid, "seizing_unit", "Choose a unit of your own agency."},
			{"agency not taking part", f.caAndCSB, func(z *phoihop.Seizure) { z.SeizingUnitID = f.csbFlotilla.ID }, phoihop.EInvalid, "seizing_unit", "The unit's agency does not take part in this case."},
			{"unit retired before the seizure", f.caScope, func(z *phoihop.Seizure) { z.SeizedOn = day(2025, 12, 1) }, phoihop.EInvalid, "seizing_unit", "The unit was not in service on that date."},
			{"a leader without write", f.caLeader, func(z *phoihop.Seizure) {}, phoihop.EInvalid, "seizing_unit", "Choose a unit of your own agency."},
			{"unknown case", f.caScope, func(z *phoihop.Seizure) { z.CaseID = 9999 }, phoihop.ENotFound, "", "The case was not found."},
			{"a BP-only case", f.caScope, func(z *phoihop.Seizure) { z.CaseID = f.bpCase }, phoihop.ENotFound, "", "The case was not found."},
			{"HQ does not take part", f.hqScope, func(z *phoihop.Seizure) { z.SeizingUnitID = f.hqBranch.ID }, phoihop.ENotFound, "", "The case was not found."},
			{"a removed case", f.caScope, func(z *phoihop.Seizure) { z.CaseID = removedCase }, phoihop.ENotFound, "", "The case was not found."},
		}
		for _, tt := range tests {
			z := newSeizure(f.jointCase, f.caDistrict, day(2016, 3, 1))
			tt.change(z)
			err := s.CreateSeizure(ctx, f.ca, tt.sc, z)
			checkErr(t, tt.name, err, tt.code, tt.field)
			if tt.msg != "" {
				got := phoihop.ErrorMessage(err)
				if tt.field != "" {
					got = fieldOf(err, tt.field)
				}
				if got != tt.msg {
					t.Errorf("%s: message = %q, want %q", tt.name, got, tt.msg)
				}
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM seizures`); n != 0 {
			t.Fatalf("%d seizures after refused creates", n)
		}
		if n := countAudit(t, s, "seizure.create"); n != 0 {
			t.Fatalf("%d seizure.create entries after refused creates", n)
		}

		// The retired district police is accepted before its retirement, not after.
		z := mustSeizure(t, s, f.ca, f.caScope, newSeizure(f.jointCase, f.caDistrict, day(2025, 6, 1)))
		later := *z
		later.SeizedOn = day(2025, 7, 1)
		checkErr(t, "edit to a day after retirement", s.UpdateSeizure(ctx, f.ca, f.caScope, &later), phoihop.EInvalid, "seizing_unit")
		if got, err := s.SeizureByID(ctx, f.caScope, z.ID); err != nil || got.SeizedOn != day(2025, 6, 1) || got.Version != 1 {
			t.Fatalf("refused edit changed the seizure: %+v, %v", got, err)
		}
	})
}

// TestSeizuresScoping: an officer of CA reaches nothing of a case of BP alone, and nothing of a
// removed case, whatever the method.
func TestSeizuresScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		bpOnly := mustSeizure(t, s, f.bp, f.bpScope, newSeizure(f.bpCase, f.bpPost, day(2016, 2, 1)))
		joint := mustSeizure(t, s, f.ca, f.caScope, newSeizure(f.jointCase, f.caHQ, day(2016, 2, 1)))

		if _, err := s.SeizureByID(ctx, f.caScope, bpOnly.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CA reads a seizure of a BP-only case: %v", err)
		}
		if _, err := s.SeizuresOfCase(ctx, f.caScope, f.bpCase); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CA lists the seizures of a BP-only case: %v", err)
		}
		upd := *bpOnly
		upd.SeizingUnitID = f.caHQ.ID
		checkErr(t, "CA updates a seizure of a BP-only case", s.UpdateSeizure(ctx, f.ca, f.caScope, &upd), phoihop.ENotFound, "")
		checkErr(t, "CA removes a seizure of a BP-only case", s.RemoveSeizure(ctx, f.ca, f.caScope, bpOnly.ID, 1, "Sai."), phoihop.ENotFound, "")
		if got, err := s.SeizureByID(ctx, f.bpScope, bpOnly.ID); err != nil || !sameSeizure(got, bpOnly) {
			t.Fatalf("refused writes changed BP's seizure: %+v, %v", got, err)
		}

		removeCase(t, s, f.jointCase)
		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope} {
			if _, err := s.SeizureByID(ctx, sc, joint.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
				t.Errorf("%s reads a seizure of a removed case: %v", name, err)
			}
			if _, err := s.SeizuresOfCase(ctx, sc, f.jointCase); phoihop.ErrorCode(err) != phoihop.ENotFound {
				t.Errorf("%s lists the seizures of a removed case: %v", name, err)
			}
		}
		if items, err := s.SeizuresOfCase(ctx, f.adminScope, f.jointCase); err != nil || len(items) != 1 {
			t.Errorf("admin lists the seizures of a removed case: %+v, %v", items, err)
		}
		upd = *joint
		upd.Description = "Sửa."
		checkErr(t, "update in a removed case", s.UpdateSeizure(ctx, f.ca, f.caScope, &upd), phoihop.ENotFound, "")
		checkErr(t, "remove in a removed case", s.RemoveSeizure(ctx, f.ca, f.caScope, joint.ID, 1, "Sai."), phoihop.ENotFound, "")
		if n := countAudit(t, s, "seizure.update") + countAudit(t, s, "seizure.remove"); n != 0 {
			t.Fatalf("%d audit entries after refused writes", n)
		}
	})
}

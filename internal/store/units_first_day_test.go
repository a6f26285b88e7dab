package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestUnitWithoutFirstDay checks that a unit whose first day in service is not known is in
// service since always: records of any date may name it, it counts among the units in
// service on any day until it is retired, and it is stored and shown with no first day.
func TestUnitWithoutFirstDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newExchangeFixture(t, s) // caHQ and the others are in service since 2004-01-01
		old := mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "CA-CU", Name: "Công an thị xã (cũ)", Kind: "district"})
		if !old.ValidFrom.IsZero() || !old.ValidTo.IsZero() || old.ID == 0 {
			t.Fatalf("created unit = %+v, want no first and no last day", old)
		}
		if n := countRows(t, s, `SELECT count(*) FROM units WHERE id = ? AND valid_from IS NULL`, old.ID); n != 1 {
			t.Fatal("the unknown first day is not stored as NULL")
		}
		got, err := s.UnitByCode(ctx, "CA-CU")
		if err != nil || !got.ValidFrom.IsZero() || !got.ActiveOn(day(1990, 1, 1)) || !got.ActiveOn(day(2026, 3, 15)) {
			t.Fatalf("UnitByCode(CA-CU) = %+v, %v; want no first day, in service on 1990-01-01 and today", got, err)
		}
		_, after := changesOf(t, lastAudit(t, s, "unit.create"))
		if v, ok := after["valid_from"]; !ok || v != nil {
			t.Fatalf("unit.create entry valid_from = %#v (present %v), want null", v, ok)
		}

		// In service on 1990-01-01: the unit without a first day only; on the first day of
		// the others, all of them.
		codes := func(on phoihop.Date) []string {
			t.Helper()
			units, err := s.Units(ctx, store.UnitFilter{Agency: "CA", ActiveOn: on})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range units {
				out = append(out, u.Code)
			}
			slices.Sort(out)
			return out
		}
		if got, want := codes(day(1990, 1, 1)), []string{"CA-CU"}; !slices.Equal(got, want) {
			t.Fatalf("CA units in service on 1990-01-01 = %q, want %q", got, want)
		}
		if got, want := codes(day(2003, 12, 31)), []string{"CA-CU"}; !slices.Equal(got, want) {
			t.Fatalf("CA units in service on 2003-12-31 = %q, want %q", got, want)
		}
		if got, want := codes(day(2004, 1, 1)), []string{"CA-CU", "ET-CA-LOC-NINH", "ET-CA-TINH"}; !slices.Equal(got, want) {
			t.Fatalf("CA units in service on 2004-01-01 = %q, want %q", got, want)
		}
		counts, err := s.UnitCounts(ctx, day(1990, 1, 1))
		if err != nil || counts["CA"] != 1 || counts["BP"] != 0 || len(counts) != 1 {
			t.Fatalf("UnitCounts(1990-01-01) = %v, %v; want CA 1 only", counts, err)
		}
		counts, err = s.UnitCounts(ctx, day(2026, 3, 15))
		if err != nil || counts["CA"] != 2 || counts["BP"] != 2 {
			t.Fatalf("UnitCounts(2026-03-15) = %v, %v; want CA 2 (the district was abolished), BP 2", counts, err)
		}

		// A record of 2003 can name it, not a unit that came into service in 2004.
		tip := &phoihop.Tip{ReceivedOn: day(2003, 6, 1), SourceUnitID: old.ID, Subject: "Tin năm 2003",
			Content: "Nội dung tin", CrimeType: "drugs"}
		if err := s.CreateTip(ctx, u.actor, scopeOf("CA"), tip); err != nil {
			t.Fatalf("tip of 2003 from the unit without a first day: %v", err)
		}
		late := &phoihop.Tip{ReceivedOn: day(2003, 6, 1), SourceUnitID: u.caHQ.ID, Subject: "Tin năm 2003",
			Content: "Nội dung tin", CrimeType: "drugs"}
		if err := s.CreateTip(ctx, u.actor, scopeOf("CA"), late); fieldOf(err, "source_unit") == "" {
			t.Fatalf("tip of 2003 from a unit in service since 2004 = %v, want refused on source_unit", err)
		}
		bpOld := mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "BP-CU", Name: "Đồn Biên phòng (cũ)", Kind: "border_post", Border: true})
		ex := &phoihop.Exchange{HeldOn: day(2003, 9, 30), Kind: "periodic", OrganizingUnitID: old.ID,
			UnitIDs: []int64{old.ID, u.bpPost.ID}, Summary: "Giao ban 2003"}
		if err := s.CreateExchange(ctx, u.actor, scopeOf("CA"), ex); fieldOf(err, "units") == "" {
			t.Fatalf("exchange of 2003 with a unit in service since 2004 = %v, want refused on units", err)
		}
		ex.UnitIDs = []int64{old.ID, bpOld.ID}
		if err := s.CreateExchange(ctx, u.actor, scopeOf("CA"), ex); err != nil {
			t.Fatalf("exchange of 2003 between units without a first day: %v", err)
		}

		// A unit under it may have no first day either.
		team := mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &old.ID, Code: "CA-CU-1", Name: "Đội 1", Kind: "team"})

		// Retiring it still works, on any day: children first.
		if _, err := s.RetireUnit(ctx, u.actor, store.Domains{All: true}, old.ID, day(2010, 12, 31), old.Version); fieldOf(err, "valid_to") == "" {
			t.Fatalf("retire with a child in service = %v, want an error on valid_to", err)
		}
		if _, err := s.RetireUnit(ctx, u.actor, store.Domains{All: true}, team.ID, day(1995, 1, 1), team.Version); err != nil {
			t.Fatalf("retire the team on 1995-01-01: %v", err)
		}
		retired, err := s.RetireUnit(ctx, u.actor, store.Domains{All: true}, old.ID, day(2010, 12, 31), old.Version)
		if err != nil || retired.ValidTo != day(2010, 12, 31) || !retired.ValidFrom.IsZero() {
			t.Fatalf("retire = %+v, %v; want in service until 2010-12-31 with no first day", retired, err)
		}
		if !retired.ActiveOn(day(1990, 1, 1)) || !retired.ActiveOn(day(2010, 12, 31)) || retired.ActiveOn(day(2011, 1, 1)) {
			t.Fatal("a retired unit without a first day is in service from always to its last day")
		}
		if got, want := codes(day(2011, 1, 1)), []string{"ET-CA-LOC-NINH", "ET-CA-TINH"}; !slices.Equal(got, want) {
			t.Fatalf("CA units in service on 2011-01-01 = %q, want %q", got, want)
		}
		if got, want := codes(day(2010, 12, 31)), []string{"CA-CU", "ET-CA-LOC-NINH", "ET-CA-TINH"}; !slices.Equal(got, want) {
			t.Fatalf("CA units in service on 2010-12-31 = %q, want %q", got, want)
		}
		counts, err = s.UnitCounts(ctx, day(2026, 3, 15))
		if err != nil || counts["CA"] != 1 || counts["BP"] != 3 {
			t.Fatalf("UnitCounts(2026-03-15) after the retirement = %v, %v; want CA 1, BP 3", counts, err)
		}
		counts, err = s.UnitCounts(ctx, day(1990, 1, 1))
		if err != nil || counts["CA"] != 2 || counts["BP"] != 1 || len(counts) != 2 {
			t.Fatalf("UnitCounts(1990-01-01) after the retirements = %v, %v; want CA 2 (the unit and its team, retired in 2010 and 1995), BP 1", counts, err)
		}
		after2011 := &phoihop.Tip{ReceivedOn: day(2011, 1, 1), SourceUnitID: old.ID, Subject: "Tin năm 2011",
			Content: "Nội dung tin", CrimeType: "drugs"}
		if err := s.CreateTip(ctx, u.actor, scopeOf("CA"), after2011); fieldOf(err, "source_unit") == "" {
			t.Fatalf("tip of 2011 from the unit retired in 2010 = %v, want refused on source_unit", err)
		}
	})
}

// TestMigrateUnitsFirstDay runs the migration that lets a unit have no first day down and up
// again on a database holding units, an account and records that refer to them: down gives
// the units without a first day the day 0001-01-01, up reads it back as unknown, and every
// row, reference and constraint survives (on SQLite the table is rebuilt).
func TestMigrateUnitsFirstDay(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.OpenEmpty(t, engine)
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			latest := applied[len(applied)-1]
			u := newExchangeFixture(t, s)
			old := mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &u.caHQ.ID, Code: "CA-CU", Name: "Công an thị xã (cũ)", Kind: "district"})
			tip := &phoihop.Tip{ReceivedOn: day(2003, 6, 1), SourceUnitID: old.ID, Subject: "Tin năm 2003", Content: "Nội dung", CrimeType: "drugs"}
			if err := s.CreateTip(ctx, u.actor, scopeOf("CA"), tip); err != nil {
				t.Fatal(err)
			}
			units := func() []phoihop.Unit {
				t.Helper()
				all, err := s.Units(ctx, store.UnitFilter{})
				if err != nil {
					t.Fatal(err)
				}
				return all
			}
			before := units()

			if err := s.MigrateDownTo(ctx, 3); err != nil {
				t.Fatalf("down to 3: %v", err)
			}
			if n := countRows(t, s, `SELECT count(*) FROM units WHERE valid_from IS NULL`); n != 0 {
				t.Fatalf("%d units without a first day after down, want 0", n)
			}
			if n := countRows(t, s, `SELECT count(*) FROM units WHERE id = ? AND valid_from = ?`, old.ID, "0001-01-01"); n != 1 {
				t.Fatal("after down the unit without a first day is not in service from 0001-01-01")
			}
			if err := storetest.Exec(s, `UPDATE units SET valid_from = NULL WHERE id = ?`, old.ID); err == nil {
				t.Fatal("after down valid_from NULL is accepted, want refused")
			}
			checkUnitReferences(t, s)

			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v != latest {
				t.Fatalf("schema version = %d, %v; want %d", v, err, latest)
			}
			after := units()
			if len(after) != len(before) {
				t.Fatalf("%d units after down and up, want %d", len(after), len(before))
			}
			for i := range before {
				b, a := before[i], after[i]
				b.CreatedAt, b.UpdatedAt, a.CreatedAt, a.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
				if !equalUnits(a, b) {
					t.Errorf("unit after down and up = %+v, want %+v", a, b)
				}
			}
			checkUnitReferences(t, s)
			got, err := s.TipByID(ctx, readScopeOf("CA"), tip.ID)
			if err != nil || got.SourceUnitID != old.ID {
				t.Fatalf("tip after down and up = %+v, %v", got, err)
			}
			// The constraints of the rebuilt table hold.
			if err := storetest.Exec(s, `UPDATE units SET valid_to = ? WHERE id = ?`, "2003-12-31", u.caHQ.ID); err == nil {
				t.Error("a unit retired before its first day is accepted")
			}
			if err := storetest.Exec(s, `UPDATE units SET parent_id = ? WHERE id = ?`, u.bpPost.ID, old.ID); err == nil {
				t.Error("a parent of another agency is accepted")
			}
			if err := storetest.Exec(s, `UPDATE units SET code = ? WHERE id = ?`, "ET-CA-TINH", old.ID); err == nil {
				t.Error("a duplicate unit code is accepted")
			}
			if err := storetest.Exec(s, `DELETE FROM units WHERE id = ?`, old.ID); err == nil {
				t.Error("a unit a tip refers to can be deleted")
			}
			if err := storetest.Exec(s, `UPDATE units SET valid_to = ? WHERE id = ?`, "2010-12-31", old.ID); err != nil {
				t.Errorf("retiring the unit without a first day: %v", err)
			}
		})
	}
}

func equalUnits(a, b phoihop.Unit) bool {
	return a.ID == b.ID && a.Agency == b.Agency && ((a.ParentID == nil) == (b.ParentID == nil)) &&
		(a.ParentID == nil || *a.ParentID == *b.ParentID) && a.Code == b.Code && a.Name == b.Name && a.Kind == b.Kind &&
		a.Border == b.Border && a.ValidFrom == b.ValidFrom && a.ValidTo == b.ValidTo && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
}

// checkUnitReferences checks, on SQLite, that every reference to a unit holds, that the
// foreign keys are enforced on every connection, and that the units table is whole: its
// self-reference and its indexes.
func checkUnitReferences(t *testing.T, s *store.Store) {
	t.Helper()
	if s.Engine() != config.SQLite {
		return
	}
	ctx := context.Background()
	rows, err := s.DB().QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("PRAGMA foreign_key_check finds broken references")
	}
	rows.Close()
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var fk int
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("connection %d: foreign_keys = %d, %v; want 1", i, fk, err)
		}
	}
	var def string
	if err := s.DB().QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'units'").Scan(&def); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(def, "units_new") || strings.Contains(def, "units_old") || !strings.Contains(def, `REFERENCES "units" (id, agency)`) {
		t.Errorf("units table = %s, want it to refer to itself by its name", def)
	}
	if n := countRows(t, s, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'units'
		AND name IN ('units_agency_parent_idx', 'units_parent_idx')`); n != 2 {
		t.Errorf("%d of the 2 indexes of units, want both", n)
	}
}

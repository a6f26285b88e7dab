package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestUnitAddWithoutFirstDay checks that a unit added without --valid-from is in service since
// always, so records of past years can name it, and that the help says so.
func TestUnitAddWithoutFirstDay(t *testing.T) {
	help := mustRun(t, "", "unit", "add", "--help")
	for _, w := range []string{"Without --valid-from the unit counts as in service since always", "records of any date can name it",
		"(default: not known, in service since always)"} {
		if !strings.Contains(help, w) {
			t.Errorf("unit add --help = %q, want it to contain %q", help, w)
		}
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testUnitAddWithoutFirstDay(t, engine) })
	}
}

func testUnitAddWithoutFirstDay(t *testing.T, engine string) {
	ctx := context.Background()
	db := storetest.URL(t, engine)
	out := mustRun(t, "", "unit", "add", "--database-url", db, "--agency", "CA", "--code", "CA-LOC-NINH",
		"--name", "Công an huyện Lộc Ninh", "--kind", "district")
	if want := `created unit CA-LOC-NINH "Công an huyện Lộc Ninh" of CA (id 1), in service since always (first day not known)`; !strings.Contains(out, want) {
		t.Fatalf("unit add = %q, want %q", out, want)
	}
	out = mustRun(t, "", "unit", "add", "--database-url", db, "--agency", "CA", "--code", "CA-TINH",
		"--name", "Công an tỉnh", "--kind", "headquarters", "--valid-from", "2004-02-13")
	if want := "in service from 13/02/2004"; !strings.Contains(out, want) {
		t.Fatalf("unit add --valid-from 2004-02-13 = %q, want %q", out, want)
	}

	st := mustOpen(t, db)
	old, err := st.UnitByCode(ctx, "CA-LOC-NINH")
	if err != nil {
		t.Fatal(err)
	}
	if !old.ValidFrom.IsZero() || !old.ActiveOn(phoihop.Date{Year: 1990, Month: time.January, Day: 1}) {
		t.Fatalf("unit added without --valid-from = %+v, want no first day, in service on 01/01/1990", old)
	}
	dated, err := st.UnitByCode(ctx, "CA-TINH")
	if err != nil {
		t.Fatal(err)
	}
	// A tip of 2003 can name the unit without a first day, not the one in service since 2004.
	sc := store.Scope{Read: []string{"CA"}, Write: []string{"CA"}}
	tip := func(unit *phoihop.Unit) *phoihop.Tip {
		return &phoihop.Tip{ReceivedOn: phoihop.Date{Year: 2003, Month: time.June, Day: 1}, SourceUnitID: unit.ID,
			Subject: "Tin năm 2003", Content: "Nội dung", CrimeType: "drugs"}
	}
	if err := st.CreateTip(ctx, phoihop.SystemActor("test"), sc, tip(old)); err != nil {
		t.Fatalf("a tip of 2003 from the unit added without --valid-from: %v", err)
	}
	err = st.CreateTip(ctx, phoihop.SystemActor("test"), sc, tip(dated))
	if pe, ok := err.(*phoihop.Error); !ok || pe.Fields["source_unit"] == "" {
		t.Fatalf("a tip of 2003 from the unit in service since 2004 = %v, want refused on source_unit", err)
	}
}

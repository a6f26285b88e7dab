package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// arrestNow is the clock of the suspect and seizure tests: 2 March 2026, 10:00 in Vietnam.
var arrestNow = time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)

// arrestFixture is a province with units of the four agencies, an officer of CA, BP and HQ, a
// joint case led by BP's border post with CA taking part, and a case of BP alone.
type arrestFixture struct {
	s                              *store.Store
	ca, bp, hq                     phoihop.Actor // officers of CA, BP and HQ
	caUserID, bpUserID             int64
	caHQ, caDistrict, bpHQ, bpPost *phoihop.Unit // caDistrict: district police retired 2025-06-30
	csbFlotilla, hqBranch          *phoihop.Unit
	jointCase, bpCase              int64
	caScope, bpScope, hqScope      store.Scope // officers: read and write their agency
	caAndCSB                       store.Scope // an officer of CA and CSB
	caLeader                       store.Scope // reads CA, writes nothing
	adminScope                     store.Scope // reads everything, removed records too
}

// newArrestFixture sets the store's clock to arrestNow and creates the fixture.
func newArrestFixture(t *testing.T, s *store.Store) *arrestFixture {
	t.Helper()
	s.Now = func() time.Time { return arrestNow }
	f := &arrestFixture{s: s}
	f.caHQ = mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh Bình Phước", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
	f.caDistrict = mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &f.caHQ.ID, Code: "CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: day(2004, 1, 1), ValidTo: day(2025, 6, 30)})
	f.bpHQ = mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy BĐBP tỉnh", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
	f.bpPost = mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", ValidFrom: day(2004, 1, 1)})
	f.csbFlotilla = mustUnit(t, s, &phoihop.Unit{Agency: "CSB", Code: "CSB-HD3", Name: "Hải đội 3", Kind: "flotilla", ValidFrom: day(2004, 1, 1)})
	f.hqBranch = mustUnit(t, s, &phoihop.Unit{Agency: "HQ", Code: "HQ-HOA-LU", Name: "Chi cục Hải quan cửa khẩu Hoa Lư", Kind: "customs_branch", ValidFrom: day(2004, 1, 1)})
	f.ca, f.caUserID = newOfficer(t, s, "ca.officer", "Nguyễn Văn An", f.caHQ)
	f.bp, f.bpUserID = newOfficer(t, s, "bp.officer", "Trần Thị Bình", f.bpPost)
	f.hq, _ = newOfficer(t, s, "hq.officer", "Lê Văn Cường", f.hqBranch)
	f.jointCase = insertCase(t, s, "BP-2016-01", f.bpPost, "BP", "CA")
	f.bpCase = insertCase(t, s, "BP-2016-02", f.bpPost, "BP")
	f.caScope = scopeOf("CA")
	f.bpScope = scopeOf("BP")
	f.hqScope = scopeOf("HQ")
	f.caAndCSB = scopeOf("CA", "CSB")
	f.caLeader = store.Scope{Read: []string{"CA"}}
	f.adminScope = store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}, Removed: true}
	return f
}

// newOfficer creates an account of the unit and returns it as an actor, and its id.
func newOfficer(t *testing.T, s *store.Store, username, fullName string, unit *phoihop.Unit) (phoihop.Actor, int64) {
	t.Helper()
	u := &phoihop.User{Username: username, FullName: fullName, UnitID: &unit.ID}
	if err := s.CreateUser(context.Background(), phoihop.SystemActor("test"), allAccounts, u, testHash); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return phoihop.Actor{UserID: &u.ID, Username: u.Username, IP: "10.0.0.7", RequestID: "req-" + username}, u.ID
}

// insertCase inserts, with plain SQL in one transaction, an open drug case opened on 2016-01-10
// and led by the unit, with the agencies taking part (the lead one first); it returns its id.
func insertCase(t *testing.T, s *store.Store, code string, lead *phoihop.Unit, agencies ...string) int64 {
	t.Helper()
	rb := func(q string) string { return sqlx.Rebind(sqlx.BindType(s.DriverName()), q) }
	tx, err := s.DB().Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRow(rb(`INSERT INTO cases (code, title, crime_type, lead_agency, lead_unit, area, opened_on,
		status, summary, search, version, created_at, updated_at)
		VALUES (?, ?, 'drugs', ?, ?, 'border', '2016-01-10', 'open', '', ?, 1, ?, ?) RETURNING id`),
		code, "Chuyên án "+code, lead.Agency, lead.ID, strings.ToLower(code), arrestNow, arrestNow).Scan(&id)
	if err != nil {
		t.Fatalf("insert case %s: %v", code, err)
	}
	for _, a := range agencies {
		if _, err := tx.Exec(rb(`INSERT INTO case_agencies (case_id, agency) VALUES (?, ?)`), id, a); err != nil {
			t.Fatalf("insert case agency %s: %v", a, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit case %s: %v", code, err)
	}
	return id
}

// removeCase soft-deletes a case with plain SQL.
func removeCase(t *testing.T, s *store.Store, id int64) {
	t.Helper()
	storetest.MustExec(t, s, `UPDATE cases SET deleted_at = ?, delete_reason = 'entered twice' WHERE id = ?`, arrestNow, id)
}

// newSuspect returns a valid arrest in the case by the unit on the day.
func newSuspect(caseID int64, unit *phoihop.Unit, on phoihop.Date) *phoihop.Suspect {
	return &phoihop.Suspect{CaseID: caseID, FullName: "Lò Văn Đức", BirthYear: ptr(1985), Gender: "male",
		Nationality: "VN", IDNumber: "070085001234", Address: "Ấp 5, xã Lộc Thạnh, Lộc Ninh", ArrestedOn: on,
		ArrestingUnitID: unit.ID, Notes: "Bắt quả tang khi đang vận chuyển ma túy."}
}

// mustSuspect creates an arrest, failing the test when it cannot.
func mustSuspect(t *testing.T, s *store.Store, a phoihop.Actor, sc store.Scope, sp *phoihop.Suspect) *phoihop.Suspect {
	t.Helper()
	if err := s.CreateSuspect(context.Background(), a, sc, sp); err != nil {
		t.Fatalf("create suspect %s: %v", sp.FullName, err)
	}
	return sp
}

// checkErr checks that err has the code and, when field is not empty, a message on the field.
func checkErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if phoihop.ErrorCode(err) != code || (field != "" && fieldOf(err, field) == "") {
		t.Errorf("%s: error = %v, want %s on %q", what, err, code, field)
	}
}

// sameSuspect reports whether two arrests hold the same values (times compared as instants).
func sameSuspect(a, b *phoihop.Suspect) bool {
	x, y := *a, *b
	if !x.CreatedAt.Equal(y.CreatedAt) || !x.UpdatedAt.Equal(y.UpdatedAt) ||
		(x.DeletedAt == nil) != (y.DeletedAt == nil) || (x.DeletedAt != nil && !x.DeletedAt.Equal(*y.DeletedAt)) {
		return false
	}
	x.CreatedAt, x.UpdatedAt, x.DeletedAt = time.Time{}, time.Time{}, nil
	y.CreatedAt, y.UpdatedAt, y.DeletedAt = time.Time{}, time.Time{}, nil
	return sameSuspectValues(x, y)
}

func sameSuspectValues(x, y phoihop.Suspect) bool {
	eqInt := func(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	eqID := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	eqStr := func(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return x.ID == y.ID && x.CaseID == y.CaseID && x.Agency == y.Agency && x.FullName == y.FullName &&
		eqInt(x.BirthYear, y.BirthYear) && x.Gender == y.Gender && x.Nationality == y.Nationality &&
		x.IDNumber == y.IDNumber && x.Address == y.Address && x.ArrestedOn == y.ArrestedOn &&
		x.ArrestingUnitID == y.ArrestingUnitID && x.Notes == y.Notes && x.Version == y.Version &&
		eqID(x.CreatedBy, y.CreatedBy) && eqID(x.UpdatedBy, y.UpdatedBy) && eqID(x.DeletedBy, y.DeletedBy) &&
		eqStr(x.DeleteReason, y.DeleteReason)
}

func suspectNames(items []store.SuspectItem) []string {
	var names []string
	for _, it := range items {
		names = append(names, it.FullName+"@"+it.UnitCode)
	}
	return names
}

func TestSuspectsCreateAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)

		// CA takes part in BP's case and records its own arrest, by a district unit retired in
		// 2025 but in service on the day of the arrest.
		in := newSuspect(f.jointCase, f.caDistrict, day(2016, 3, 1))
		in.FullName, in.Nationality, in.Gender = "  Lò   Văn Đức ", " vn", " male "
		in.Agency = "BP" // never trusted: the agency is the unit's
		sp := mustSuspect(t, s, f.ca, f.caScope, in)
		if sp.ID == 0 || sp.Agency != "CA" || sp.Version != 1 || sp.FullName != "Lò   Văn Đức" || sp.Nationality != "VN" ||
			sp.Gender != "male" || sp.CreatedBy == nil || *sp.CreatedBy != f.caUserID || sp.UpdatedBy == nil ||
			!sp.CreatedAt.Equal(arrestNow) || !sp.UpdatedAt.Equal(arrestNow) || sp.Removed() {
			t.Fatalf("created suspect = %+v", sp)
		}
		if n := countRows(t, s, `SELECT count(*) FROM suspects WHERE id = ? AND full_name_search = ? AND agency = 'CA'
			AND arrested_on = ? AND birth_year = 1985`, sp.ID, "lo van duc", day(2016, 3, 1)); n != 1 {
			t.Fatal("the stored row does not hold the normalized name, the agency, the date or the birth year")
		}
		e := lastAudit(t, s, "suspect.create")
		before, after := changesOf(t, e)
		if e.Entity != "suspect" || e.EntityID != strconvID(sp.ID) || e.Domain != "CA" || e.UserID == nil ||
			*e.UserID != f.caUserID || e.Username != "ca.officer" || e.RequestID != "req-ca.officer" || before != nil ||
			after["full_name"] != "Lò   Văn Đức" || after["id_number"] != "070085001234" || after["arrested_on"] != "2016-03-01" ||
			after["agency"] != "CA" || after["case_id"] != float64(f.jointCase) {
			t.Fatalf("suspect.create entry = %+v %s", e, e.Changes)
		}

		// BP, the lead agency, records an arrest of its own, earlier, of a Lao national with no
		// known birth year.
		bpSuspect := mustSuspect(t, s, f.bp, f.bpScope, &phoihop.Suspect{CaseID: f.jointCase, FullName: "Khampheng Sisavath",
			Nationality: "la", ArrestedOn: day(2016, 2, 20), ArrestingUnitID: f.bpPost.ID})
		if bpSuspect.Agency != "BP" || bpSuspect.Gender != "unknown" || bpSuspect.BirthYear != nil || bpSuspect.Nationality != "LA" {
			t.Fatalf("BP suspect = %+v", bpSuspect)
		}

		// Every reader of the case reads both arrests, with their personal data; others find nothing.
		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope, "CA leader": f.caLeader, "admin": f.adminScope} {
			got, err := s.SuspectByID(ctx, sc, sp.ID)
			if err != nil || !sameSuspect(got, sp) {
				t.Errorf("%s: SuspectByID = %+v, %v; want %+v", name, got, err, sp)
			}
			items, err := s.SuspectsOfCase(ctx, sc, f.jointCase)
			if err != nil {
				t.Fatalf("%s: SuspectsOfCase: %v", name, err)
			}
			want := []string{"Khampheng Sisavath@BP-HOA-LU", "Lò   Văn Đức@CA-LOC-NINH"}
			if got := suspectNames(items); !slices.Equal(got, want) {
				t.Errorf("%s: SuspectsOfCase = %q, want %q", name, got, want)
			}
			if len(items) == 2 && (items[1].UnitName != "Công an huyện Lộc Ninh" || items[1].IDNumber != "070085001234" ||
				!sameSuspect(&items[1].Suspect, sp) || items[0].UnitName != "Đồn Biên phòng cửa khẩu Hoa Lư") {
				t.Errorf("%s: SuspectsOfCase items = %+v", name, items)
			}
		}
		for name, sc := range map[string]store.Scope{"HQ": f.hqScope, "CSB": scopeOf("CSB"), "none": {}} {
			if got, err := s.SuspectByID(ctx, sc, sp.ID); phoihop.ErrorCode(err) != phoihop.ENotFound || got != nil {
				t.Errorf("%s: SuspectByID = %+v, %v; want not found", name, got, err)
			}
			items, err := s.SuspectsOfCase(ctx, sc, f.jointCase)
			if phoihop.ErrorCode(err) != phoihop.ENotFound || phoihop.ErrorMessage(err) != "The case was not found." || items != nil {
				t.Errorf("%s: SuspectsOfCase = %+v, %v; want the case not found", name, items, err)
			}
		}
		if _, err := s.SuspectByID(ctx, f.caScope, 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("unknown suspect: %v", err)
		}
		if items, err := s.SuspectsOfCase(ctx, f.bpScope, f.bpCase); err != nil || len(items) != 0 || items == nil {
			t.Errorf("SuspectsOfCase of a case with no arrests = %#v, %v; want an empty list", items, err)
		}
	})
}

func TestSuspectsEditAndRemove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		mine := mustSuspect(t, s, f.ca, f.caScope, newSuspect(f.jointCase, f.caDistrict, day(2016, 3, 1)))
		theirs := mustSuspect(t, s, f.bp, f.bpScope, newSuspect(f.jointCase, f.bpPost, day(2016, 3, 2)))
		get := func(id int64) *phoihop.Suspect {
			t.Helper()
			sp, err := s.SuspectByID(ctx, f.adminScope, id)
			if err != nil {
				t.Fatal(err)
			}
			return sp
		}
		edit := func(sp *phoihop.Suspect) *phoihop.Suspect {
			c := *get(sp.ID)
			c.FullName, c.Notes = "Lò Văn Đức (Đức \"Lào\")", "Đã khởi tố."
			return &c
		}

		refused := []struct {
			name  string
			a     phoihop.Actor
			sc    store.Scope
			sp    *phoihop.Suspect
			code  string
			field string
		}{
			{"CA edits BP's arrest", f.ca, f.caScope, edit(theirs), phoihop.EForbidden, ""},
			{"BP, the lead agency, edits CA's arrest", f.bp, f.bpScope, edit(mine), phoihop.EForbidden, ""},
			{"a CA leader with no write", f.ca, f.caLeader, edit(mine), phoihop.EForbidden, ""},
			{"HQ does not take part", f.hq, f.hqScope, edit(mine), phoihop.ENotFound, ""},
			{"stale version", f.ca, f.caScope, func() *phoihop.Suspect { c := edit(mine); c.Version++; return c }(), phoihop.EConflict, ""},
			{"unknown id", f.ca, f.caScope, func() *phoihop.Suspect { c := edit(mine); c.ID = 9999; return c }(), phoihop.ENotFound, ""},
			{"another case in the URL", f.ca, f.caScope, func() *phoihop.Suspect { c := edit(mine); c.CaseID = f.bpCase; return c }(), phoihop.ENotFound, ""},
			{"moved to BP's unit", f.ca, f.caScope, func() *phoihop.Suspect { c := edit(mine); c.ArrestingUnitID = f.bpPost.ID; return c }(), phoihop.EInvalid, "arresting_unit"},
			{"bad name", f.ca, f.caScope, func() *phoihop.Suspect { c := edit(mine); c.FullName = ""; return c }(), phoihop.EInvalid, "full_name"},
		}
		for _, tt := range refused {
			err := s.UpdateSuspect(ctx, tt.a, tt.sc, tt.sp)
			checkErr(t, tt.name, err, tt.code, tt.field)
		}
		if err := s.UpdateSuspect(ctx, f.ca, f.caScope, edit(theirs)); phoihop.ErrorMessage(err) != "Only the arresting agency can edit this arrest." {
			t.Errorf("forbidden message = %q", phoihop.ErrorMessage(err))
		}
		if !sameSuspect(get(mine.ID), mine) || !sameSuspect(get(theirs.ID), theirs) {
			t.Fatal("refused updates changed an arrest")
		}
		if n := countAudit(t, s, "suspect.update"); n != 0 {
			t.Fatalf("%d suspect.update entries after refused updates", n)
		}

		// CA edits its own arrest and moves it to its provincial headquarters.
		s.Now = func() time.Time { return arrestNow.Add(time.Hour) }
		upd := edit(mine)
		upd.ArrestingUnitID, upd.BirthYear = f.caHQ.ID, nil
		if err := s.UpdateSuspect(ctx, f.ca, f.caScope, upd); err != nil {
			t.Fatal(err)
		}
		if upd.Version != 2 || upd.FullName != "Lò Văn Đức (Đức \"Lào\")" || upd.ArrestingUnitID != f.caHQ.ID || upd.BirthYear != nil ||
			upd.Agency != "CA" || upd.CaseID != f.jointCase || !upd.UpdatedAt.Equal(arrestNow.Add(time.Hour)) || !upd.CreatedAt.Equal(arrestNow) ||
			*upd.UpdatedBy != f.caUserID || !sameSuspect(get(mine.ID), upd) {
			t.Fatalf("updated suspect = %+v", upd)
		}
		if n := countRows(t, s, `SELECT count(*) FROM suspects WHERE id = ? AND full_name_search = ? AND birth_year IS NULL`,
			mine.ID, `lo van duc (duc "lao")`); n != 1 {
			t.Fatal("full_name_search or birth_year not updated")
		}
		e := lastAudit(t, s, "suspect.update")
		before, after := changesOf(t, e)
		if e.Domain != "CA" || e.EntityID != strconvID(mine.ID) || before["full_name"] != "Lò Văn Đức" || before["version"] != float64(1) ||
			after["full_name"] != upd.FullName || after["version"] != float64(2) || after["arresting_unit"] != float64(f.caHQ.ID) {
			t.Fatalf("suspect.update entry = %+v %s", e, e.Changes)
		}
		// The version read before the edit is stale now.
		stale := edit(mine)
		stale.Version = 1
		checkErr(t, "update on version 1", s.UpdateSuspect(ctx, f.ca, f.caScope, stale), phoihop.EConflict, "")
		if got := get(mine.ID); got.Version != 2 || got.FullName != upd.FullName {
			t.Fatalf("stale update changed the arrest: %+v", got)
		}

		// Removal.
		removals := []struct {
			name    string
			sc      store.Scope
			id      int64
			version int
			reason  string
			code    string
		}{
			{"no reason", f.caScope, mine.ID, 2, "  ", phoihop.EInvalid},
			{"reason too long", f.caScope, mine.ID, 2, strings.Repeat("ô", 501), phoihop.EInvalid},
			{"reason not UTF-8", f.caScope, mine.ID, 2, "nhập trùng \xff", phoihop.EInvalid},
			{"stale version", f.caScope, mine.ID, 1, "Nhập trùng.", phoihop.EConflict},
			{"BP removes CA's arrest", f.bpScope, mine.ID, 2, "Nhập trùng.", phoihop.EForbidden},
			{"CA removes BP's arrest", f.caScope, theirs.ID, 1, "Nhập trùng.", phoihop.EForbidden},
			{"HQ removes", f.hqScope, mine.ID, 2, "Nhập trùng.", phoihop.ENotFound},
			{"unknown id", f.caScope, 9999, 1, "Nhập trùng.", phoihop.ENotFound},
		}
		for _, tt := range removals {
			err := s.RemoveSuspect(ctx, f.ca, tt.sc, tt.id, tt.version, tt.reason)
			field := ""
			if tt.code == phoihop.EInvalid {
				field = "reason"
			}
			checkErr(t, tt.name, err, tt.code, field)
		}
		if got := get(mine.ID); got.Removed() || got.Version != 2 {
			t.Fatalf("refused removals changed the arrest: %+v", got)
		}
		if n := countAudit(t, s, "suspect.remove"); n != 0 {
			t.Fatalf("%d suspect.remove entries after refused removals", n)
		}

		if err := s.RemoveSuspect(ctx, f.ca, f.caScope, mine.ID, 2, "  Nhập trùng với đối tượng khác. "); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SuspectByID(ctx, f.caScope, mine.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("a removed arrest is still found: %v", err)
		}
		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope} {
			if items, err := s.SuspectsOfCase(ctx, sc, f.jointCase); err != nil || len(items) != 1 || items[0].ID != theirs.ID {
				t.Errorf("%s: SuspectsOfCase after the removal = %+v, %v", name, items, err)
			}
		}
		removed := get(mine.ID)
		if !removed.Removed() || removed.DeleteReason == nil || *removed.DeleteReason != "Nhập trùng với đối tượng khác." ||
			removed.DeletedBy == nil || *removed.DeletedBy != f.caUserID || !removed.DeletedAt.Equal(arrestNow.Add(time.Hour)) ||
			removed.Version != 3 {
			t.Fatalf("removed suspect = %+v", removed)
		}
		if items, err := s.SuspectsOfCase(ctx, f.adminScope, f.jointCase); err != nil || len(items) != 2 || !items[0].Removed() {
			t.Errorf("SuspectsOfCase with removed records = %+v, %v", items, err)
		}
		e = lastAudit(t, s, "suspect.remove")
		before, after = changesOf(t, e)
		if e.Domain != "CA" || e.EntityID != strconvID(mine.ID) || before["delete_reason"] != nil ||
			after["delete_reason"] != "Nhập trùng với đối tượng khác." || after["full_name"] != upd.FullName {
			t.Fatalf("suspect.remove entry = %+v %s", e, e.Changes)
		}
		// A removed arrest can be neither edited nor removed again, even by an admin scope.
		again := *removed
		checkErr(t, "update a removed arrest", s.UpdateSuspect(ctx, f.ca, f.caScope, &again), phoihop.ENotFound, "")
		checkErr(t, "remove twice", s.RemoveSuspect(ctx, f.ca, f.caScope, mine.ID, 3, "Lại."), phoihop.ENotFound, "")
		adminWrite := store.Scope{Read: f.adminScope.Read, Write: f.adminScope.Read, Removed: true}
		checkErr(t, "remove twice with removed records in scope", s.RemoveSuspect(ctx, f.ca, adminWrite, mine.ID, 3, "Lại."), phoihop.ENotFound, "")
		if n := countAudit(t, s, "suspect.remove"); n != 1 {
			t.Fatalf("%d suspect.remove entries, want 1", n)
		}
	})
}

func TestSuspectValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		removedCase := insertCase(t, s, "BP-2016-03", f.bpPost, "BP", "CA")
		removeCase(t, s, removedCase)
		long := func(n int) string { return strings.Repeat("ư", n) }

		tests := []struct {
			name   string
			sc     store.Scope
			change func(sp *phoihop.Suspect)
			code   string
			field  string
			msg    string
		}{
			{"empty name", f.caScope, func(sp *phoihop.Suspect) { sp.FullName = " " }, phoihop.EInvalid, "full_name", ""},
			{"name too long", f.caScope, func(sp *phoihop.Suspect) { sp.FullName = long(201) }, phoihop.EInvalid, "full_name", ""},
			{"name not UTF-8", f.caScope, func(sp *phoihop.Suspect) { sp.FullName = "Lò Văn \xff" }, phoihop.EInvalid, "full_name", ""},
			{"born before 1900", f.caScope, func(sp *phoihop.Suspect) { sp.BirthYear = ptr(1899) }, phoihop.EInvalid, "birth_year", ""},
			{"born next year", f.caScope, func(sp *phoihop.Suspect) { sp.BirthYear = ptr(2027) }, phoihop.EInvalid, "birth_year", ""},
			{"unknown gender", f.caScope, func(sp *phoihop.Suspect) { sp.Gender = "nam" }, phoihop.EInvalid, "gender", ""},
			{"no nationality", f.caScope, func(sp *phoihop.Suspect) { sp.Nationality = "" }, phoihop.EInvalid, "nationality", ""},
			{"three-letter nationality", f.caScope, func(sp *phoihop.Suspect) { sp.Nationality = "VNM" }, phoihop.EInvalid, "nationality", ""},
			{"nationality with a digit", f.caScope, func(sp *phoihop.Suspect) { sp.Nationality = "V1" }, phoihop.EInvalid, "nationality", ""},
			{"ID number too long", f.caScope, func(sp *phoihop.Suspect) { sp.IDNumber = strings.Repeat("1", 33) }, phoihop.EInvalid, "id_number", ""},
			{"ID number not UTF-8", f.caScope, func(sp *phoihop.Suspect) { sp.IDNumber = "\xff" }, phoihop.EInvalid, "id_number", ""},
			{"address too long", f.caScope, func(sp *phoihop.Suspect) { sp.Address = long(501) }, phoihop.EInvalid, "address", ""},
			{"notes too long", f.caScope, func(sp *phoihop.Suspect) { sp.Notes = long(5001) }, phoihop.EInvalid, "notes", ""},
			{"notes not UTF-8", f.caScope, func(sp *phoihop.Suspect) { sp.Notes = "\xff\xfe" }, phoihop.EInvalid, "notes", ""},
			{"no arrest date", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestedOn = phoihop.Date{} }, phoihop.EInvalid, "arrested_on", ""},
			{"arrested tomorrow", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestedOn = day(2026, 3, 3) }, phoihop.EInvalid, "arrested_on", ""},
			{"arrested in 1989", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestedOn = day(1989, 12, 31) }, phoihop.EInvalid, "arrested_on", ""},
			{"no unit", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestingUnitID = 0 }, phoihop.EInvalid, "arresting_unit", ""},
			{"unknown unit", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestingUnitID = 9999 }, phoihop.EInvalid, "arresting_unit", "The unit does not exist."},
			{"another agency's unit", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestingUnitID = f.bpPost.ID }, phoihop.EInvalid, "arresting_unit", "Choose a unit of your own agency."},
			{"agency not taking part", f.caAndCSB, func(sp *phoihop.Suspect) { sp.ArrestingUnitID = f.csbFlotilla.ID }, phoihop.EInvalid, "arresting_unit", "The unit's agency does not take part in this case."},
			{"unit retired before the arrest", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestedOn = day(2025, 7, 1) }, phoihop.EInvalid, "arresting_unit", "The unit was not in service on that date."},
			{"unit not yet in service", f.caScope, func(sp *phoihop.Suspect) { sp.ArrestedOn = day(2003, 12, 31) }, phoihop.EInvalid, "arresting_unit", "The unit was not in service on that date."},
			{"a leader without write", f.caLeader, func(sp *phoihop.Suspect) {}, phoihop.EInvalid, "arresting_unit", "Choose a unit of your own agency."},
			{"no case", f.caScope, func(sp *phoihop.Suspect) { sp.CaseID = 0 }, phoihop.ENotFound, "", "The case was not found."},
			{"unknown case", f.caScope, func(sp *phoihop.Suspect) { sp.CaseID = 9999 }, phoihop.ENotFound, "", "The case was not found."},
			{"a BP-only case", f.caScope, func(sp *phoihop.Suspect) { sp.CaseID = f.bpCase }, phoihop.ENotFound, "", "The case was not found."},
			{"HQ does not take part", f.hqScope, func(sp *phoihop.Suspect) { sp.ArrestingUnitID = f.hqBranch.ID }, phoihop.ENotFound, "", "The case was not found."},
			{"a removed case", f.caScope, func(sp *phoihop.Suspect) { sp.CaseID = removedCase }, phoihop.ENotFound, "", "The case was not found."},
			{"a removed case, removed records in scope", store.Scope{Read: []string{"CA"}, Write: []string{"CA"}, Removed: true},
				func(sp *phoihop.Suspect) { sp.CaseID = removedCase }, phoihop.ENotFound, "", "The case was not found."},
		}
		for _, tt := range tests {
			sp := newSuspect(f.jointCase, f.caDistrict, day(2016, 3, 1))
			tt.change(sp)
			err := s.CreateSuspect(ctx, f.ca, tt.sc, sp)
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
		if n := countRows(t, s, `SELECT count(*) FROM suspects`); n != 0 {
			t.Fatalf("%d suspects after refused creates", n)
		}
		if n := countAudit(t, s, "suspect.create"); n != 0 {
			t.Fatalf("%d suspect.create entries after refused creates", n)
		}

		// The retired district police is accepted up to its last day in service.
		sp := mustSuspect(t, s, f.ca, f.caScope, newSuspect(f.jointCase, f.caDistrict, day(2025, 6, 30)))
		if sp.ArrestingUnitID != f.caDistrict.ID || sp.ArrestedOn != day(2025, 6, 30) {
			t.Fatalf("arrest on the last day of service = %+v", sp)
		}
		// …and an arrest cannot be moved to a day after it.
		later := *sp
		later.ArrestedOn = day(2025, 7, 1)
		checkErr(t, "edit to a day after retirement", s.UpdateSuspect(ctx, f.ca, f.caScope, &later), phoihop.EInvalid, "arresting_unit")
	})
}

// TestSuspectsScoping: an officer of CA reaches nothing of a case of BP alone, and nothing of a
// removed case, whatever the method.
func TestSuspectsScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		bpOnly := mustSuspect(t, s, f.bp, f.bpScope, newSuspect(f.bpCase, f.bpPost, day(2016, 2, 1)))
		joint := mustSuspect(t, s, f.ca, f.caScope, newSuspect(f.jointCase, f.caHQ, day(2016, 2, 1)))

		if _, err := s.SuspectByID(ctx, f.caScope, bpOnly.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CA reads an arrest of a BP-only case: %v", err)
		}
		if _, err := s.SuspectsOfCase(ctx, f.caScope, f.bpCase); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("CA lists the arrests of a BP-only case: %v", err)
		}
		upd := *bpOnly
		upd.ArrestingUnitID = f.caHQ.ID
		checkErr(t, "CA updates an arrest of a BP-only case", s.UpdateSuspect(ctx, f.ca, f.caScope, &upd), phoihop.ENotFound, "")
		checkErr(t, "CA removes an arrest of a BP-only case", s.RemoveSuspect(ctx, f.ca, f.caScope, bpOnly.ID, 1, "Sai."), phoihop.ENotFound, "")
		if got, err := s.SuspectByID(ctx, f.bpScope, bpOnly.ID); err != nil || !sameSuspect(got, bpOnly) {
			t.Fatalf("refused writes changed BP's arrest: %+v, %v", got, err)
		}

		// A removed case hides its arrests from everyone but admins, and takes no edits.
		removeCase(t, s, f.jointCase)
		for name, sc := range map[string]store.Scope{"CA": f.caScope, "BP": f.bpScope} {
			if _, err := s.SuspectByID(ctx, sc, joint.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
				t.Errorf("%s reads an arrest of a removed case: %v", name, err)
			}
			if _, err := s.SuspectsOfCase(ctx, sc, f.jointCase); phoihop.ErrorCode(err) != phoihop.ENotFound {
				t.Errorf("%s lists the arrests of a removed case: %v", name, err)
			}
		}
		if items, err := s.SuspectsOfCase(ctx, f.adminScope, f.jointCase); err != nil || len(items) != 1 {
			t.Errorf("admin lists the arrests of a removed case: %+v, %v", items, err)
		}
		upd = *joint
		upd.Notes = "Sửa."
		checkErr(t, "update in a removed case", s.UpdateSuspect(ctx, f.ca, f.caScope, &upd), phoihop.ENotFound, "")
		checkErr(t, "remove in a removed case", s.RemoveSuspect(ctx, f.ca, f.caScope, joint.ID, 1, "Sai."), phoihop.ENotFound, "")
		if n := countAudit(t, s, "suspect.update") + countAudit(t, s, "suspect.remove"); n != 0 {
			t.Fatalf("%d audit entries after refused writes", n)
		}
	})
}

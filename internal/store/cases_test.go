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

// everyAgency reads and writes every agency's records, removed ones hidden.
var everyAgency = scopeOf("CA", "BP", "CSB", "HQ")

// insertSuspectRow stores a suspect arrested by the unit in the case with plain SQL (the
// suspects' own store methods are tested in suspects_test.go).
func insertSuspectRow(t *testing.T, s *store.Store, caseID int64, unit *phoihop.Unit, removed bool) {
	t.Helper()
	var deletedAt any
	var reason any
	if removed {
		deletedAt, reason = recordNow, "nhập trùng"
	}
	storetest.MustExec(t, s, `INSERT INTO suspects (case_id, agency, full_name, full_name_search, nationality,
		arrested_on, arresting_unit, deleted_at, delete_reason, created_at, updated_at)
		VALUES (?, ?, 'Nguyễn Văn A', 'nguyen van a', 'VN', ?, ?, ?, ?, ?, ?)`,
		caseID, unit.Agency, day(2016, 3, 2), unit.ID, deletedAt, reason, recordNow, recordNow)
}

// insertSeizureRow stores a seizure made by the unit in the case with plain SQL.
func insertSeizureRow(t *testing.T, s *store.Store, caseID int64, unit *phoihop.Unit, removed bool) {
	t.Helper()
	var deletedAt any
	var reason any
	if removed {
		deletedAt, reason = recordNow, "nhập trùng"
	}
	storetest.MustExec(t, s, `INSERT INTO seizures (case_id, agency, category, quantity_milli, seized_on,
		seizing_unit, description_search, deleted_at, delete_reason, created_at, updated_at)
		VALUES (?, ?, 'heroin', 9800, ?, ?, '', ?, ?, ?, ?)`,
		caseID, unit.Agency, day(2016, 3, 2), unit.ID, deletedAt, reason, recordNow, recordNow)
}

func caseCodes(items []store.CaseListItem) []string {
	var out []string
	for _, c := range items {
		out = append(out, c.Code)
	}
	return out
}

func mustCaseByID(t *testing.T, s *store.Store, id int64) *store.CaseDetail {
	t.Helper()
	c, err := s.CaseByID(context.Background(), allScope, id)
	if err != nil {
		t.Fatalf("case %d: %v", id, err)
	}
	return c
}

func TestCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		plan := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "CA", "BP"))
		bp := scopeOf("BP")
		c := &phoihop.Case{Code: " BP-2016-01 ", Title: " Chuyên án Trần Văn Hùng ", CrimeType: "drugs",
			LeadAgency: "bp", LeadUnitID: u.BP2.ID, Agencies: []string{"ca"}, AgreementID: &plan.ID, Area: "border",
			OpenedOn: day(2016, 3, 1), Status: "open", Summary: "Đường dây ma túy qua cửa khẩu Hoa Lư"}
		if err := s.CreateCase(ctx, recordActor, bp, c); err != nil {
			t.Fatal(err)
		}
		// The police, whose records the border guard does not manage, are invited: they take
		// part once they accept.
		if c.ID == 0 || c.Version != 1 || c.Code != "BP-2016-01" || c.Title != "Chuyên án Trần Văn Hùng" || c.LeadAgency != "BP" ||
			!slices.Equal(c.Agencies, []string{"BP"}) || !slices.Equal(c.Invited, []string{"CA"}) ||
			!c.CreatedAt.Equal(recordNow) || !c.UpdatedAt.Equal(recordNow) || c.Removed() {
			t.Fatalf("created case = %+v", c)
		}
		e := lastAudit(t, s, "case.create")
		if e.Entity != "case" || e.EntityID != strconvID(c.ID) || e.Domain != "BP" || e.Username != "officer" {
			t.Fatalf("create audit = %+v", e)
		}
		if _, after := changesOf(t, e); after["code"] != "BP-2016-01" || after["opened_on"] != "2016-03-01" ||
			!slices.Equal(anyStrings(after["agencies"]), []string{"BP"}) || !slices.Equal(anyStrings(after["invited_agencies"]), []string{"CA"}) {
			t.Fatalf("create audit after = %v", after)
		}
		_, err := s.CaseByID(ctx, readScopeOf("CA"), c.ID)
		wantErr(t, "CaseByID by the invited agency", err, phoihop.ENotFound, "")
		acceptInvitation(t, s, c.ID, "CA")

		// A taking-part agency reads the case with its names; another agency does not.
		got, err := s.CaseByID(ctx, readScopeOf("CA"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Code != "BP-2016-01" || got.CrimeType != "drugs" || got.LeadAgency != "BP" || got.LeadUnitID != u.BP2.ID ||
			got.Area != "border" || got.OpenedOn != day(2016, 3, 1) || !got.ClosedOn.IsZero() || got.Status != "open" ||
			got.Summary != c.Summary || got.Version != 2 || !slices.Equal(got.Agencies, []string{"CA", "BP"}) ||
			got.AgreementID == nil || *got.AgreementID != plan.ID || got.LeadUnitName != "Đồn Biên phòng cửa khẩu Hoa Lư" ||
			got.LeadUnitCode != "BP-HOA-LU" || got.AgreementNumber == nil || *got.AgreementNumber != "06/KH-BCĐ" ||
			got.AgreementTitle == nil || *got.AgreementTitle != plan.Title || !got.CreatedAt.Equal(recordNow) {
			t.Fatalf("CaseByID = %+v", got)
		}
		_, err = s.CaseByID(ctx, scopeOf("HQ"), c.ID)
		wantErr(t, "CaseByID outside the scope", err, phoihop.ENotFound, "")
		_, err = s.CaseByID(ctx, allScope, 9999)
		wantErr(t, "CaseByID(9999)", err, phoihop.ENotFound, "")
		if agencies, err := s.CaseAgencies(ctx, readScopeOf("CA"), c.ID); err != nil || !slices.Equal(agencies, []string{"CA", "BP"}) {
			t.Fatalf("CaseAgencies = %q, %v", agencies, err)
		}
		_, err = s.CaseAgencies(ctx, scopeOf("HQ"), c.ID)
		wantErr(t, "CaseAgencies outside the scope", err, phoihop.ENotFound, "")

		// Only the lead agency edits; an agency that does not take part cannot even see it.
		edit := got.Case
		edit.Title = "Sửa bởi Công an"
		err = s.UpdateCase(ctx, recordActor, scopeOf("CA"), &edit)
		wantErr(t, "update by a taking-part agency", err, phoihop.EForbidden, "")
		if msg := phoihop.ErrorMessage(err); msg != "Only the lead agency can edit this case." {
			t.Fatalf("forbidden message = %q", msg)
		}
		wantErr(t, "remove by a taking-part agency", s.RemoveCase(ctx, recordActor, scopeOf("CA"), c.ID, 1, "nhập trùng"), phoihop.EForbidden, "")
		edit = got.Case
		wantErr(t, "update outside the scope", s.UpdateCase(ctx, recordActor, scopeOf("HQ"), &edit), phoihop.ENotFound, "")
		wantErr(t, "remove outside the scope", s.RemoveCase(ctx, recordActor, scopeOf("HQ"), c.ID, 1, "nhập trùng"), phoihop.ENotFound, "")
		wantErr(t, "update by a reader of the lead", s.UpdateCase(ctx, recordActor, readScopeOf("BP"), &edit), phoihop.EForbidden, "")
		// Creating a case another agency leads is forbidden too.
		other := newCase("CA-X", u.CA)
		wantErr(t, "create led by another agency", s.CreateCase(ctx, recordActor, bp, other), phoihop.EForbidden, "lead_agency")
		if n := countEntityAudit(t, s, "case"); n != 2 { // created, joined
			t.Fatalf("refused writes left audit entries: %d", n)
		}

		// The lead agency edits: concluded, the coast guard invited, the plan is dropped; the coast
		// guard accepts and takes part.
		s.Now = func() time.Time { return recordNow.Add(time.Hour) }
		edit = got.Case
		edit.Title, edit.Status, edit.ClosedOn, edit.AgreementID = "Chuyên án Hoa Lư", "concluded", day(2016, 9, 30), nil
		edit.Agencies = []string{"CSB", "CA"}
		if err := s.UpdateCase(ctx, recordActor, bp, &edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 3 || !edit.UpdatedAt.Equal(recordNow.Add(time.Hour)) || !edit.CreatedAt.Equal(recordNow) ||
			!slices.Equal(edit.Agencies, []string{"CA", "BP"}) || !slices.Equal(edit.Invited, []string{"CSB"}) {
			t.Fatalf("updated case = %+v", edit)
		}
		e = lastAudit(t, s, "case.update")
		if before, after := changesOf(t, e); before["title"] != "Chuyên án Trần Văn Hùng" || after["title"] != "Chuyên án Hoa Lư" ||
			!slices.Equal(anyStrings(before["agencies"]), []string{"CA", "BP"}) ||
			!slices.Equal(anyStrings(after["agencies"]), []string{"CA", "BP"}) ||
			!slices.Equal(anyStrings(after["invited_agencies"]), []string{"CSB"}) || after["closed_on"] != "2016-09-30" || e.Domain != "BP" {
			t.Fatalf("update audit = %+v", e)
		}
		acceptInvitation(t, s, c.ID, "CSB")
		got = mustCaseByID(t, s, c.ID)
		if got.Title != "Chuyên án Hoa Lư" || got.Status != "concluded" || got.ClosedOn != day(2016, 9, 30) || got.Version != 4 ||
			got.AgreementID != nil || got.AgreementNumber != nil || got.AgreementTitle != nil ||
			!slices.Equal(got.Agencies, []string{"CA", "BP", "CSB"}) || len(got.Invited) != 0 {
			t.Fatalf("after update = %+v", got)
		}
		if _, err := s.CaseByID(ctx, readScopeOf("CSB"), c.ID); err != nil {
			t.Fatalf("the joining agency reads the case: %v", err)
		}
		if items, _, _ := s.ListCases(ctx, bp, store.CaseFilter{Search: "hoa lu"}); !slices.Equal(caseCodes(items), []string{"BP-2016-01"}) {
			t.Fatalf("search for the new title = %q", caseCodes(items))
		}

		// A stale version changes nothing; neither does a duplicate code.
		stale := got.Case
		stale.Version, stale.Title = 3, "Sửa trên bản cũ"
		wantErr(t, "stale update", s.UpdateCase(ctx, recordActor, bp, &stale), phoihop.EConflict, "")
		wantErr(t, "stale remove", s.RemoveCase(ctx, recordActor, bp, c.ID, 3, "nhập trùng"), phoihop.EConflict, "")
		if now := mustCaseByID(t, s, c.ID); now.Title != "Chuyên án Hoa Lư" || now.Version != 4 {
			t.Fatalf("after stale writes = %+v", now)
		}
		dup := newCase("BP-2016-01", u.BP)
		wantErr(t, "duplicate code", s.CreateCase(ctx, recordActor, bp, dup), phoihop.EConflict, "code")
		if n := countRows(t, s, `SELECT count(*) FROM cases`); n != 1 {
			t.Fatalf("cases = %d after a duplicate, want 1", n)
		}
		if n := countEntityAudit(t, s, "case"); n != 4 { // created, joined, updated, joined
			t.Fatalf("audit entries = %d, want 4", n)
		}

		// Removal: a reason is required; the case leaves lists and pages unless sc.Removed.
		wantErr(t, "remove without reason", s.RemoveCase(ctx, recordActor, bp, c.ID, 4, ""), phoihop.EInvalid, "reason")
		if err := s.RemoveCase(ctx, recordActor, bp, c.ID, 4, "Nhập trùng với chuyên án khác"); err != nil {
			t.Fatal(err)
		}
		_, err = s.CaseByID(ctx, bp, c.ID)
		wantErr(t, "removed case", err, phoihop.ENotFound, "")
		if _, total, _ := s.ListCases(ctx, bp, store.CaseFilter{}); total != 0 {
			t.Fatalf("removed case listed: %d", total)
		}
		removed, err := s.CaseByID(ctx, store.Scope{Read: []string{"CSB"}, Removed: true}, c.ID)
		if err != nil || !removed.Removed() || *removed.DeleteReason != "Nhập trùng với chuyên án khác" || removed.Version != 5 {
			t.Fatalf("removed case = %+v, %v", removed, err)
		}
		if items, total, _ := s.ListCases(ctx, store.Scope{Read: []string{"BP"}, Removed: true}, store.CaseFilter{}); total != 1 || !items[0].Removed() {
			t.Fatalf("removed cases listed with Removed: %d", total)
		}
		if _, after := changesOf(t, lastAudit(t, s, "case.remove")); after["delete_reason"] != "Nhập trùng với chuyên án khác" {
			t.Fatalf("remove audit after = %v", after)
		}
		wantErr(t, "remove twice", s.RemoveCase(ctx, recordActor, allScope, c.ID, 5, "lần nữa"), phoihop.ENotFound, "")
		edit = removed.Case
		wantErr(t, "update removed", s.UpdateCase(ctx, recordActor, allScope, &edit), phoihop.ENotFound, "")
	})
}

// anyStrings turns a JSON array decoded as []any into strings.
func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestCaseLeadAndAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		c := mustCase(t, s, newCase("BP-01", u.BP2, "CSB", "HQ"))

		// The lead can pass only to an agency the caller writes for.
		edit := *c
		edit.LeadAgency, edit.LeadUnitID = "CA", u.CA2.ID
		wantErr(t, "hand the lead over", s.UpdateCase(ctx, recordActor, scopeOf("BP"), &edit), phoihop.EForbidden, "lead_agency")
		// The new lead joins the agencies taking part even when the form left it out.
		edit = *c
		edit.LeadAgency, edit.LeadUnitID, edit.Agencies = "ca", u.CA2.ID, []string{"BP", "CSB", "HQ"}
		if err := s.UpdateCase(ctx, recordActor, scopeOf("CA", "BP"), &edit); err != nil {
			t.Fatal(err)
		}
		got := mustCaseByID(t, s, c.ID)
		if got.LeadAgency != "CA" || got.LeadUnitID != u.CA2.ID || got.LeadUnitName != "Công an huyện Lộc Ninh" ||
			!slices.Equal(got.Agencies, []string{"CA", "BP", "CSB", "HQ"}) || got.Version != 2 {
			t.Fatalf("after the lead changed = %+v", got)
		}
		if e := lastAudit(t, s, "case.update"); e.Domain != "CA" {
			t.Fatalf("audit domain = %q, want the new lead", e.Domain)
		}
		// Now BP only takes part: it can no longer edit.
		edit = got.Case
		wantErr(t, "former lead edits", s.UpdateCase(ctx, recordActor, scopeOf("BP"), &edit), phoihop.EForbidden, "")

		// An agency that recorded arrests or seizures stays: the coast guard has a seizure, customs
		// a removed arrest (its row still references the agency's place in the case).
		insertSeizureRow(t, s, c.ID, u.CSB, false)
		insertSuspectRow(t, s, c.ID, u.HQ, true)
		audits := countEntityAudit(t, s, "case")
		for _, agencies := range [][]string{{"BP", "HQ"}, {"BP", "CSB"}} {
			edit = got.Case
			edit.Agencies = agencies
			err := s.UpdateCase(ctx, recordActor, scopeOf("CA"), &edit)
			wantErr(t, "drop an agency with records", err, phoihop.EInvalid, "agencies")
			if msg := fieldOf(err, "agencies"); !strings.Contains(msg, "arrests or seizures") {
				t.Fatalf("agencies message = %q", msg)
			}
		}
		if now := mustCaseByID(t, s, c.ID); now.Version != 2 || !slices.Equal(now.Agencies, []string{"CA", "BP", "CSB", "HQ"}) {
			t.Fatalf("after refused edits = %+v", now)
		}
		if n := countEntityAudit(t, s, "case"); n != audits {
			t.Fatalf("refused edits left audit entries: %d, want %d", n, audits)
		}
		// The border guard recorded nothing: it may leave, and then no longer reads the case.
		edit = got.Case
		edit.Agencies = []string{"CSB", "HQ"}
		if err := s.UpdateCase(ctx, recordActor, scopeOf("CA"), &edit); err != nil {
			t.Fatal(err)
		}
		if now := mustCaseByID(t, s, c.ID); now.Version != 3 || !slices.Equal(now.Agencies, []string{"CA", "CSB", "HQ"}) {
			t.Fatalf("after BP left = %+v", now)
		}
		_, err := s.CaseByID(ctx, readScopeOf("BP"), c.ID)
		wantErr(t, "BP after leaving", err, phoihop.ENotFound, "")
		if n := countRows(t, s, `SELECT count(*) FROM case_agencies WHERE case_id = ?`, c.ID); n != 3 {
			t.Fatalf("case_agencies rows = %d, want 3", n)
		}
	})
}

func TestCaseValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		gone := mustAgreement(t, s, newAgreement("01/KH", "CA", "BP"))
		if err := s.RemoveAgreement(ctx, recordActor, allScope, gone.ID, 1, "hết hiệu lực"); err != nil {
			t.Fatal(err)
		}
		unread := mustAgreement(t, s, newAgreement("02/KH", "CSB", "HQ"))
		tomorrow := phoihop.Today(recordNow).AddDays(1)
		for _, tc := range []struct {
			name  string
			edit  func(c *phoihop.Case)
			code  string
			field string
		}{
			{"no code", func(c *phoihop.Case) { c.Code = " " }, phoihop.EInvalid, "code"},
			{"long code", func(c *phoihop.Case) { c.Code = strings.Repeat("A", 65) }, phoihop.EInvalid, "code"},
			{"bad code", func(c *phoihop.Case) { c.Code = "BP\xff" }, phoihop.EInvalid, "code"},
			{"no title", func(c *phoihop.Case) { c.Title = "" }, phoihop.EInvalid, "title"},
			{"long title", func(c *phoihop.Case) { c.Title = strings.Repeat("ư", 501) }, phoihop.EInvalid, "title"},
			{"bad title", func(c *phoihop.Case) { c.Title = "\xff" }, phoihop.EInvalid, "title"},
			{"no crime type", func(c *phoihop.Case) { c.CrimeType = "" }, phoihop.EInvalid, "crime_type"},
			{"unknown crime type", func(c *phoihop.Case) { c.CrimeType = "arson" }, phoihop.EInvalid, "crime_type"},
			{"no lead agency", func(c *phoihop.Case) { c.LeadAgency = "" }, phoihop.EInvalid, "lead_agency"},
			{"unknown lead agency", func(c *phoihop.Case) { c.LeadAgency = "XX" }, phoihop.EInvalid, "lead_agency"},
			{"no lead unit", func(c *phoihop.Case) { c.LeadUnitID = 0 }, phoihop.EInvalid, "lead_unit"},
			{"unknown lead unit", func(c *phoihop.Case) { c.LeadUnitID = 9999 }, phoihop.EInvalid, "lead_unit"},
			{"another agency's unit", func(c *phoihop.Case) { c.LeadUnitID = u.CA.ID }, phoihop.EInvalid, "lead_unit"},
			{"retired unit", func(c *phoihop.Case) { c.LeadUnitID = u.BPRetired.ID }, phoihop.EInvalid, "lead_unit"},
			{"unit not yet in service", func(c *phoihop.Case) { c.OpenedOn = day(2003, 12, 31) }, phoihop.EInvalid, "lead_unit"},
			{"unknown agency", func(c *phoihop.Case) { c.Agencies = []string{"CA", "XX"} }, phoihop.EInvalid, "agencies"},
			{"unknown plan", func(c *phoihop.Case) { c.AgreementID = ptr(int64(9999)) }, phoihop.EInvalid, "agreement_id"},
			{"removed plan", func(c *phoihop.Case) { c.AgreementID = &gone.ID }, phoihop.EInvalid, "agreement_id"},
			{"plan the caller cannot read", func(c *phoihop.Case) { c.AgreementID = &unread.ID }, phoihop.EInvalid, "agreement_id"},
			{"no area", func(c *phoihop.Case) { c.Area = "" }, phoihop.EInvalid, "area"},
			{"unknown area", func(c *phoihop.Case) { c.Area = "air" }, phoihop.EInvalid, "area"},
			{"no opening date", func(c *phoihop.Case) { c.OpenedOn = phoihop.Date{} }, phoihop.EInvalid, "opened_on"},
			{"opened in the future", func(c *phoihop.Case) { c.OpenedOn = tomorrow }, phoihop.EInvalid, "opened_on"},
			{"opened long ago", func(c *phoihop.Case) { c.OpenedOn = day(1989, 12, 31) }, phoihop.EInvalid, "opened_on"},
			{"closed before opened", func(c *phoihop.Case) { c.Status, c.ClosedOn = "concluded", day(2016, 2, 29) }, phoihop.EInvalid, "closed_on"},
			{"closed in the future", func(c *phoihop.Case) { c.Status, c.ClosedOn = "concluded", tomorrow }, phoihop.EInvalid, "closed_on"},
			{"concluded without date", func(c *phoihop.Case) { c.Status = "concluded" }, phoihop.EInvalid, "closed_on"},
			{"open with a closing date", func(c *phoihop.Case) { c.ClosedOn = day(2016, 9, 30) }, phoihop.EInvalid, "closed_on"},
			{"no status", func(c *phoihop.Case) { c.Status = "" }, phoihop.EInvalid, "status"},
			{"unknown status", func(c *phoihop.Case) { c.Status = "closed" }, phoihop.EInvalid, "status"},
			{"long summary", func(c *phoihop.Case) { c.Summary = strings.Repeat("a", 20001) }, phoihop.EInvalid, "summary"},
			{"bad summary", func(c *phoihop.Case) { c.Summary = "ma túy \xff" }, phoihop.EInvalid, "summary"},
			{"led by another agency", func(c *phoihop.Case) { c.LeadAgency, c.LeadUnitID = "CA", u.CA.ID }, phoihop.EForbidden, "lead_agency"},
		} {
			c := newCase("BP-01", u.BP2, "CA")
			tc.edit(c)
			wantErr(t, tc.name, s.CreateCase(ctx, recordActor, scopeOf("BP"), c), tc.code, tc.field)
		}
		if n := countRows(t, s, `SELECT count(*) FROM cases`); n != 0 {
			t.Fatalf("refused creates left %d cases", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM case_agencies`); n != 0 {
			t.Fatalf("refused creates left %d case agencies", n)
		}
		if n := countEntityAudit(t, s, "case"); n != 0 {
			t.Fatalf("refused creates left %d audit entries", n)
		}

		// Edits follow the same rules and a refused edit changes nothing; a plan removed after
		// the case was filed under it does not block editing the case's other fields.
		plan := mustAgreement(t, s, newAgreement("03/KH", "CA", "BP"))
		c := newCase("BP-01", u.BP2, "CA")
		c.AgreementID = &plan.ID
		mustCase(t, s, c)
		bad := *c
		bad.LeadUnitID, bad.OpenedOn = u.BPRetired.ID, tomorrow
		err := s.UpdateCase(ctx, recordActor, scopeOf("BP"), &bad)
		wantErr(t, "bad edit", err, phoihop.EInvalid, "opened_on")
		wantErr(t, "bad edit", err, phoihop.EInvalid, "lead_unit")
		if now := mustCaseByID(t, s, c.ID); now.Version != 1 || now.LeadUnitID != u.BP2.ID {
			t.Fatalf("after a refused edit = %+v", now)
		}
		if err := s.RemoveAgreement(ctx, recordActor, allScope, plan.ID, 1, "hết hiệu lực"); err != nil {
			t.Fatal(err)
		}
		edit := *c
		edit.Title = "Chuyên án theo kế hoạch cũ"
		if err := s.UpdateCase(ctx, recordActor, scopeOf("BP"), &edit); err != nil {
			t.Fatalf("edit a case under a removed plan: %v", err)
		}
		if now := mustCaseByID(t, s, c.ID); now.AgreementNumber == nil || *now.AgreementNumber != "03/KH" {
			t.Fatalf("the case keeps its removed plan: %+v", now)
		}
		if n := countEntityAudit(t, s, "case"); n != 2 {
			t.Fatalf("audit entries = %d, want 2", n)
		}
	})
}

func TestListCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		plan := mustAgreement(t, s, newAgreement("06/KH-BCĐ", "CA", "BP"))
		build := func(code string, lead *phoihop.Unit, title string, opened, closed phoihop.Date, edit func(c *phoihop.Case), agencies ...string) *phoihop.Case {
			c := newCase(code, lead, agencies...)
			c.Title, c.OpenedOn, c.ClosedOn = title, opened, closed
			if !closed.IsZero() {
				c.Status = "concluded"
			}
			if edit != nil {
				edit(c)
			}
			return mustCase(t, s, c)
		}
		// The period is 2016. A opens on its first day, B on its last, C is open across it,
		// D concluded the day before it, E concluded on its first day, F opens after it, G is removed.
		a := build("CA-01", u.CA, "Chuyên án Trần Văn Hùng", day(2016, 1, 1), phoihop.Date{}, func(c *phoihop.Case) {
			c.AgreementID, c.Area = &plan.ID, "inland"
		})
		build("BP-01", u.BP2, "Buôn lậu thuốc lá qua biên giới", day(2016, 12, 31), phoihop.Date{}, func(c *phoihop.Case) {
			c.CrimeType, c.Area = "smuggling", "sea"
		})
		cc := build("BP-02", u.BP, "Vận chuyển heroin", day(2015, 6, 1), phoihop.Date{}, func(c *phoihop.Case) {
			c.Status = "suspended"
		}, "CA")
		build("CA-02", u.CA2, "Chuyên án CA-02", day(2015, 1, 1), day(2015, 12, 31), nil)
		build("CA-03", u.CA, "Chuyên án CA-03", day(2015, 3, 1), day(2016, 1, 1), func(c *phoihop.Case) { c.CrimeType = "weapons" })
		build("CA-04", u.CA, "Chuyên án CA-04", day(2017, 1, 1), phoihop.Date{}, nil)
		g := build("CA-05", u.CA, "Chuyên án đã xóa", day(2016, 5, 5), phoihop.Date{}, nil)
		if err := s.RemoveCase(ctx, recordActor, allScope, g.ID, 1, "nhập trùng"); err != nil {
			t.Fatal(err)
		}
		insertSuspectRow(t, s, cc.ID, u.CA2, false)
		insertSuspectRow(t, s, cc.ID, u.BP2, false)
		insertSuspectRow(t, s, cc.ID, u.BP2, true)
		insertSeizureRow(t, s, cc.ID, u.CA, false)
		insertSeizureRow(t, s, cc.ID, u.CA, true)
		insertSeizureRow(t, s, a.ID, u.CA, false)

		y2016 := store.CaseFilter{From: day(2016, 1, 1), To: day(2016, 12, 31)}
		for _, tc := range []struct {
			name  string
			sc    store.Scope
			f     store.CaseFilter
			want  []string
			total int
		}{
			{"all, newest first", everyAgency, store.CaseFilter{}, []string{"CA-04", "BP-01", "CA-01", "BP-02", "CA-03", "CA-02"}, 6},
			{"fought in 2016", everyAgency, y2016, []string{"BP-01", "CA-01", "BP-02", "CA-03"}, 4},
			{"one day", everyAgency, store.CaseFilter{From: day(2016, 1, 1), To: day(2016, 1, 1)}, []string{"CA-01", "BP-02", "CA-03"}, 3},
			{"the last day", everyAgency, store.CaseFilter{From: day(2016, 12, 31), To: day(2016, 12, 31)}, []string{"BP-01", "CA-01", "BP-02"}, 3},
			{"from only", everyAgency, store.CaseFilter{From: day(2016, 1, 2)}, []string{"CA-04", "BP-01", "CA-01", "BP-02"}, 4},
			{"to only", everyAgency, store.CaseFilter{To: day(2015, 2, 28)}, []string{"CA-02"}, 1},
			{"before everything", everyAgency, store.CaseFilter{To: day(2014, 12, 31)}, nil, 0},
			{"removed too", allScope, y2016, []string{"BP-01", "CA-05", "CA-01", "BP-02", "CA-03"}, 5},
			{"CA officer", scopeOf("CA"), y2016, []string{"CA-01", "BP-02", "CA-03"}, 3},
			{"CA officer, BP-led", scopeOf("CA"), store.CaseFilter{LeadAgency: "BP"}, []string{"BP-02"}, 1},
			{"CA officer searches a BP-only case", scopeOf("CA"), store.CaseFilter{Search: "buon lau"}, nil, 0},
			{"BP officer searches it", scopeOf("BP"), store.CaseFilter{Search: "BUÔN LẬU"}, []string{"BP-01"}, 1},
			{"HQ officer", scopeOf("HQ"), store.CaseFilter{}, nil, 0},
			{"no scope", store.Scope{}, store.CaseFilter{}, nil, 0},
			{"lead agency", everyAgency, store.CaseFilter{LeadAgency: "bp"}, []string{"BP-01", "BP-02"}, 2},
			{"taking part", everyAgency, store.CaseFilter{Agency: "CA"}, []string{"CA-04", "CA-01", "BP-02", "CA-03", "CA-02"}, 5},
			{"status", everyAgency, store.CaseFilter{Status: "suspended"}, []string{"BP-02"}, 1},
			{"concluded in 2016", everyAgency, store.CaseFilter{From: day(2016, 1, 1), To: day(2016, 12, 31), Status: "concluded"}, []string{"CA-03"}, 1},
			{"crime type", everyAgency, store.CaseFilter{CrimeType: "smuggling"}, []string{"BP-01"}, 1},
			{"area", everyAgency, store.CaseFilter{Area: "inland"}, []string{"CA-01"}, 1},
			{"plan", everyAgency, store.CaseFilter{AgreementID: plan.ID}, []string{"CA-01"}, 1},
			{"search ignores diacritics", everyAgency, store.CaseFilter{Search: "tran van"}, []string{"CA-01"}, 1},
			{"search the code", everyAgency, store.CaseFilter{Search: "ca-0"}, []string{"CA-04", "CA-01", "CA-03", "CA-02"}, 4},
			{"search the title", everyAgency, store.CaseFilter{Search: "HEROIN"}, []string{"BP-02"}, 1},
			{"wildcards are text", everyAgency, store.CaseFilter{Search: "_"}, nil, 0},
			{"code", everyAgency, store.CaseFilter{Sort: "code"}, []string{"BP-01", "BP-02", "CA-01", "CA-02", "CA-03", "CA-04"}, 6},
			{"code desc", everyAgency, store.CaseFilter{Sort: "code desc"}, []string{"CA-04", "CA-03", "CA-02", "CA-01", "BP-02", "BP-01"}, 6},
			{"opened asc", everyAgency, store.CaseFilter{Sort: "opened_on asc"}, []string{"CA-02", "CA-03", "BP-02", "CA-01", "BP-01", "CA-04"}, 6},
			{"title", everyAgency, store.CaseFilter{Sort: "title"}, []string{"BP-01", "CA-02", "CA-03", "CA-04", "CA-01", "BP-02"}, 6},
			{"status asc", everyAgency, store.CaseFilter{Sort: "status"}, []string{"CA-02", "CA-03", "CA-01", "BP-01", "CA-04", "BP-02"}, 6},
			{"lead agency order", everyAgency, store.CaseFilter{Sort: "lead_agency"}, []string{"CA-01", "CA-02", "CA-03", "CA-04", "BP-01", "BP-02"}, 6},
			{"lead agency desc", everyAgency, store.CaseFilter{Sort: "lead_agency desc"}, []string{"BP-02", "BP-01", "CA-04", "CA-03", "CA-02", "CA-01"}, 6},
			{"page 1", everyAgency, store.CaseFilter{Sort: "code", Limit: 2}, []string{"BP-01", "BP-02"}, 6},
			{"page 3", everyAgency, store.CaseFilter{Sort: "code", Limit: 2, Offset: 4}, []string{"CA-03", "CA-04"}, 6},
			{"past the end", everyAgency, store.CaseFilter{Sort: "code", Limit: 2, Offset: 6}, nil, 6},
		} {
			items, total, err := s.ListCases(ctx, tc.sc, tc.f)
			if err != nil || !slices.Equal(caseCodes(items), tc.want) || total != tc.total {
				t.Fatalf("%s: ListCases = %q, %d, %v; want %q, %d", tc.name, caseCodes(items), total, err, tc.want, tc.total)
			}
		}

		// List items carry the lead unit, the agencies and the counts of records not removed.
		items, _, err := s.ListCases(ctx, readScopeOf("CA"), store.CaseFilter{Sort: "code"})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]store.CaseListItem{}
		for _, it := range items {
			byCode[it.Code] = it
		}
		if it := byCode["BP-02"]; it.LeadUnitName != "Bộ Chỉ huy BĐBP tỉnh" || it.LeadUnitCode != "BP-BCH" || it.Status != "suspended" ||
			!slices.Equal(it.Agencies, []string{"CA", "BP"}) || it.Suspects != 2 || it.Seizures != 1 || it.OpenedOn != day(2015, 6, 1) {
			t.Fatalf("BP-02 item = %+v", it)
		}
		if it := byCode["CA-01"]; it.Suspects != 0 || it.Seizures != 1 || it.AgreementID == nil || *it.AgreementID != plan.ID ||
			!slices.Equal(it.Agencies, []string{"CA"}) || it.LeadUnitName != "Công an tỉnh Bình Phước" {
			t.Fatalf("CA-01 item = %+v", it)
		}
		if it := byCode["CA-03"]; it.ClosedOn != day(2016, 1, 1) || it.CrimeType != "weapons" {
			t.Fatalf("CA-03 item = %+v", it)
		}

		// Filters outside their lists name their field.
		for _, tc := range []struct {
			f     store.CaseFilter
			field string
		}{
			{store.CaseFilter{Status: "closed"}, "status"},
			{store.CaseFilter{CrimeType: "arson"}, "crime_type"},
			{store.CaseFilter{Area: "air"}, "area"},
			{store.CaseFilter{Sort: "summary"}, "sort"},
			{store.CaseFilter{Sort: "code up"}, "sort"},
			{store.CaseFilter{Sort: "code asc desc"}, "sort"},
			{store.CaseFilter{From: day(2016, 2, 1), To: day(2016, 1, 31)}, "to"},
		} {
			_, _, err := s.ListCases(ctx, everyAgency, tc.f)
			wantErr(t, "bad filter", err, phoihop.EInvalid, tc.field)
		}
	})
}

// TestCaseScoping checks that an officer of CA never meets a BP-only case: not in lists,
// searches or counts, not on its page, not when editing or removing it.
func TestCaseScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		u := newRecordUnits(t, s)
		bpOnly := mustCase(t, s, newCase("BP-MAT", u.BP2))
		bpOnly.Title = "Chuyên án Trần Văn Mật"
		mustCase(t, s, newCase("CA-01", u.CA))
		ca := scopeOf("CA")
		items, total, err := s.ListCases(ctx, ca, store.CaseFilter{})
		if err != nil || total != 1 || !slices.Equal(caseCodes(items), []string{"CA-01"}) {
			t.Fatalf("CA list = %q, %d, %v", caseCodes(items), total, err)
		}
		for _, f := range []store.CaseFilter{{Search: "bp-mat"}, {LeadAgency: "BP"}, {Agency: "BP"}, {From: day(2016, 1, 1), To: day(2016, 12, 31), LeadAgency: "BP"}} {
			if items, total, err := s.ListCases(ctx, ca, f); err != nil || total != 0 || len(items) != 0 {
				t.Fatalf("CA list %+v = %q, %d, %v", f, caseCodes(items), total, err)
			}
		}
		_, err = s.CaseByID(ctx, ca, bpOnly.ID)
		wantErr(t, "CaseByID", err, phoihop.ENotFound, "")
		_, err = s.CaseAgencies(ctx, ca, bpOnly.ID)
		wantErr(t, "CaseAgencies", err, phoihop.ENotFound, "")
		edit := *bpOnly
		wantErr(t, "UpdateCase", s.UpdateCase(ctx, recordActor, ca, &edit), phoihop.ENotFound, "")
		wantErr(t, "RemoveCase", s.RemoveCase(ctx, recordActor, ca, bpOnly.ID, 1, "thử"), phoihop.ENotFound, "")
		// Even a scope that writes BP but reads nothing finds nothing.
		wantErr(t, "UpdateCase without read", s.UpdateCase(ctx, recordActor, store.Scope{Write: []string{"BP"}}, &edit), phoihop.ENotFound, "")
		if now := mustCaseByID(t, s, bpOnly.ID); now.Version != 1 || now.Title != "Chuyên án BP-MAT" {
			t.Fatalf("BP case after CA's attempts = %+v", now)
		}
		if n := countEntityAudit(t, s, "case"); n != 2 {
			t.Fatalf("audit entries = %d, want the 2 creates", n)
		}
	})
}

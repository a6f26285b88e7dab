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

// recordNow is the clock of the agreement and case tests: 12 May 2026, 10:00 in Vietnam.
var recordNow = time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)

func newAgreement(number string, agencies ...string) *phoihop.Agreement {
	return &phoihop.Agreement{Number: number, Title: "Kế hoạch phối hợp " + number, SignedOn: day(2004, 2, 13),
		LegalBasis: "Quyết định 133/2002/QĐ-TTg", Agencies: agencies}
}

func mustAgreement(t *testing.T, s *store.Store, g *phoihop.Agreement) *phoihop.Agreement {
	t.Helper()
	if err := s.CreateAgreement(context.Background(), recordActor, allScope, g); err != nil {
		t.Fatalf("create agreement %s: %v", g.Number, err)
	}
	return g
}

func wantErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if got := phoihop.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want %q", what, err, got, code)
	}
	if field != "" && fieldOf(err, field) == "" {
		t.Fatalf("%s: error %v has no message on %q", what, err, field)
	}
}

func agreementNumbers(items []phoihop.Agreement) []string {
	var out []string
	for _, g := range items {
		out = append(out, g.Number)
	}
	return out
}

func TestAgreements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		bp := scopeOf("BP")
		g := &phoihop.Agreement{Number: " 06/KH-BCĐ ", Title: " Kế hoạch phối hợp phòng, chống tội phạm ma túy ",
			SignedOn: day(2004, 2, 13), LegalBasis: "Quyết định 133/2002/QĐ-TTg", Agencies: []string{"bp", "ca", "BP"}}
		if err := s.CreateAgreement(ctx, recordActor, bp, g); err != nil {
			t.Fatal(err)
		}
		if g.ID == 0 || g.Version != 1 || g.Number != "06/KH-BCĐ" || g.Title != "Kế hoạch phối hợp phòng, chống tội phạm ma túy" ||
			!slices.Equal(g.Agencies, []string{"CA", "BP"}) || !g.CreatedAt.Equal(recordNow) || g.Removed() {
			t.Fatalf("created agreement = %+v", g)
		}
		e := lastAudit(t, s, "agreement.create")
		if e.Entity != "agreement" || e.EntityID != strconvID(g.ID) || e.Domain != "BP" || e.Username != "officer" || e.RequestID != "req-rec" {
			t.Fatalf("audit entry = %+v", e)
		}
		if _, after := changesOf(t, e); after["number"] != "06/KH-BCĐ" || after["signed_on"] != "2004-02-13" {
			t.Fatalf("audit after = %v", after)
		}
		other := newAgreement("12/KH-HQ", "CSB", "HQ")
		other.SignedOn = day(2010, 1, 5)
		mustAgreement(t, s, other)

		// A party reads it; an agency that did not sign does not.
		got, err := s.AgreementByID(ctx, readScopeOf("CA"), g.ID)
		if err != nil || got.Number != g.Number || got.SignedOn != day(2004, 2, 13) || got.LegalBasis != g.LegalBasis ||
			!slices.Equal(got.Agencies, []string{"CA", "BP"}) || got.Version != 1 {
			t.Fatalf("AgreementByID = %+v, %v", got, err)
		}
		_, err = s.AgreementByID(ctx, scopeOf("HQ"), g.ID)
		wantErr(t, "AgreementByID outside the scope", err, phoihop.ENotFound, "")
		_, err = s.AgreementByID(ctx, allScope, 9999)
		wantErr(t, "AgreementByID(9999)", err, phoihop.ENotFound, "")

		// Lists: search ignores diacritics and finds numbers too; the scope filters in SQL.
		for _, tc := range []struct {
			sc    store.Scope
			f     store.AgreementFilter
			want  []string
			total int
		}{
			{allScope, store.AgreementFilter{}, []string{"12/KH-HQ", "06/KH-BCĐ"}, 2},
			{readScopeOf("CA"), store.AgreementFilter{}, []string{"06/KH-BCĐ"}, 1},
			{readScopeOf("HQ"), store.AgreementFilter{}, []string{"12/KH-HQ"}, 1},
			{allScope, store.AgreementFilter{Search: "chong toi pham MA TUY"}, []string{"06/KH-BCĐ"}, 1},
			{allScope, store.AgreementFilter{Search: "kh-bcd"}, []string{"06/KH-BCĐ"}, 1},
			{allScope, store.AgreementFilter{Search: "%"}, nil, 0},
			{readScopeOf("HQ"), store.AgreementFilter{Search: "ma tuy"}, nil, 0},
			{allScope, store.AgreementFilter{Agency: "hq"}, []string{"12/KH-HQ"}, 1},
			{readScopeOf("CA"), store.AgreementFilter{Agency: "HQ"}, nil, 0},
			{allScope, store.AgreementFilter{Limit: 1, Offset: 1}, []string{"06/KH-BCĐ"}, 2},
			{store.Scope{}, store.AgreementFilter{}, nil, 0},
		} {
			items, total, err := s.ListAgreements(ctx, tc.sc, tc.f)
			if err != nil || !slices.Equal(agreementNumbers(items), tc.want) || total != tc.total {
				t.Fatalf("ListAgreements(%v, %+v) = %q, %d, %v; want %q, %d", tc.sc.Read, tc.f, agreementNumbers(items), total, err, tc.want, tc.total)
			}
		}
		items, _, _ := s.ListAgreements(ctx, allScope, store.AgreementFilter{Agency: "HQ"})
		if !slices.Equal(items[0].Agencies, []string{"CSB", "HQ"}) || items[0].ID != other.ID {
			t.Fatalf("list item = %+v", items[0])
		}

		// Writes: an agency that did not sign cannot even see it; a reader that may not write
		// is forbidden; neither leaves an audit entry.
		audits := countEntityAudit(t, s, "agreement")
		edit := *got
		edit.Title = "Tiêu đề mới"
		wantErr(t, "update outside the scope", s.UpdateAgreement(ctx, recordActor, scopeOf("HQ"), &edit), phoihop.ENotFound, "")
		edit = *got
		wantErr(t, "update by a reader", s.UpdateAgreement(ctx, recordActor, readScopeOf("CA", "BP"), &edit), phoihop.EForbidden, "")
		wantErr(t, "remove outside the scope", s.RemoveAgreement(ctx, recordActor, scopeOf("HQ"), g.ID, 1, "nhập trùng"), phoihop.ENotFound, "")
		wantErr(t, "remove by a reader", s.RemoveAgreement(ctx, recordActor, readScopeOf("BP"), g.ID, 1, "nhập trùng"), phoihop.EForbidden, "")
		edit = *got
		edit.Agencies = []string{"HQ", "CSB"}
		wantErr(t, "update leaving out the writer's agency", s.UpdateAgreement(ctx, recordActor, scopeOf("CA"), &edit), phoihop.EForbidden, "agencies")

		// CA edits: new title, parties replaced (BP leaves, HQ joins).
		s.Now = func() time.Time { return recordNow.Add(time.Hour) }
		edit = *got
		edit.Title, edit.Agencies = "Kế hoạch phối hợp năm 2016", []string{"HQ", "CA"}
		if err := s.UpdateAgreement(ctx, recordActor, scopeOf("CA"), &edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 || !edit.UpdatedAt.Equal(recordNow.Add(time.Hour)) || !edit.CreatedAt.Equal(recordNow) ||
			!slices.Equal(edit.Agencies, []string{"CA", "HQ"}) {
			t.Fatalf("updated agreement = %+v", edit)
		}
		got, err = s.AgreementByID(ctx, readScopeOf("HQ"), g.ID)
		if err != nil || got.Title != "Kế hoạch phối hợp năm 2016" || got.Version != 2 || !slices.Equal(got.Agencies, []string{"CA", "HQ"}) {
			t.Fatalf("after update = %+v, %v", got, err)
		}
		if _, err := s.AgreementByID(ctx, readScopeOf("BP"), g.ID); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("BP after leaving: %v, want not_found", err)
		}
		if items, _, _ := s.ListAgreements(ctx, allScope, store.AgreementFilter{Search: "nam 2016"}); len(items) != 1 {
			t.Fatalf("search for the new title = %q", agreementNumbers(items))
		}
		e = lastAudit(t, s, "agreement.update")
		if before, after := changesOf(t, e); before["title"] != "Kế hoạch phối hợp phòng, chống tội phạm ma túy" ||
			after["title"] != "Kế hoạch phối hợp năm 2016" || e.Domain != "CA" {
			t.Fatalf("update audit = %+v", e)
		}
		audits++

		// A stale version changes nothing.
		stale := *got
		stale.Version, stale.Title = 1, "Sửa trên bản cũ"
		wantErr(t, "stale update", s.UpdateAgreement(ctx, recordActor, scopeOf("CA"), &stale), phoihop.EConflict, "")
		wantErr(t, "stale remove", s.RemoveAgreement(ctx, recordActor, scopeOf("CA"), g.ID, 1, "nhập trùng"), phoihop.EConflict, "")
		if now, _ := s.AgreementByID(ctx, allScope, g.ID); now.Title != "Kế hoạch phối hợp năm 2016" || now.Version != 2 {
			t.Fatalf("after stale writes = %+v", now)
		}
		// The same number on the same day is a duplicate.
		dup := newAgreement("06/KH-BCĐ", "CA", "BP")
		dup.SignedOn = day(2004, 2, 13)
		wantErr(t, "duplicate", s.CreateAgreement(ctx, recordActor, scopeOf("CA"), dup), phoihop.EConflict, "number")
		if n := countEntityAudit(t, s, "agreement"); n != audits {
			t.Fatalf("refused writes left audit entries: %d, want %d", n, audits)
		}

		// Removal: a reason is required; the plan leaves lists but stays for sc.Removed.
		wantErr(t, "remove without reason", s.RemoveAgreement(ctx, recordActor, scopeOf("CA"), g.ID, 2, "  "), phoihop.EInvalid, "reason")
		wantErr(t, "remove with a long reason", s.RemoveAgreement(ctx, recordActor, scopeOf("CA"), g.ID, 2, strings.Repeat("ư", 501)), phoihop.EInvalid, "reason")
		wantErr(t, "remove with a bad reason", s.RemoveAgreement(ctx, recordActor, scopeOf("CA"), g.ID, 2, "x\xff"), phoihop.EInvalid, "reason")
		if err := s.RemoveAgreement(ctx, recordActor, scopeOf("CA"), g.ID, 2, " Nhập trùng "); err != nil {
			t.Fatal(err)
		}
		_, err = s.AgreementByID(ctx, scopeOf("CA"), g.ID)
		wantErr(t, "removed agreement", err, phoihop.ENotFound, "")
		if items, total, _ := s.ListAgreements(ctx, scopeOf("CA", "HQ"), store.AgreementFilter{}); total != 1 || items[0].ID != other.ID {
			t.Fatalf("list after removal = %q, %d", agreementNumbers(items), total)
		}
		removed, err := s.AgreementByID(ctx, store.Scope{Read: []string{"CA"}, Removed: true}, g.ID)
		if err != nil || !removed.Removed() || *removed.DeleteReason != "Nhập trùng" || removed.Version != 3 {
			t.Fatalf("removed agreement = %+v, %v", removed, err)
		}
		if _, total, _ := s.ListAgreements(ctx, store.Scope{Read: []string{"CA"}, Removed: true}, store.AgreementFilter{}); total != 1 {
			t.Fatalf("removed agreements listed with Removed: %d, want 1", total)
		}
		if e := lastAudit(t, s, "agreement.remove"); e.EntityID != strconvID(g.ID) {
			t.Fatalf("remove audit = %+v", e)
		} else if _, after := changesOf(t, e); after["delete_reason"] != "Nhập trùng" {
			t.Fatalf("remove audit after = %v", after)
		}
		wantErr(t, "remove twice", s.RemoveAgreement(ctx, recordActor, allScope, g.ID, 3, "lần nữa"), phoihop.ENotFound, "")
		wantErr(t, "update removed", s.UpdateAgreement(ctx, recordActor, allScope, removed), phoihop.ENotFound, "")
	})
}

func TestAgreementValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return recordNow }
		tomorrow := phoihop.Today(recordNow).AddDays(1)
		for _, tc := range []struct {
			name  string
			edit  func(g *phoihop.Agreement)
			code  string
			field string
		}{
			{"no number", func(g *phoihop.Agreement) { g.Number = " " }, phoihop.EInvalid, "number"},
			{"long number", func(g *phoihop.Agreement) { g.Number = strings.Repeat("1", 65) }, phoihop.EInvalid, "number"},
			{"bad number", func(g *phoihop.Agreement) { g.Number = "06\xff" }, phoihop.EInvalid, "number"},
			{"no title", func(g *phoihop.Agreement) { g.Title = "" }, phoihop.EInvalid, "title"},
			{"long title", func(g *phoihop.Agreement) { g.Title = strings.Repeat("đ", 501) }, phoihop.EInvalid, "title"},
			{"bad title", func(g *phoihop.Agreement) { g.Title = "\xff" }, phoihop.EInvalid, "title"},
			{"no date", func(g *phoihop.Agreement) { g.SignedOn = phoihop.Date{} }, phoihop.EInvalid, "signed_on"},
			{"future date", func(g *phoihop.Agreement) { g.SignedOn = tomorrow }, phoihop.EInvalid, "signed_on"},
			{"ancient date", func(g *phoihop.Agreement) { g.SignedOn = day(1989, 12, 31) }, phoihop.EInvalid, "signed_on"},
			{"long legal basis", func(g *phoihop.Agreement) { g.LegalBasis = strings.Repeat("a", 2001) }, phoihop.EInvalid, "legal_basis"},
			{"bad legal basis", func(g *phoihop.Agreement) { g.LegalBasis = "\xff" }, phoihop.EInvalid, "legal_basis"},
			{"one party", func(g *phoihop.Agreement) { g.Agencies = []string{"CA", "ca"} }, phoihop.EInvalid, "agencies"},
			{"unknown party", func(g *phoihop.Agreement) { g.Agencies = []string{"CA", "XX"} }, phoihop.EInvalid, "agencies"},
			{"not a party", func(g *phoihop.Agreement) { g.Agencies = []string{"BP", "HQ"} }, phoihop.EForbidden, "agencies"},
		} {
			g := newAgreement("01/KH", "CA", "BP")
			tc.edit(g)
			wantErr(t, tc.name, s.CreateAgreement(ctx, recordActor, scopeOf("CA"), g), tc.code, tc.field)
		}
		if n := countRows(t, s, `SELECT count(*) FROM agreements`); n != 0 {
			t.Fatalf("refused creates left %d agreements", n)
		}
		if n := countRows(t, s, `SELECT count(*) FROM agreement_agencies`); n != 0 {
			t.Fatalf("refused creates left %d parties", n)
		}
		if n := countEntityAudit(t, s, "agreement"); n != 0 {
			t.Fatalf("refused creates left %d audit entries", n)
		}
		// The same rules hold for edits, and a refused edit changes nothing.
		g := mustAgreement(t, s, newAgreement("01/KH", "CA", "BP"))
		bad := *g
		bad.SignedOn, bad.Agencies = tomorrow, []string{"CA", "XX"}
		err := s.UpdateAgreement(ctx, recordActor, scopeOf("CA"), &bad)
		wantErr(t, "bad edit", err, phoihop.EInvalid, "signed_on")
		wantErr(t, "bad edit", err, phoihop.EInvalid, "agencies")
		if now, _ := s.AgreementByID(ctx, allScope, g.ID); now.Version != 1 || now.SignedOn != g.SignedOn || !slices.Equal(now.Agencies, []string{"CA", "BP"}) {
			t.Fatalf("after a refused edit = %+v", now)
		}
		if n := countEntityAudit(t, s, "agreement"); n != 1 {
			t.Fatalf("audit entries = %d, want 1", n)
		}
	})
}

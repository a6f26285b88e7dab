package store_test

import (
	"context"
	"fmt"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// The messages of the text rules (phoihop/text.go).
const (
	msgInvalidUTF8 = "The text contains invalid characters."
	msgLineControl = "This field cannot contain line breaks, tabs or other control characters."
	msgTextControl = "The text contains control characters; only tabs and line breaks are allowed."
)

// textField is one text field of a record kind: set stores a record whose field holds v
// (everything else valid) and returns what was stored there, read back from the database.
type textField struct {
	table, field string
	long         bool // a free text (tabs and line breaks allowed), not a line
	set          func(v string) (string, error)
}

// textFields returns every text field users type into a record, over fresh fixtures.
func textFields(t *testing.T, s *store.Store) []textField {
	ctx := context.Background()
	u := newRecordUnits(t, s)
	sc := scopeOf("BP", "CA")
	n := 0
	next := func() string { n++; return fmt.Sprint(n) }
	theCase := mustCase(t, s, newCase("TEXT-CASE", u.BP, "CA"))

	agreement := func(field string) textField {
		return textField{table: "agreements", field: field, long: field == "legal_basis", set: func(v string) (string, error) {
			g := newAgreement("KH-"+next(), "BP", "CA")
			p := map[string]*string{"number": &g.Number, "title": &g.Title, "legal_basis": &g.LegalBasis}[field]
			*p = v
			if err := s.CreateAgreement(ctx, recordActor, sc, g); err != nil {
				return "", err
			}
			got, err := s.AgreementByID(ctx, sc, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *map[string]*string{"number": &got.Number, "title": &got.Title, "legal_basis": &got.LegalBasis}[field], nil
		}}
	}
	kase := func(field string) textField {
		return textField{table: "cases", field: field, long: field == "summary", set: func(v string) (string, error) {
			c := newCase("TEXT-"+next(), u.BP, "CA")
			*map[string]*string{"code": &c.Code, "title": &c.Title, "summary": &c.Summary}[field] = v
			if err := s.CreateCase(ctx, recordActor, sc, c); err != nil {
				return "", err
			}
			got, err := s.CaseByID(ctx, sc, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *map[string]*string{"code": &got.Code, "title": &got.Title, "summary": &got.Summary}[field], nil
		}}
	}
	suspect := func(field string) textField {
		return textField{table: "suspects", field: field, long: field == "address" || field == "notes", set: func(v string) (string, error) {
			sp := &phoihop.Suspect{CaseID: theCase.ID, FullName: "Nguyễn Văn " + next(), Nationality: "VN",
				ArrestedOn: day(2016, 3, 2), ArrestingUnitID: u.BP2.ID}
			*map[string]*string{"full_name": &sp.FullName, "id_number": &sp.IDNumber, "address": &sp.Address, "notes": &sp.Notes}[field] = v
			if err := s.CreateSuspect(ctx, recordActor, sc, sp); err != nil {
				return "", err
			}
			got, err := s.SuspectByID(ctx, sc, sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *map[string]*string{"full_name": &got.FullName, "id_number": &got.IDNumber, "address": &got.Address, "notes": &got.Notes}[field], nil
		}}
	}
	seizure := textField{table: "seizures", field: "description", long: true, set: func(v string) (string, error) {
		z := &phoihop.Seizure{CaseID: theCase.ID, Category: "heroin", Quantity: 9800, SeizedOn: day(2016, 3, 2),
			SeizingUnitID: u.BP2.ID, Description: v}
		if err := s.CreateSeizure(ctx, recordActor, sc, z); err != nil {
			return "", err
		}
		got, err := s.SeizureByID(ctx, sc, z.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Description, nil
	}}
	exchange := textField{table: "exchanges", field: "summary", long: true, set: func(v string) (string, error) {
		e := &phoihop.Exchange{HeldOn: day(2016, 3, 2), Kind: "periodic", OrganizingUnitID: u.BP.ID,
			UnitIDs: []int64{u.CA.ID}, Summary: v}
		if err := s.CreateExchange(ctx, recordActor, sc, e); err != nil {
			return "", err
		}
		got, err := s.ExchangeByID(ctx, sc, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Summary, nil
	}}
	tip := func(field string) textField {
		return textField{table: "tips", field: field, long: field == "content", set: func(v string) (string, error) {
			tp := &phoihop.Tip{ReceivedOn: day(2016, 3, 2), SourceUnitID: u.BP.ID, Subject: "Tin " + next(), CrimeType: "drugs"}
			*map[string]*string{"subject": &tp.Subject, "content": &tp.Content}[field] = v
			if err := s.CreateTip(ctx, recordActor, sc, tp); err != nil {
				return "", err
			}
			got, err := s.TipByID(ctx, sc, tp.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *map[string]*string{"subject": &got.Subject, "content": &got.Content}[field], nil
		}}
	}
	unit := textField{table: "units", field: "name", set: func(v string) (string, error) {
		un := &phoihop.Unit{Agency: "BP", Code: "TEXT-" + next(), Name: v, Kind: "team", ValidFrom: day(2004, 1, 1)}
		if err := s.CreateUnit(ctx, phoihop.SystemActor("test"), store.Domains{All: true}, un); err != nil {
			return "", err
		}
		got, err := s.UnitByID(ctx, un.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Name, nil
	}}
	user := textField{table: "users", field: "full_name", set: func(v string) (string, error) {
		us := &phoihop.User{Username: "text." + next(), FullName: v}
		if err := s.CreateUser(ctx, phoihop.SystemActor("test"), allAccounts, us, testHash); err != nil {
			return "", err
		}
		got, err := s.UserByID(ctx, allAccounts, us.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.FullName, nil
	}}
	// The reason of a removal, counted in the removed tips.
	reason := textField{table: "removed_tips", field: "reason", set: func(v string) (string, error) {
		tp := &phoihop.Tip{ReceivedOn: day(2016, 3, 2), SourceUnitID: u.BP.ID, Subject: "Tin bị xóa " + next(), CrimeType: "drugs"}
		if err := s.CreateTip(ctx, recordActor, sc, tp); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveTip(ctx, recordActor, sc, tp.ID, tp.Version, v); err != nil {
			return "", err
		}
		got, err := s.TipByID(ctx, store.Scope{Read: sc.Read, Write: sc.Write, Removed: true}, tp.ID)
		if err != nil || got.DeleteReason == nil {
			t.Fatalf("removed tip: %+v, %v", got, err)
		}
		return *got.DeleteReason, nil
	}}
	return []textField{
		agreement("number"), agreement("title"), agreement("legal_basis"),
		kase("code"), kase("title"), kase("summary"),
		suspect("full_name"), suspect("id_number"), suspect("address"), suspect("notes"),
		seizure, exchange, tip("subject"), tip("content"), unit, user, reason,
	}
}

// countText counts the rows of a textField's table (removed_tips: the removed tips).
func countText(t *testing.T, s *store.Store, table string) int {
	if table == "removed_tips" {
		return countRows(t, s, `SELECT count(*) FROM tips WHERE deleted_at IS NOT NULL`)
	}
	return countRows(t, s, `SELECT count(*) FROM `+table)
}

// TestTextFieldsRefuseControlCharacters stores every text field of every record kind with
// control characters, invalid UTF-8 and line separators (refused, naming the field, nothing
// written), with tabs and line breaks (kept in free texts, refused in one-line fields), and
// with ordinary Vietnamese text.
func TestTextFieldsRefuseControlCharacters(t *testing.T) {
	refused := []struct{ name, v string }{
		{"NUL", "Vận chuyển\x00ma túy"},
		{"U+0001", "a\x01b"},
		{"ESC", "a\x1b[31mđỏ\x1b[0m"},
		{"VT", "a\vb"},
		{"FF", "a\fb"},
		{"DEL", "a\x7fb"},
		{"NEL U+0085", "dòng 1\u0085dòng 2"},
		{"CSI U+009B", "a\u009b31mb"},
		{"U+2028", "dòng 1\u2028dòng 2"},
		{"U+2029", "đoạn 1\u2029đoạn 2"},
		{"lone CR", "dòng 1\rdòng 2"},
	}
	lineBreaks := []struct{ name, v string }{
		{"tab", "Cột 1\tCột 2"},
		{"LF", "Dòng 1\nDòng 2"},
		{"CR LF", "Dòng 1\r\nDòng 2\r\n\tthụt lề"},
	}
	plain := []string{"Trần Thắng Phúc", "Hoa Lư\u00a0(cửa khẩu)", "Ma túy tổng hợp 🚫"}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, f := range textFields(t, s) {
			what := f.table + "." + f.field
			refuse := func(name, v, want string) {
				t.Helper()
				before := countText(t, s, f.table)
				_, err := f.set(v)
				if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, f.field) != want {
					t.Errorf("%s with %s: %v, want EInvalid on %q: %q", what, name, err, f.field, want)
				}
				if after := countText(t, s, f.table); after != before {
					t.Errorf("%s with %s: %d rows after the refusal, want %d", what, name, after, before)
				}
			}
			keep := func(name, v string) {
				t.Helper()
				got, err := f.set(v)
				if err != nil || got != v {
					t.Errorf("%s with %s: stored %q, %v; want %q", what, name, got, err, v)
				}
			}
			refuse("invalid UTF-8", "Tr\xe1\xban", msgInvalidUTF8)
			want := msgLineControl
			if f.long {
				want = msgTextControl
			}
			for _, r := range refused {
				refuse(r.name, r.v, want)
			}
			for _, lb := range lineBreaks {
				if f.long {
					keep(lb.name, lb.v)
				} else {
					refuse(lb.name, lb.v, msgLineControl)
				}
			}
			ordinary := plain
			if f.field == "id_number" {
				ordinary = []string{"079 201 600 123", "CMND số 285/123"} // 32 characters at most
			}
			for _, v := range ordinary {
				keep("plain text", v)
			}
		}

		// An edit is held to the same rules.
		ctx := context.Background()
		sc := scopeOf("BP", "CA")
		u, err := s.UnitByCode(ctx, "BP-BCH")
		if err != nil {
			t.Fatal(err)
		}
		c := mustCase(t, s, newCase("TEXT-EDIT", u, "CA"))
		c.Title = "Đã sửa\x00"
		err = s.UpdateCase(ctx, recordActor, sc, c)
		if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, "title") != msgLineControl {
			t.Errorf("update case with NUL in the title: %v", err)
		}
		got, err := s.CaseByID(ctx, sc, c.ID)
		if err != nil || got.Title != "Chuyên án TEXT-EDIT" || got.Version != 1 {
			t.Errorf("case after the refused edit = %q v%d, %v", got.Title, got.Version, err)
		}
	})
}

// TestSearchWithControlCharacters searches every list with control characters in the search
// box: they count as spaces on both engines (PostgreSQL refuses NUL in a parameter).
func TestSearchWithControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newRecordUnits(t, s)
		sc := scopeOf("BP", "CA")
		c := newCase("TIM-KIEM", u.BP, "CA")
		c.Title = "Vận chuyển ma túy qua Hoa Lư"
		mustCase(t, s, c)
		for _, q := range []string{"hoa\x00lu", "\x00", "ma\x1btúy", "\xff", "hoa\u0085lu"} {
			items, total, err := s.ListCases(ctx, sc, store.CaseFilter{Search: q})
			want := 1
			if q == "\x00" || q == "\xff" {
				want = -1 // nothing to search for, or nothing stored matches: either way no error
			}
			if err != nil || (want >= 0 && (total != want || len(items) != want)) {
				t.Errorf("cases q=%q: %d items, %v; want %d", q, total, err, want)
			}
			if _, _, err := s.ListTips(ctx, sc, store.TipFilter{Search: q}); err != nil {
				t.Errorf("tips q=%q: %v", q, err)
			}
			if _, _, err := s.ListExchanges(ctx, sc, store.ExchangeFilter{Search: q}); err != nil {
				t.Errorf("exchanges q=%q: %v", q, err)
			}
			if _, _, err := s.ListAgreements(ctx, sc, store.AgreementFilter{Search: q}); err != nil {
				t.Errorf("agreements q=%q: %v", q, err)
			}
			if _, _, err := s.ListUsers(ctx, allAccounts, store.UserFilter{Search: q}); err != nil {
				t.Errorf("users q=%q: %v", q, err)
			}
		}
	})
}

// TestAgencyCodesWithControlCharacters gives NUL and other text that cannot be an agency code
// where the store takes one (a unit's agency, a permission's and a role's domain, the
// agencies of a case): EInvalid on the field on both engines, never a database error.
func TestAgencyCodesWithControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newRecordUnits(t, s)
		user := &phoihop.User{Username: "ma.dai.ly", FullName: "Mã đại lý"}
		if err := s.CreateUser(ctx, phoihop.SystemActor("test"), allAccounts, user, testHash); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"B\x00P", "\x00", "C\xffA", "B\nP", "B P", "B1"} {
			err := s.CreateUnit(ctx, phoihop.SystemActor("test"), store.Domains{All: true}, &phoihop.Unit{Agency: code, Code: "MA-DL", Name: "Đơn vị", Kind: "team", ValidFrom: day(2004, 1, 1)})
			wantErr(t, fmt.Sprintf("unit of agency %q", code), err, phoihop.EInvalid, "agency")
			_, err = s.SetPermission(ctx, phoihop.SystemActor("test"), phoihop.Permission{Role: "officer", Domain: code, Object: "record", Action: "read"}, true)
			wantErr(t, fmt.Sprintf("permission in %q", code), err, phoihop.EInvalid, "domain")
			err = s.AssignRole(ctx, phoihop.SystemActor("test"), allAccounts, user.ID, "officer", code)
			wantErr(t, fmt.Sprintf("role in %q", code), err, phoihop.EInvalid, "domain")
			err = s.CreateCase(ctx, recordActor, allScope, newCase("MA-DL-1", u.BP, "CA", code))
			wantErr(t, fmt.Sprintf("case with agency %q", code), err, phoihop.EInvalid, "agencies")
			err = s.CreateAgreement(ctx, recordActor, allScope, newAgreement("MA-DL-1", "BP", code))
			wantErr(t, fmt.Sprintf("plan with agency %q", code), err, phoihop.EInvalid, "agencies")
		}
		if n := countRows(t, s, `SELECT count(*) FROM units WHERE code = 'MA-DL'`) + countRows(t, s, `SELECT count(*) FROM cases WHERE code = 'MA-DL-1'`); n != 0 {
			t.Errorf("%d rows written by refused writes", n)
		}
	})
}

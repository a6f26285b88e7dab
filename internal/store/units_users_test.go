package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

const testHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"

func day(y, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }

func mustUnit(t *testing.T, s *store.Store, u *phoihop.Unit) *phoihop.Unit {
	t.Helper()
	if err := s.CreateUnit(context.Background(), phoihop.SystemActor("test"), store.Domains{All: true}, u); err != nil {
		t.Fatalf("create unit %s: %v", u.Code, err)
	}
	return u
}

func TestUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		admin := phoihop.Actor{Username: "admin", IP: "10.0.0.5", RequestID: "req-1"}
		hq := mustUnit(t, s, &phoihop.Unit{Agency: "bp", Code: " bp-bch ", Name: " Bộ Chỉ huy BĐBP tỉnh ", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})
		if hq.Code != "BP-BCH" || hq.Agency != "BP" || hq.Name != "Bộ Chỉ huy BĐBP tỉnh" || hq.Version != 1 || hq.ID == 0 {
			t.Fatalf("created unit = %+v", hq)
		}
		post := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &hq.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", Border: true, ValidFrom: day(2004, 1, 1)})
		team := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &post.ID, Code: "BP-HOA-LU-1", Name: "Tổ công tác 1", Kind: "team", ValidFrom: day(2010, 5, 1)})
		mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &hq.ID, Code: "BP-AN-PHU", Name: "Đồn Biên phòng An Phú", Kind: "border_post", Border: true, ValidFrom: day(2004, 1, 1)})
		ca := mustUnit(t, s, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh", Kind: "headquarters", ValidFrom: day(2004, 1, 1)})

		got, err := s.UnitByCode(ctx, "bp-hoa-lu")
		if err != nil || got.ID != post.ID || !got.Border || got.ParentID == nil || *got.ParentID != hq.ID || got.ValidFrom != day(2004, 1, 1) || !got.ValidTo.IsZero() {
			t.Fatalf("UnitByCode = %+v, %v", got, err)
		}
		if _, err := s.UnitByID(ctx, 9999); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("UnitByID(9999) error = %v, want not_found", err)
		}

		// The tree: depth first, siblings by name ("Đồn … An Phú" before "Đồn … Hoa Lư").
		tree, err := s.UnitTree(ctx, "BP")
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, n := range tree {
			lines = append(lines, strings.Repeat("  ", n.Depth)+n.Code)
		}
		want := []string{"BP-BCH", "  BP-AN-PHU", "  BP-HOA-LU", "    BP-HOA-LU-1"}
		if !slices.Equal(lines, want) {
			t.Fatalf("tree = %q, want %q", lines, want)
		}

		// Bad units: each names its field.
		bad := []struct {
			u     phoihop.Unit
			field string
			code  string
		}{
			{phoihop.Unit{Agency: "BP", Code: "", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "code", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP X", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "code", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP-X", Name: "", Kind: "team", ValidFrom: day(2004, 1, 1)}, "name", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP-X", Name: "x", Kind: "battalion", ValidFrom: day(2004, 1, 1)}, "kind", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP-X", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1), ValidTo: day(2003, 12, 31)}, "valid_to", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP-X", Name: "x\xff", Kind: "team", ValidFrom: day(2004, 1, 1)}, "name", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "BP-X", Name: strings.Repeat("đ", 201), Kind: "team", ValidFrom: day(2004, 1, 1)}, "name", phoihop.EInvalid},
			{phoihop.Unit{Agency: "XX", Code: "BP-X", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "agency", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", ParentID: &ca.ID, Code: "BP-X", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "parent", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", ParentID: ptr(int64(9999)), Code: "BP-X", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "parent", phoihop.EInvalid},
			{phoihop.Unit{Agency: "BP", Code: "bp-hoa-lu", Name: "x", Kind: "team", ValidFrom: day(2004, 1, 1)}, "code", phoihop.EConflict},
		}
		for _, tt := range bad {
			u := tt.u
			err := s.CreateUnit(ctx, admin, store.Domains{All: true}, &u)
			if phoihop.ErrorCode(err) != tt.code || fieldOf(err, tt.field) == "" {
				t.Errorf("CreateUnit(%+v) = %v, want %s on %q", tt.u, err, tt.code, tt.field)
			}
		}
		units, _ := s.Units(ctx, store.UnitFilter{})
		if len(units) != 5 {
			t.Fatalf("%d units after the refused ones, want 5", len(units))
		}

		// Retire: a stale version is refused; children in service block it; then it works.
		if _, err := s.RetireUnit(ctx, admin, store.Domains{All: true}, post.ID, day(2025, 6, 30), post.Version+1); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Fatalf("retire with a stale version = %v, want conflict", err)
		}
		if _, err := s.RetireUnit(ctx, admin, store.Domains{All: true}, post.ID, day(2025, 6, 30), post.Version); fieldOf(err, "valid_to") == "" {
			t.Fatalf("retire with a child in service = %v, want an error on valid_to", err)
		}
		if _, err := s.RetireUnit(ctx, admin, store.Domains{All: true}, team.ID, day(2003, 1, 1), team.Version); fieldOf(err, "valid_to") == "" {
			t.Fatalf("retire before the start = %v, want an error on valid_to", err)
		}
		if _, err := s.RetireUnit(ctx, admin, store.Domains{All: true}, team.ID, day(2025, 6, 30), team.Version); err != nil {
			t.Fatalf("retire team: %v", err)
		}
		after, err := s.RetireUnit(ctx, admin, store.Domains{All: true}, post.ID, day(2025, 6, 30), post.Version)
		if err != nil || after.ValidTo != day(2025, 6, 30) || after.Version != 2 {
			t.Fatalf("retire post = %+v, %v", after, err)
		}
		if !after.ActiveOn(day(2025, 6, 30)) || after.ActiveOn(day(2025, 7, 1)) {
			t.Fatal("the last day of service is inclusive")
		}
		active, err := s.Units(ctx, store.UnitFilter{Agency: "BP", ActiveOn: day(2025, 7, 1)})
		if err != nil || len(active) != 2 {
			t.Fatalf("BP units in service on 01/07/2025 = %d, %v; want 2", len(active), err)
		}
		old, err := s.Units(ctx, store.UnitFilter{Agency: "BP", ActiveOn: day(2016, 5, 12)})
		if err != nil || len(old) != 4 {
			t.Fatalf("BP units in service on 12/05/2016 = %d, %v; want 4 (old reports stay reproducible)", len(old), err)
		}
		counts, err := s.UnitCounts(ctx, day(2025, 7, 1))
		if err != nil || counts["BP"] != 2 || counts["CA"] != 1 || counts["HQ"] != 0 {
			t.Fatalf("UnitCounts = %v, %v", counts, err)
		}

		// The audit log holds every write with its actor, before and after.
		log, err := s.AuditLog(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var creates, retires int
		for _, e := range log {
			switch e.Action {
			case "unit.create":
				creates++
			case "unit.retire":
				retires++
				if e.EntityID == strconvID(post.ID) {
					var ch struct{ Before, After phoihop.Unit }
					if err := json.Unmarshal(e.Changes, &ch); err != nil {
						t.Fatalf("changes %s: %v", e.Changes, err)
					}
					if !ch.Before.ValidTo.IsZero() || ch.After.ValidTo != day(2025, 6, 30) || e.Username != "admin" || e.IP != "10.0.0.5" || e.RequestID != "req-1" || e.Domain != "BP" {
						t.Errorf("retire audit entry = %+v %s", e, e.Changes)
					}
				}
			}
		}
		if creates != 5 || retires != 2 {
			t.Fatalf("audit has %d unit.create and %d unit.retire, want 5 and 2 (refused writes leave none)", creates, retires)
		}
	})
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := phoihop.SystemActor("test")
		post := mustUnit(t, s, &phoihop.Unit{Agency: "BP", Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", ValidFrom: day(2004, 1, 1)})
		u := &phoihop.User{Username: "Tran.Thang.Phuc", FullName: "Trần Thắng Phúc", UnitID: &post.ID, MustChangePassword: true}
		if err := s.CreateUser(ctx, a, allAccounts, u, testHash); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Status != phoihop.UserActive || u.Version != 1 {
			t.Fatalf("created user = %+v", u)
		}
		for _, name := range []string{"tran.thang.phuc", "TRAN.THANG.PHUC", " Tran.Thang.Phuc "} {
			got, err := s.UserByUsername(ctx, name)
			if err != nil || got.ID != u.ID || got.PasswordHash != testHash || !got.MustChangePassword || got.FullName != "Trần Thắng Phúc" || *got.UnitID != post.ID {
				t.Fatalf("UserByUsername(%q) = %+v, %v", name, got, err)
			}
		}
		if _, err := s.UserByUsername(ctx, "nobody"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("unknown user error = %v, want not_found", err)
		}
		if got, err := s.UserByID(ctx, allAccounts, u.ID); err != nil || got.Username != "Tran.Thang.Phuc" {
			t.Fatalf("UserByID = %+v, %v", got, err)
		}
		bad := []struct {
			u     phoihop.User
			field string
		}{
			{phoihop.User{Username: "", FullName: "x"}, "username"},
			{phoihop.User{Username: "trần", FullName: "x"}, "username"},
			{phoihop.User{Username: ".dot", FullName: "x"}, "username"},
			{phoihop.User{Username: "a", FullName: "x"}, "username"},
			{phoihop.User{Username: "ok.name", FullName: ""}, "full_name"},
			{phoihop.User{Username: "ok.name", FullName: "x", UnitID: ptr(int64(999))}, "unit"},
			{phoihop.User{Username: "TRAN.THANG.PHUC", FullName: "x"}, "username"},
		}
		for _, tt := range bad {
			v := tt.u
			if err := s.CreateUser(ctx, a, allAccounts, &v, testHash); fieldOf(err, tt.field) == "" {
				t.Errorf("CreateUser(%q, %q) = %v, want an error on %q", tt.u.Username, tt.u.FullName, err, tt.field)
			}
		}
		if n, err := s.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("CountUsers = %d, %v; want 1", n, err)
		}

		if err := s.AssignRole(ctx, a, allAccounts, u.ID, "officer", "BP"); err != nil {
			t.Fatal(err)
		}
		if err := s.AssignRole(ctx, a, allAccounts, u.ID, "officer", "BP"); err != nil {
			t.Fatalf("assigning a held role again: %v", err)
		}
		if err := s.AssignRole(ctx, a, allAccounts, u.ID, "analyst", "*"); err != nil {
			t.Fatal(err)
		}
		if err := s.AssignRole(ctx, a, allAccounts, u.ID, "chief", "XX"); fieldOf(err, "role") == "" || fieldOf(err, "domain") == "" {
			t.Fatalf("AssignRole(chief, XX) = %v, want errors on role and domain", err)
		}
		roles, err := s.UserRoles(ctx, "tran.thang.phuc")
		if err != nil || len(roles) != 2 || roles[0] != [2]string{"analyst", "*"} || roles[1] != [2]string{"officer", "BP"} {
			t.Fatalf("UserRoles = %v, %v", roles, err)
		}
		log, _ := s.AuditLog(ctx, 100)
		var assigns int
		for _, e := range log {
			if e.Action == "role.assign" {
				assigns++
			}
			if strings.Contains(string(e.Changes), "argon2id") {
				t.Errorf("the audit log holds a password hash: %s", e.Changes)
			}
		}
		if assigns != 2 {
			t.Fatalf("%d role.assign entries, want 2", assigns)
		}
	})
}

func TestCreateFirstAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		created, err := s.CreateFirstAdmin(ctx, testHash, true)
		if err != nil || !created {
			t.Fatalf("first CreateFirstAdmin = %v, %v; want true", created, err)
		}
		created, err = s.CreateFirstAdmin(ctx, "$argon2id$other", false)
		if err != nil || created {
			t.Fatalf("second CreateFirstAdmin = %v, %v; want false", created, err)
		}
		admin, err := s.UserByUsername(ctx, "admin")
		if err != nil || admin.PasswordHash != testHash || !admin.MustChangePassword {
			t.Fatalf("admin = %+v, %v; the second start must not reset it", admin, err)
		}
		roles, _ := s.UserRoles(ctx, "admin")
		if len(roles) != 1 || roles[0] != [2]string{"admin", "*"} {
			t.Fatalf("admin roles = %v", roles)
		}
	})
}

func fieldOf(err error, field string) string {
	var e *phoihop.Error
	if !errors.As(err, &e) {
		return ""
	}
	return e.Fields[field]
}

func ptr[T any](v T) *T { return &v }

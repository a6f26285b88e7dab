package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// bpManager is the scope of an administrator holding admin in BP only: BP's accounts and roles.
var bpManager = store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}, Roles: store.Domains{Agencies: []string{"BP"}}}

// accountActions are every change of an account and of its roles, tried by a manager with
// scope sc on the account id last read at version.
func accountActions(s *store.Store, a phoihop.Actor, sc store.AccountScope, unitID int64) []struct {
	name string
	do   func(id int64, version int) error
} {
	ctx := context.Background()
	return []struct {
		name string
		do   func(id int64, version int) error
	}{
		{"update", func(id int64, v int) error {
			_, err := s.UpdateUser(ctx, a, sc, id, v, "Tên mới", &unitID)
			return err
		}},
		{"disable", func(id int64, v int) error { _, err := s.DisableUser(ctx, a, sc, id, v); return err }},
		{"enable", func(id int64, v int) error { _, err := s.EnableUser(ctx, a, sc, id, v); return err }},
		{"unlock", func(id int64, _ int) error { _, err := s.UnlockUser(ctx, a, sc, id); return err }},
		{"reset password", func(id int64, _ int) error { _, err := s.ResetPassword(ctx, a, sc, id, testHash, true); return err }},
		{"assign role", func(id int64, _ int) error { return s.AssignRole(ctx, a, sc, id, "analyst", "BP") }},
		{"remove role", func(id int64, _ int) error { return s.RemoveRole(ctx, a, sc, id, "officer", "BP") }},
	}
}

// TestAdministrationCannotClimb has an administrator of BP act on accounts of BP's units that
// hold roles beyond BP (admin or leader of all agencies, an officer of CA too): every change is
// EForbidden and leaves the account, its roles, its sessions and the audit log as they were;
// an administrator of all agencies makes the same changes.
func TestAdministrationCannotClimb(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bpAdmin := f.actor(f.user(t, "qt.bp", "Quản trị BP", f.bpHQ, "admin@BP"))
		wide := []*phoihop.User{
			f.user(t, "qt.tinh", "Quản trị tỉnh", f.bpPost, "officer@BP", "admin@*"),
			f.user(t, "lanh.dao.tinh", "Lãnh đạo tỉnh", f.bpPost, "officer@BP", "leader@*"),
			f.user(t, "hai.luc.luong", "Cán bộ hai lực lượng", f.bpPost, "officer@BP", "officer@CA"),
		}
		for _, u := range wide {
			addSessions(t, s, u.ID, 1)
		}
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)
		for _, u := range wide {
			if _, err := s.UserByID(ctx, bpManager, u.ID); err != nil {
				t.Fatalf("%s is in a BP unit, so the BP administrator sees it: %v", u.Username, err)
			}
			roles, _ := s.UserRoles(ctx, u.Username)
			for _, act := range accountActions(s, bpAdmin, bpManager, f.bpHQ.ID) {
				err := act.do(u.ID, u.Version)
				if phoihop.ErrorCode(err) != phoihop.EForbidden {
					t.Errorf("%s on %s = %v, want EForbidden", act.name, u.Username, err)
				}
			}
			got := f.get(t, u.ID)
			if got.Version != u.Version || got.FullName != u.FullName || got.Status != phoihop.UserActive || got.PasswordHash != testHash || *got.UnitID != f.bpPost.ID {
				t.Errorf("the refused changes changed %s: %+v", u.Username, got)
			}
			if after, _ := s.UserRoles(ctx, u.Username); !slices.Equal(after, roles) {
				t.Errorf("the refused changes changed %s's roles: %v, want %v", u.Username, after, roles)
			}
			if n := countSessions(t, s, u.ID); n != 1 {
				t.Errorf("%s has %d sessions after the refused changes, want 1", u.Username, n)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Errorf("%d audit entries after the refused changes, want %d", n, audits)
		}
		// The message says why in plain words.
		if _, err := s.ResetPassword(ctx, bpAdmin, bpManager, wide[0].ID, testHash, true); err != store.ErrAccountBeyondUsers {
			t.Errorf("reset password of an admin of all agencies = %v, want ErrAccountBeyondUsers", err)
		}
		if err := s.AssignRole(ctx, bpAdmin, bpManager, wide[0].ID, "analyst", "BP"); err != store.ErrAccountBeyondRoles {
			t.Errorf("a role for an admin of all agencies = %v, want ErrAccountBeyondRoles", err)
		}

		// An administrator of all agencies makes every one of these changes.
		all := f.actor(f.user(t, "qt.tat.ca", "Quản trị tất cả", nil, "admin@*"))
		for _, u := range wide {
			for _, act := range accountActions(s, all, allAccounts, f.bpHQ.ID) {
				if err := act.do(u.ID, f.get(t, u.ID).Version); err != nil {
					t.Errorf("%s on %s by an administrator of all agencies: %v", act.name, u.Username, err)
				}
			}
		}
	})
}

// TestRolesGivenStayWithinTheManager has an administrator of BP give roles: within BP to an
// account holding only BP roles, never in another agency or in all agencies, never to itself,
// and a new account only roles in BP. A manager of BP's accounts without role management
// changes the account but none of its roles.
func TestRolesGivenStayWithinTheManager(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		me := f.user(t, "qt.bp", "Quản trị BP", f.bpHQ, "admin@BP")
		bpAdmin := f.actor(me)
		plain := f.user(t, "can.bo.bp", "Cán bộ BP", f.bpPost, "officer@BP")
		for _, tt := range []struct{ role, domain string }{{"admin", "*"}, {"leader", "*"}, {"officer", "CA"}, {"admin", "HQ"}} {
			if err := s.AssignRole(ctx, bpAdmin, bpManager, plain.ID, tt.role, tt.domain); err != store.ErrRoleDomain {
				t.Errorf("giving %s in %s = %v, want ErrRoleDomain", tt.role, tt.domain, err)
			}
		}
		if err := s.AssignRole(ctx, bpAdmin, bpManager, plain.ID, "leader", "BP"); err != nil {
			t.Fatalf("giving leader in BP: %v", err)
		}
		if err := s.RemoveRole(ctx, bpAdmin, bpManager, plain.ID, "leader", "BP"); err != nil {
			t.Fatalf("taking leader in BP: %v", err)
		}

		// Nobody changes their own roles, whatever the scope.
		before := countRows(t, s, `SELECT count(*) FROM audit_log`)
		for _, sc := range []store.AccountScope{bpManager, allAccounts} {
			if err := s.AssignRole(ctx, bpAdmin, sc, me.ID, "officer", "BP"); err != store.ErrOwnRoles {
				t.Errorf("giving oneself officer in BP = %v, want ErrOwnRoles", err)
			}
			if err := s.RemoveRole(ctx, bpAdmin, sc, me.ID, "admin", "BP"); err != store.ErrOwnRoles {
				t.Errorf("taking one's own admin role = %v, want ErrOwnRoles", err)
			}
		}
		if roles, _ := s.UserRoles(ctx, me.Username); !slices.Equal(roles, [][2]string{{"admin", "BP"}}) {
			t.Errorf("own roles after the refusals = %v", roles)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != before {
			t.Errorf("the refusals were audited: %d entries, want %d", n, before)
		}

		// A new account gets roles only where its creator manages both accounts and roles.
		for _, tt := range []struct {
			grant phoihop.RoleGrant
			code  string
		}{{phoihop.RoleGrant{Role: "admin", Domain: "*"}, phoihop.EInvalid}, {phoihop.RoleGrant{Role: "officer", Domain: "CA"}, phoihop.EInvalid}} {
			u := &phoihop.User{Username: "moi.bp", FullName: "Cán bộ mới", UnitID: &f.bpPost.ID}
			if err := s.CreateUser(ctx, bpAdmin, bpManager, u, testHash, tt.grant); phoihop.ErrorCode(err) != tt.code || fieldOf(err, "domain") == "" {
				t.Errorf("a new account with %v = %v, want %s on domain", tt.grant, err, tt.code)
			}
		}
		usersOnly := store.AccountScope{Users: bpManager.Users}
		u := &phoihop.User{Username: "moi.bp", FullName: "Cán bộ mới", UnitID: &f.bpPost.ID}
		if err := s.CreateUser(ctx, bpAdmin, usersOnly, u, testHash, phoihop.RoleGrant{Role: "officer", Domain: "BP"}); err != store.ErrRoleDomain {
			t.Errorf("a role given by a manager of accounts only = %v, want ErrRoleDomain", err)
		}
		if _, err := s.UserByUsername(ctx, "moi.bp"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("a refused creation left an account: %v", err)
		}
		if _, err := s.ResetPassword(ctx, bpAdmin, usersOnly, plain.ID, testHash, true); err != nil {
			t.Errorf("a manager of BP's accounts resets a BP officer's password: %v", err)
		}
		if err := s.AssignRole(ctx, bpAdmin, usersOnly, plain.ID, "leader", "BP"); err != store.ErrAccountBeyondRoles {
			t.Errorf("a manager of accounts only giving a role = %v, want ErrAccountBeyondRoles", err)
		}
	})
}

// TestRoleGivenDuringAChange races an administrator of all agencies giving an account admin
// over all agencies against an administrator of BP resetting its password: the reset may come
// first, but it never lands after the role (PostgreSQL reads the roles under the account's row
// lock; SQLite serializes writers).
func TestRoleGivenDuringAChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bpAdmin := f.actor(f.user(t, "qt.bp", "Quản trị BP", f.bpHQ, "admin@BP"))
		for round := range 12 {
			u := f.user(t, fmt.Sprintf("muc.tieu.%d", round), "Mục tiêu", f.bpPost, "officer@BP")
			errs := make(chan error, 2)
			go func() { errs <- s.AssignRole(ctx, f.admin, allAccounts, u.ID, "admin", "*") }()
			go func() { _, err := s.ResetPassword(ctx, bpAdmin, bpManager, u.ID, testHash, true); errs <- err }()
			for range 2 {
				if err := <-errs; err != nil && err != store.ErrAccountBeyondUsers {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			var grant, reset int64
			for _, e := range mustAuditOf(t, s, u.ID) {
				switch e.Action {
				case "role.assign":
					if _, after := changesOf(t, e); after["domain"] == "*" {
						grant = e.ID
					}
				case "user.reset_password":
					reset = e.ID
				}
			}
			if grant == 0 || (reset != 0 && reset > grant) {
				t.Fatalf("round %d: the role was audited as entry %d and the reset as %d: a reset landed after the role", round, grant, reset)
			}
		}
	})
}

// mustAuditOf returns the audit entries about the account.
func mustAuditOf(t *testing.T, s *store.Store, userID int64) []phoihop.AuditEntry {
	t.Helper()
	entries, _, err := s.QueryAudit(context.Background(), store.AuditFilter{Entity: "user", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(entries, func(e phoihop.AuditEntry) bool { return e.EntityID != strconvID(userID) })
}

// TestUnitsOfOtherAgencies has a manager of BP's units create a unit of CA and rename, move and
// retire one: each is refused (the agency field, or not found) and nothing changes; BP's units
// it manages, and a manager of all agencies manages every unit.
func TestUnitsOfOtherAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bp := store.Domains{Agencies: []string{"BP"}}
		ca2 := mustUnit(t, s, &phoihop.Unit{Agency: "CA", ParentID: &f.caHQ.ID, Code: "CA-LOC-NINH", Name: "Công an huyện Lộc Ninh", Kind: "district", ValidFrom: day(2004, 1, 1)})
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)

		err := s.CreateUnit(ctx, f.admin, bp, &phoihop.Unit{Agency: "CA", Code: "CA-MOI", Name: "Công an mới", Kind: "district", ValidFrom: day(2020, 1, 1)})
		if phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, "agency") == "" {
			t.Errorf("create a CA unit = %v, want EInvalid on agency", err)
		}
		err = s.CreateUnit(ctx, f.admin, store.Domains{}, &phoihop.Unit{Agency: "BP", Code: "BP-MOI", Name: "Đồn mới", Kind: "border_post", ValidFrom: day(2020, 1, 1)})
		if fieldOf(err, "agency") == "" {
			t.Errorf("create a unit with no unit domain = %v, want EInvalid on agency", err)
		}
		if _, err := s.RenameUnit(ctx, f.admin, bp, ca2.ID, ca2.Version, "Công an thị xã"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("rename a CA unit = %v, want ENotFound", err)
		}
		if _, err := s.MoveUnit(ctx, f.admin, bp, ca2.ID, ca2.Version, nil); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("move a CA unit = %v, want ENotFound", err)
		}
		if _, err := s.RetireUnit(ctx, f.admin, bp, ca2.ID, day(2025, 6, 30), ca2.Version); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("retire a CA unit = %v, want ENotFound", err)
		}
		// A BP unit cannot move under a CA unit either.
		if _, err := s.MoveUnit(ctx, f.admin, bp, f.bpPost.ID, f.bpPost.Version, &f.caHQ.ID); fieldOf(err, "parent") == "" {
			t.Errorf("move a BP unit under CA = %v, want EInvalid on parent", err)
		}
		if got, _ := s.UnitByID(ctx, ca2.ID); got.Version != ca2.Version || got.Name != ca2.Name || !got.ValidTo.IsZero() || *got.ParentID != f.caHQ.ID {
			t.Errorf("the refused changes changed the CA unit: %+v", got)
		}
		if _, err := s.UnitByCode(ctx, "CA-MOI"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Errorf("the refused creation left a unit: %v", err)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Errorf("%d audit entries after the refused changes, want %d", n, audits)
		}

		if err := s.CreateUnit(ctx, f.admin, bp, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-MOI", Name: "Đồn mới", Kind: "border_post", ValidFrom: day(2020, 1, 1)}); err != nil {
			t.Errorf("create a BP unit: %v", err)
		}
		if _, err := s.RenameUnit(ctx, f.admin, bp, f.bpPost.ID, f.bpPost.Version, "Đồn Biên phòng Hoa Lư"); err != nil {
			t.Errorf("rename a BP unit: %v", err)
		}
		if _, err := s.RenameUnit(ctx, f.admin, store.Domains{All: true}, ca2.ID, ca2.Version, "Công an thị xã Lộc Ninh"); err != nil {
			t.Errorf("rename a CA unit as a manager of all agencies: %v", err)
		}
	})
}

// TestAuditContentsFollowTheRecordScope writes records of BP and CA, a removed one, accounts
// and units, and reads the log as readers of different scopes: the before/after of an entry
// shows only when the reader may read its record now, as on the pages.
func TestAuditContentsFollowTheRecordScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newArrestFixture(t, s)
		caCase := mustCase(t, s, newCase("CA-2016-01", f.caHQ, "CA")).ID
		bpSuspect := mustSuspect(t, s, f.bp, f.bpScope, newSuspect(f.bpCase, f.bpPost, day(2016, 3, 2)))
		caSuspect := mustSuspect(t, s, f.ca, f.caScope, newSuspect(caCase, f.caHQ, day(2016, 3, 2)))
		gone := mustSuspect(t, s, f.bp, f.bpScope, newSuspect(f.bpCase, f.bpPost, day(2016, 3, 3)))
		if err := s.RemoveSuspect(ctx, f.bp, f.bpScope, gone.ID, gone.Version, "entered twice"); err != nil {
			t.Fatal(err)
		}
		// A sign-in with a username that names no account.
		if err := s.Audit(ctx, phoihop.Actor{IP: "10.9.9.9"}, store.ActionLoginFailure, "user", 0, "", map[string]string{"username": "ke.la"}); err != nil {
			t.Fatal(err)
		}
		caAccount, _ := s.UserByUsername(ctx, "ca.officer")
		bpAccount, _ := s.UserByUsername(ctx, "bp.officer")
		if _, err := s.SetPermission(ctx, phoihop.SystemActor("test"), phoihop.Permission{Role: "leader", Domain: "*", Object: "audit", Action: "read"}, true); err != nil {
			t.Fatal(err)
		}
		unit := mustUnit(t, s, &phoihop.Unit{Agency: "BP", ParentID: &f.bpHQ.ID, Code: "BP-MOI", Name: "Đồn mới", Kind: "border_post", ValidFrom: day(2020, 1, 1)})

		key := func(e phoihop.AuditEntry) string { return e.Action + " " + e.Entity + " " + e.EntityID }
		shown := func(r store.AuditReader) map[string]bool {
			t.Helper()
			entries, _, err := s.QueryAudit(ctx, store.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.HideAuditContents(ctx, r, entries); err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, e := range entries {
				if e.ContentsHidden && len(e.Changes) > 0 {
					t.Errorf("%s is hidden but keeps its changes", key(e))
				}
				if len(e.Changes) > 0 {
					out[key(e)] = true
				}
			}
			return out
		}
		suspect := func(sp *phoihop.Suspect) string { return "suspect.create suspect " + strconvID(sp.ID) }
		removal := "suspect.remove suspect " + strconvID(gone.ID)
		account := func(u *phoihop.User) string { return "user.create user " + strconvID(u.ID) }
		unknown := "login.failure user "
		permission := "permission.grant permission "

		for _, tt := range []struct {
			name      string
			reader    store.AuditReader
			show, not []string
		}{
			{"an admin of all agencies without a data role", store.AuditReader{Accounts: allAccounts, Permissions: true},
				[]string{account(caAccount), account(bpAccount), unknown, permission},
				[]string{suspect(bpSuspect), suspect(caSuspect), suspect(gone), removal}},
			{"a leader of BP", store.AuditReader{Records: readScopeOf("BP")},
				[]string{suspect(bpSuspect)},
				[]string{suspect(caSuspect), suspect(gone), removal, account(bpAccount), unknown, permission}},
			{"an admin of BP reading BP's records, removed ones too", store.AuditReader{Records: store.Scope{Read: []string{"BP"}, Removed: true}, Accounts: bpManager},
				[]string{suspect(bpSuspect), suspect(gone), removal, account(bpAccount)},
				[]string{suspect(caSuspect), account(caAccount), unknown, permission}},
			{"an analyst of all agencies", store.AuditReader{Records: readScopeOf("CA", "BP", "CSB", "HQ")},
				[]string{suspect(bpSuspect), suspect(caSuspect), "case.create case " + strconvID(caCase)},
				[]string{suspect(gone), removal, account(caAccount)}},
		} {
			got := shown(tt.reader)
			for _, k := range tt.show {
				if !got[k] {
					t.Errorf("%s: %q hidden, want it shown", tt.name, k)
				}
			}
			for _, k := range tt.not {
				if got[k] {
					t.Errorf("%s: %q shown, want it hidden", tt.name, k)
				}
			}
			if !got["unit.create unit "+strconvID(unit.ID)] {
				t.Errorf("%s: a unit's creation is hidden", tt.name)
			}
		}
	})
}

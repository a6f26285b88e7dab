package store_test

import (
	"context"
	"slices"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// outOfScope is the message of a unit outside the agencies whose accounts the caller manages.
const outOfScope = "Choose a unit of an agency whose accounts you manage."

func TestListUsersInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		f.user(t, "can.bo.bp", "Cán bộ Biên phòng", f.bpPost, "officer@BP")
		f.user(t, "cu.bp", "Cán bộ đồn cũ", f.gone)
		f.user(t, "can.bo.ca", "Cán bộ Công an", f.caHQ, "officer@CA")
		f.user(t, "khong.don.vi", "Không đơn vị", nil, "analyst@*")
		tests := []struct {
			name   string
			scope  store.AccountScope
			filter store.UserFilter
			want   []string
		}{
			{"all agencies", allAccounts, store.UserFilter{}, []string{"admin", "can.bo.bp", "can.bo.ca", "cu.bp", "khong.don.vi"}},
			{"BP", store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}}, store.UserFilter{}, []string{"can.bo.bp", "cu.bp"}},
			{"BP and CA", store.AccountScope{Users: store.Domains{Agencies: []string{"BP", "CA"}}}, store.UserFilter{}, []string{"can.bo.bp", "can.bo.ca", "cu.bp"}},
			{"BP asking for CA", store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}}, store.UserFilter{Agency: "CA"}, nil},
			{"BP searching", store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}}, store.UserFilter{Search: "can bo"}, []string{"can.bo.bp", "cu.bp"}},
			{"BP, one a page", store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}}, store.UserFilter{Limit: 1, Offset: 1}, []string{"cu.bp"}},
			{"no agency", store.AccountScope{}, store.UserFilter{}, nil},
			{"an empty list", store.AccountScope{Users: store.Domains{Agencies: []string{}}}, store.UserFilter{}, nil},
		}
		for _, tt := range tests {
			items, total, err := s.ListUsers(ctx, tt.scope, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Username)
			}
			wantTotal := len(tt.want)
			if tt.filter.Limit == 1 {
				wantTotal = 2
			}
			if !slices.Equal(got, tt.want) || total != wantTotal {
				t.Errorf("%s: list = %v of %d, want %v of %d", tt.name, got, total, tt.want, wantTotal)
			}
		}
	})
}

// TestAccountScopeRefusesOtherAgencies has a manager of BP's accounts act on an account of CA,
// and on one without a unit: each is not found and changes nothing, not even the audit log.
func TestAccountScopeRefusesOtherAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bp := store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}, Roles: store.Domains{Agencies: []string{"BP"}}}
		ca := f.user(t, "can.bo.ca", "Cán bộ Công an", f.caHQ, "officer@CA")
		none := f.user(t, "khong.don.vi", "Không đơn vị", nil, "officer@BP")
		addSessions(t, s, ca.ID, 1)
		actions := []struct {
			name string
			do   func(id int64, version int) error
		}{
			{"get", func(id int64, _ int) error { _, err := s.UserByID(ctx, bp, id); return err }},
			{"update", func(id int64, v int) error {
				_, err := s.UpdateUser(ctx, f.admin, bp, id, v, "Tên mới", &f.bpPost.ID)
				return err
			}},
			{"disable", func(id int64, v int) error { _, err := s.DisableUser(ctx, f.admin, bp, id, v); return err }},
			{"enable", func(id int64, v int) error { _, err := s.EnableUser(ctx, f.admin, bp, id, v); return err }},
			{"unlock", func(id int64, _ int) error { _, err := s.UnlockUser(ctx, f.admin, bp, id); return err }},
			{"reset password", func(id int64, _ int) error {
				_, err := s.ResetPassword(ctx, f.admin, bp, id, testHash, true)
				return err
			}},
			{"assign role", func(id int64, _ int) error { return s.AssignRole(ctx, f.admin, bp, id, "leader", "BP") }},
			{"remove role", func(id int64, _ int) error { return s.RemoveRole(ctx, f.admin, bp, id, "officer", "CA") }},
			{"remove BP role", func(id int64, _ int) error { return s.RemoveRole(ctx, f.admin, bp, id, "officer", "BP") }},
		}
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)
		for _, u := range []*phoihop.User{ca, none} {
			for _, a := range actions {
				if err := a.do(u.ID, u.Version); phoihop.ErrorCode(err) != phoihop.ENotFound {
					t.Errorf("%s %s out of scope = %v, want ENotFound", a.name, u.Username, err)
				}
			}
			if got := f.get(t, u.ID); got.Version != u.Version || got.FullName != u.FullName || got.Status != phoihop.UserActive {
				t.Errorf("%s changed out of scope: %+v", u.Username, got)
			}
			if roles, _ := s.UserRoles(ctx, u.Username); len(roles) != 1 {
				t.Errorf("%s's roles changed out of scope: %v", u.Username, roles)
			}
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Errorf("%d audit entries after refused actions, want %d", n, audits)
		}
		if n := countSessions(t, s, ca.ID); n != 1 {
			t.Errorf("%d sessions of the CA account, want 1", n)
		}

		// The same manager reaches BP's accounts, through the whole tree of BP's units.
		own := f.user(t, "can.bo.bp", "Cán bộ Biên phòng", f.bpPost, "officer@BP")
		for _, a := range actions {
			if err := a.do(own.ID, f.get(t, own.ID).Version); err != nil && a.name != "remove role" {
				t.Errorf("%s in scope: %v", a.name, err)
			}
		}
		if got := f.get(t, own.ID); got.FullName != "Tên mới" || got.Status != phoihop.UserActive || !got.MustChangePassword {
			t.Errorf("the BP account after the actions = %+v", got)
		}
	})
}

// TestAccountScopeKeepsAccountsInItsAgencies checks that a manager of BP's accounts can neither
// create an account of another agency or without a unit, nor move one there.
func TestAccountScopeKeepsAccountsInItsAgencies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		bp := store.AccountScope{Users: store.Domains{Agencies: []string{"BP"}}, Roles: store.Domains{Agencies: []string{"BP"}}}
		audits := countRows(t, s, `SELECT count(*) FROM audit_log`)
		for _, unit := range []*int64{&f.caHQ.ID, nil} {
			u := &phoihop.User{Username: "moi.ca", FullName: "Cán bộ mới", UnitID: unit}
			err := s.CreateUser(ctx, f.admin, bp, u, testHash, phoihop.RoleGrant{Role: "officer", Domain: "BP"})
			if fieldOf(err, "unit") != outOfScope {
				t.Errorf("create in unit %v out of scope = %v, want %q on unit", unit, err, outOfScope)
			}
		}
		if _, err := s.UserByUsername(ctx, "moi.ca"); phoihop.ErrorCode(err) != phoihop.ENotFound {
			t.Fatalf("a refused creation left an account: %v", err)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Fatalf("%d audit entries after refused creations, want %d", n, audits)
		}

		u := &phoihop.User{Username: "moi.bp", FullName: "Cán bộ mới", UnitID: &f.bpPost.ID}
		if err := s.CreateUser(ctx, f.admin, bp, u, testHash, phoihop.RoleGrant{Role: "officer", Domain: "BP"}); err != nil {
			t.Fatalf("create in scope: %v", err)
		}
		audits = countRows(t, s, `SELECT count(*) FROM audit_log`)
		for _, unit := range []*int64{&f.caHQ.ID, nil} {
			if _, err := s.UpdateUser(ctx, f.admin, bp, u.ID, u.Version, u.FullName, unit); fieldOf(err, "unit") != outOfScope {
				t.Errorf("move to unit %v out of scope = %v, want %q on unit", unit, err, outOfScope)
			}
		}
		if got := f.get(t, u.ID); got.Version != u.Version || *got.UnitID != f.bpPost.ID {
			t.Errorf("a refused move changed the account: %+v", got)
		}
		if n := countRows(t, s, `SELECT count(*) FROM audit_log`); n != audits {
			t.Errorf("%d audit entries after refused moves, want %d", n, audits)
		}
		if got, err := s.UpdateUser(ctx, f.admin, bp, u.ID, u.Version, u.FullName, &f.bpHQ.ID); err != nil || *got.UnitID != f.bpHQ.ID {
			t.Errorf("move within BP = %v, %v", got, err)
		}
		// An administrator of all agencies moves it anywhere, and out of any unit.
		if got, err := s.UpdateUser(ctx, f.admin, allAccounts, u.ID, u.Version+1, u.FullName, nil); err != nil || got.UnitID != nil {
			t.Errorf("move out of any unit by an administrator of all agencies = %v, %v", got, err)
		}
	})
}

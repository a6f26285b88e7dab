package store_test

import (
	"context"
	"slices"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestSetPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		steward := f.actor(f.user(t, "to.chuc", "Cán bộ tổ chức", nil))
		perm := func(role, obj, act string) phoihop.Permission {
			return phoihop.Permission{Role: role, Domain: "*", Object: obj, Action: act}
		}
		has := func(p phoihop.Permission) bool {
			return countRows(t, s, `SELECT count(*) FROM casbin_rule WHERE p_type = 'p' AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = ?`,
				p.Role, p.Domain, p.Object, p.Action) == 1
		}
		analystReport, leaderAudit, officerReport := perm("analyst", "report", "read"), perm("leader", "audit", "read"), perm("officer", "report", "read")
		for _, p := range []phoihop.Permission{analystReport, leaderAudit} {
			if _, err := s.SetPermission(ctx, steward, p, true); err != nil {
				t.Fatal(err)
			}
		}
		grants, revokes := countAudit(t, s, "permission.grant"), countAudit(t, s, "permission.revoke")

		// A refused change refuses the whole batch: the changes before it are not written.
		_, err := s.SetPermissions(ctx, steward, []store.PermissionChange{
			{Permission: analystReport, Allowed: false},
			{Permission: officerReport, Allowed: true},
			{Permission: perm("admin", "role", "manage"), Allowed: false},
		})
		if fieldOf(err, "permission") == "" {
			t.Fatalf("revoking the admin's role management = %v, want EInvalid on permission", err)
		}
		if !has(analystReport) || has(officerReport) || countAudit(t, s, "permission.revoke") != revokes || countAudit(t, s, "permission.grant") != grants {
			t.Fatal("a refused batch left changes behind")
		}
		if _, err := s.SetPermissions(ctx, steward, []store.PermissionChange{{Permission: perm("nobody", "report", "read"), Allowed: true}}); fieldOf(err, "role") == "" {
			t.Fatalf("an unknown role = %v, want EInvalid on role", err)
		}

		// A good batch: every change written and audited; a change already in place counts 0.
		n, err := s.SetPermissions(ctx, steward, []store.PermissionChange{
			{Permission: analystReport, Allowed: false},
			{Permission: officerReport, Allowed: true},
			{Permission: leaderAudit, Allowed: true},
		})
		if err != nil || n != 2 {
			t.Fatalf("SetPermissions = %d, %v; want 2 changes", n, err)
		}
		if has(analystReport) || !has(officerReport) || !has(leaderAudit) {
			t.Fatal("the batch was not applied")
		}
		if countAudit(t, s, "permission.revoke") != revokes+1 || countAudit(t, s, "permission.grant") != grants+1 {
			t.Fatal("each change of the batch needs one audit entry")
		}
		if e := lastAudit(t, s, "permission.revoke"); e.UserID == nil || *e.UserID != *steward.UserID || e.Domain != "*" {
			t.Fatalf("revoke entry = %+v", e)
		}
	})
}

// TestNobodyChangesTheirOwnPermissions has managers change the permissions of a role they hold,
// in any domain: the whole batch is refused with nothing written, while the same manager
// changes the roles they do not hold.
func TestNobodyChangesTheirOwnPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		leaderBP := f.actor(f.user(t, "lanh.dao.bp", "Lãnh đạo BP", f.bpHQ, "leader@BP"))
		officerRead := phoihop.Permission{Role: "officer", Domain: "*", Object: "report", Action: "read"}
		for _, tt := range []struct {
			name  string
			a     phoihop.Actor
			p     phoihop.Permission
			grant bool
		}{
			{"admin reading records", f.admin, phoihop.Permission{Role: "admin", Domain: "*", Object: "record", Action: "read"}, true},
			{"admin reading BP's records", f.admin, phoihop.Permission{Role: "admin", Domain: "BP", Object: "record", Action: "read"}, true},
			{"admin losing the audit log", f.admin, phoihop.Permission{Role: "admin", Domain: "*", Object: "audit", Action: "read"}, false},
			{"leader of BP writing records", leaderBP, phoihop.Permission{Role: "leader", Domain: "*", Object: "record", Action: "write"}, true},
		} {
			grants, revokes := countAudit(t, s, "permission.grant"), countAudit(t, s, "permission.revoke")
			before, _ := s.Permissions(ctx)
			_, err := s.SetPermissions(ctx, tt.a, []store.PermissionChange{{Permission: officerRead, Allowed: true}, {Permission: tt.p, Allowed: tt.grant}})
			if err != store.ErrOwnRoles || phoihop.ErrorCode(err) != phoihop.EForbidden {
				t.Errorf("%s = %v, want ErrOwnRoles", tt.name, err)
			}
			if after, _ := s.Permissions(ctx); !slices.Equal(after, before) {
				t.Errorf("%s: the refused batch changed the matrix", tt.name)
			}
			if countAudit(t, s, "permission.grant") != grants || countAudit(t, s, "permission.revoke") != revokes {
				t.Errorf("%s: the refused batch was audited", tt.name)
			}
		}
		if n, err := s.SetPermissions(ctx, f.admin, []store.PermissionChange{{Permission: officerRead, Allowed: true}}); err != nil || n != 1 {
			t.Fatalf("the admin changing the officers' permissions = %d, %v", n, err)
		}
	})
}

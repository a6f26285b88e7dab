package store_test

import (
	"context"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestSetPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		perm := func(role, obj, act string) phoihop.Permission {
			return phoihop.Permission{Role: role, Domain: "*", Object: obj, Action: act}
		}
		has := func(p phoihop.Permission) bool {
			return countRows(t, s, `SELECT count(*) FROM casbin_rule WHERE p_type = 'p' AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = ?`,
				p.Role, p.Domain, p.Object, p.Action) == 1
		}
		analystReport, leaderAudit, officerReport := perm("analyst", "report", "read"), perm("leader", "audit", "read"), perm("officer", "report", "read")
		for _, p := range []phoihop.Permission{analystReport, leaderAudit} {
			if _, err := s.SetPermission(ctx, f.admin, p, true); err != nil {
				t.Fatal(err)
			}
		}
		grants, revokes := countAudit(t, s, "permission.grant"), countAudit(t, s, "permission.revoke")

		// A refused change refuses the whole batch: the changes before it are not written.
		_, err := s.SetPermissions(ctx, f.admin, []store.PermissionChange{
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
		if _, err := s.SetPermissions(ctx, f.admin, []store.PermissionChange{{Permission: perm("nobody", "report", "read"), Allowed: true}}); fieldOf(err, "role") == "" {
			t.Fatalf("an unknown role = %v, want EInvalid on role", err)
		}

		// A good batch: every change written and audited; a change already in place counts 0.
		n, err := s.SetPermissions(ctx, f.admin, []store.PermissionChange{
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
		if e := lastAudit(t, s, "permission.revoke"); e.UserID == nil || *e.UserID != f.adminID || e.Domain != "*" {
			t.Fatalf("revoke entry = %+v", e)
		}
	})
}

package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/policies"
)

// TestDefaultPolicyUsesTheVocabulary keeps policies/policy.csv and phoihop.PermissionObjects
// in step: every default permission must be one the matrix page can show and edit.
func TestDefaultPolicyUsesTheVocabulary(t *testing.T) {
	n := 0
	for line := range strings.Lines(policies.Policy) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		if len(parts) != 5 || parts[0] != "p" {
			t.Errorf("policy line %q is not p, role, domain, object, action", line)
			continue
		}
		p := phoihop.Permission{Role: parts[1], Domain: parts[2], Object: parts[3], Action: parts[4]}
		if err := p.Validate(); err != nil {
			t.Errorf("policy line %q: %v", line, err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("policy.csv has no permission")
	}
	if len(phoihop.PermissionObjectOrder) != len(phoihop.PermissionObjects) {
		t.Fatalf("PermissionObjectOrder has %d objects, PermissionObjects %d", len(phoihop.PermissionObjectOrder), len(phoihop.PermissionObjects))
	}
	for _, o := range phoihop.PermissionObjectOrder {
		if _, ok := phoihop.PermissionObjects[o]; !ok {
			t.Errorf("PermissionObjectOrder lists %q, which PermissionObjects does not have", o)
		}
	}
}

func TestSetPermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAdminFixture(t, s)
		// The permissions of the admin role change only by a manager who does not hold it.
		steward := f.actor(f.user(t, "to.chuc", "Cán bộ tổ chức", nil))
		leaderAudit := phoihop.Permission{Role: "leader", Domain: "bp", Object: "audit", Action: "read"}
		leaderAuditBP := phoihop.Permission{Role: "leader", Domain: "BP", Object: "audit", Action: "read"}
		adminRoles := phoihop.Permission{Role: "admin", Domain: "*", Object: "role", Action: "manage"}
		officerWrite := phoihop.Permission{Role: "officer", Domain: "*", Object: "record", Action: "write"}

		steps := []struct {
			p       phoihop.Permission
			allowed bool
			changed bool
		}{
			{leaderAudit, true, true},
			{leaderAuditBP, true, false}, // held already: nothing changes, nothing is audited
			{adminRoles, true, true},
			{officerWrite, true, true},
			{officerWrite, false, true},
			{officerWrite, false, false},
		}
		for i, st := range steps {
			changed, err := s.SetPermission(ctx, steward, st.p, st.allowed)
			if err != nil || changed != st.changed {
				t.Fatalf("step %d: SetPermission(%+v, %v) = %v, %v; want %v", i, st.p, st.allowed, changed, err, st.changed)
			}
		}
		got, err := s.Permissions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []phoihop.Permission{adminRoles, leaderAuditBP}; !slices.Equal(got, want) {
			t.Fatalf("Permissions = %+v, want %+v", got, want)
		}
		if g, r := countAudit(t, s, "permission.grant"), countAudit(t, s, "permission.revoke"); g != 3 || r != 1 {
			t.Fatalf("%d grants and %d revokes audited, want 3 and 1", g, r)
		}
		e := lastAudit(t, s, "permission.grant")
		_, after := changesOf(t, e)
		if e.Entity != "permission" || e.Domain != "*" || after["role"] != "officer" || after["object"] != "record" || after["action"] != "write" {
			t.Fatalf("permission.grant entry = %+v %s", e, e.Changes)
		}
		e = lastAudit(t, s, "permission.revoke")
		before, _ := changesOf(t, e)
		if e.Domain != "*" || before["role"] != "officer" || before["action"] != "write" || e.Username != "to.chuc" {
			t.Fatalf("permission.revoke entry = %+v %s", e, e.Changes)
		}

		refused := []struct {
			name    string
			p       phoihop.Permission
			allowed bool
			field   string
		}{
			{"unknown role", phoihop.Permission{Role: "chief", Domain: "*", Object: "record", Action: "read"}, true, "role"},
			{"unknown agency", phoihop.Permission{Role: "leader", Domain: "XX", Object: "record", Action: "read"}, true, "domain"},
			{"no domain", phoihop.Permission{Role: "leader", Domain: " ", Object: "record", Action: "read"}, true, "domain"},
			{"unknown object", phoihop.Permission{Role: "leader", Domain: "*", Object: "case", Action: "read"}, true, "object"},
			{"action not on the object", phoihop.Permission{Role: "leader", Domain: "*", Object: "report", Action: "write"}, true, "action"},
			{"revoking admin role management", adminRoles, false, "permission"},
			{"revoking admin role management, spelled loosely", phoihop.Permission{Role: " admin", Domain: "* ", Object: "role", Action: "manage "}, false, "permission"},
		}
		for _, tt := range refused {
			changed, err := s.SetPermission(ctx, steward, tt.p, tt.allowed)
			if changed || phoihop.ErrorCode(err) != phoihop.EInvalid || fieldOf(err, tt.field) == "" {
				t.Errorf("%s: SetPermission = %v, %v; want an error on %q", tt.name, changed, err, tt.field)
			}
		}
		if after, _ := s.Permissions(ctx); !slices.Equal(after, got) {
			t.Fatalf("refused changes changed the matrix: %+v", after)
		}
		if g, r := countAudit(t, s, "permission.grant"), countAudit(t, s, "permission.revoke"); g != 3 || r != 1 {
			t.Fatalf("refused changes were audited: %d grants, %d revokes", g, r)
		}

		// The admin role's role management of one agency may go; only the one over all stays.
		adminRolesBP := phoihop.Permission{Role: "admin", Domain: "BP", Object: "role", Action: "manage"}
		if _, err := s.SetPermission(ctx, steward, adminRolesBP, true); err != nil {
			t.Fatal(err)
		}
		if changed, err := s.SetPermission(ctx, steward, adminRolesBP, false); err != nil || !changed {
			t.Fatalf("revoking admin role management in BP = %v, %v", changed, err)
		}
		// Role groupings share the table; the matrix shows only permissions.
		if n := countRows(t, s, `SELECT count(*) FROM casbin_rule WHERE p_type = 'g'`); n != 1 {
			t.Fatalf("%d role groupings, want the first admin's 1", n)
		}
	})
}

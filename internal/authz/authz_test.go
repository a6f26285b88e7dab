package authz_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/policies"
)

func TestDefaultPolicyLoadedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		want := defaultPermissions(t)
		if len(want) != 13 {
			t.Fatalf("policy.csv has %d permissions, want 13", len(want))
		}
		e := MustNew(t, st)
		if n := countPermissions(t, st); n != len(want) {
			t.Fatalf("after the first New the table holds %d p rules, want %d", n, len(want))
		}
		if got := e.Permissions(); !sameSet(got, want) {
			t.Fatalf("Permissions() = %v, want %v", got, want)
		}

		// A second instance on the same database adds nothing.
		MustNew(t, st)
		if n := countPermissions(t, st); n != len(want) {
			t.Fatalf("after a second New the table holds %d p rules, want %d", n, len(want))
		}

		// An edited permission stays edited through later starts.
		storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'p' AND v0 = 'leader' AND v2 = 'audit'`)
		MustUser(t, st, "lead.bp", "leader", "BP")
		e3 := MustNew(t, st)
		if n := countPermissions(t, st); n != len(want)-1 {
			t.Fatalf("after a New following a deleted permission the table holds %d p rules, want %d", n, len(want)-1)
		}
		if len(e3.Permissions()) != len(want)-1 {
			t.Fatalf("Permissions() has %d rules, want %d", len(e3.Permissions()), len(want)-1)
		}
		if e3.Allowed("lead.bp", "BP", "audit", "read") {
			t.Fatal("leader of BP may audit/read after that permission was deleted and the program restarted")
		}
		if !e3.Allowed("lead.bp", "BP", "report", "read") {
			t.Fatal("leader of BP may not report/read")
		}
	})
}

func TestDefaultPolicyConcurrentFirstStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() {
				e, err := authz.New(context.Background(), st, testLog)
				if err == nil {
					e.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("New #%d: %v", i, err)
			}
		}
		if n := countPermissions(t, st); n != 13 {
			t.Fatalf("four instances starting at once left %d p rules, want 13", n)
		}
	})
}

// grants is what a user may do: object/action → the agencies where it may.
type grants map[[2]string][]string

func TestMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		MustUser(t, st, "officer.bp", "officer", "BP")
		MustUser(t, st, "leader.bp", "leader", "BP")
		MustUser(t, st, "analyst", "analyst", "*")
		MustUser(t, st, "root", "admin", "*")
		MustUser(t, st, "nobody")
		e := MustNew(t, st)
		all := agencies
		want := map[string]grants{
			"officer.bp": {{"record", "read"}: {"BP"}, {"record", "write"}: {"BP"}},
			"leader.bp":  {{"record", "read"}: {"BP"}, {"report", "read"}: {"BP"}, {"audit", "read"}: {"BP"}},
			"analyst":    {{"record", "read"}: all, {"report", "read"}: all},
			"root": {{"user", "manage"}: all, {"unit", "manage"}: all, {"role", "manage"}: all,
				{"audit", "read"}: all, {"reference", "manage"}: all},
			"nobody":  {},
			"unknown": {}, // no account at all
		}
		for user, g := range want {
			for _, p := range permissions {
				for _, d := range agencies {
					w := slices.Contains(g[p], d)
					if got := e.Allowed(user, d, p[0], p[1]); got != w {
						t.Errorf("Allowed(%q, %q, %q, %q) = %v, want %v", user, d, p[0], p[1], got, w)
					}
				}
				if got := e.Domains(user, p[0], p[1]); !slices.Equal(got, g[p]) {
					t.Errorf("Domains(%q, %q, %q) = %q, want %q", user, p[0], p[1], got, g[p])
				}
				if got := e.AllowedAnywhere(user, p[0], p[1]); got != (len(g[p]) > 0) {
					t.Errorf("AllowedAnywhere(%q, %q, %q) = %v, want %v", user, p[0], p[1], got, len(g[p]) > 0)
				}
			}
		}
		// Separation of duties: an admin reads no case contents anywhere.
		if d := e.Domains("root", "record", "read"); d != nil {
			t.Errorf("admin may read records in %q", d)
		}
		// Usernames are matched in any case; the domain "*" asks for all agencies at once.
		for _, c := range []struct {
			user, domain, obj, act string
			want                   bool
		}{
			{"Officer.BP", "BP", "record", "write", true},
			{" OFFICER.BP ", "BP", "record", "read", true},
			{"analyst", "*", "record", "read", true},
			{"officer.bp", "*", "record", "read", false},
			{"officer.bp", "bp", "record", "read", false}, // domains are agency codes as written
			{"", "BP", "record", "read", false},
		} {
			if got := e.Allowed(c.user, c.domain, c.obj, c.act); got != c.want {
				t.Errorf("Allowed(%q, %q, %q, %q) = %v, want %v", c.user, c.domain, c.obj, c.act, got, c.want)
			}
		}
	})
}

// TestDomainMatching proves what the domain matching function does: without it a role held
// in "*" would apply nowhere but in the literal domain "*".
func TestDomainMatching(t *testing.T) {
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		t.Fatal(err)
	}
	bare, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bare.AddPolicy("analyst", "*", "record", "read"); err != nil {
		t.Fatal(err)
	}
	if _, err := bare.AddGroupingPolicy("user:ana", "analyst", "*"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := bare.Enforce("user:ana", "BP", "record", "read"); ok {
		t.Fatal("without a domain matching function a * role applies in BP; the test proves nothing")
	}

	storetest.Each(t, func(t *testing.T, st *store.Store) {
		MustUser(t, st, "ana", "analyst", "*")
		MustUser(t, st, "bob", "officer", "BP")
		MustUser(t, st, "carl")
		// Only "*" is a wildcard: a grant in a domain that merely looks like a pattern, written
		// behind the store's back, applies nowhere.
		storetest.MustExec(t, st, `INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', 'carl', 'officer', 'C*')`)
		e := MustNew(t, st)
		for _, d := range agencies {
			if !e.Allowed("ana", d, "record", "read") {
				t.Errorf("analyst of * may not record/read in %s", d)
			}
			if e.Allowed("carl", d, "record", "read") {
				t.Errorf("officer of C* may record/read in %s", d)
			}
			if got, want := e.Allowed("bob", d, "record", "read"), d == "BP"; got != want {
				t.Errorf("officer of BP: Allowed in %s = %v, want %v", d, got, want)
			}
		}
	})
}

// TestUserNamedLikeRole: the first account is called "admin", like the role. Holding the role
// must come from its grant only, and a role given to that user must not pass to the role.
func TestUserNamedLikeRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if made, err := st.CreateFirstAdmin(ctx, testHash, false); err != nil || !made {
			t.Fatalf("CreateFirstAdmin = %v, %v", made, err)
		}
		admin, err := st.UserByUsername(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		MustUser(t, st, "root", "admin", "*")
		MustUser(t, st, "officer") // a user called like a role, with no role
		if err := st.AssignRole(ctx, phoihop.SystemActor("test"), store.AllAccounts(), admin.ID, "officer", "BP"); err != nil {
			t.Fatal(err)
		}
		e := MustNew(t, st)
		if !e.Allowed("admin", "BP", "record", "read") || !e.Allowed("admin", "CA", "user", "manage") {
			t.Fatal("admin holding admin@* and officer@BP lacks one of them")
		}
		if e.Allowed("root", "BP", "record", "read") {
			t.Fatal("root (admin@*) may record/read in BP because the user admin is an officer of BP")
		}
		if e.Domains("officer", "record", "read") != nil {
			t.Fatal("the user called officer holds the officer role by name")
		}
		storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = 'admin' AND v1 = 'admin'`)
		mustReload(t, e)
		if e.AllowedAnywhere("admin", "user", "manage") {
			t.Fatal("the user admin may still manage users after the admin role was revoked")
		}
		if got := e.Roles("admin"); !slices.Equal(got, []phoihop.RoleGrant{{Role: "officer", Domain: "BP"}}) {
			t.Fatalf("Roles(admin) = %v, want [officer@BP]", got)
		}
	})
}

func TestAssignRevokeReload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := MustUser(t, st, "Dung.CA")
		MustUser(t, st, "officer.hq", "officer", "HQ")
		e := MustNew(t, st)
		if e.Allowed("dung.ca", "CA", "record", "write") {
			t.Fatal("a user without roles may record/write")
		}
		if err := st.AssignRole(ctx, phoihop.SystemActor("test"), store.AllAccounts(), u.ID, "officer", "ca"); err != nil {
			t.Fatal(err)
		}
		// The answer stays cached until the writer reloads.
		if e.Allowed("dung.ca", "CA", "record", "write") {
			t.Fatal("a role took effect before Reload: no answer was cached")
		}
		mustReload(t, e)
		if !e.Allowed("dung.ca", "CA", "record", "write") {
			t.Fatal("officer of CA may not record/write after AssignRole and Reload: stale cache")
		}
		if got := e.Domains("Dung.CA", "record", "read"); !slices.Equal(got, []string{"CA"}) {
			t.Fatalf("Domains = %q, want [CA]", got)
		}
		if got := e.Roles("DUNG.CA"); !slices.Equal(got, []phoihop.RoleGrant{{Role: "officer", Domain: "CA"}}) {
			t.Fatalf("Roles = %v, want [officer@CA]", got)
		}

		storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = ? AND v1 = ? AND v2 = ?`, "dung.ca", "officer", "CA")
		mustReload(t, e)
		if e.Allowed("dung.ca", "CA", "record", "write") || e.Allowed("dung.ca", "CA", "record", "read") {
			t.Fatal("a revoked role still allows: stale cache")
		}
		if got := e.Roles("dung.ca"); got != nil {
			t.Fatalf("Roles after revoking = %v, want none", got)
		}

		// Editing a permission reaches every holder of the role.
		if !e.Allowed("officer.hq", "HQ", "record", "write") {
			t.Fatal("officer of HQ may not record/write")
		}
		storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'p' AND v0 = 'officer' AND v3 = 'write'`)
		storetest.MustExec(t, st, `INSERT INTO casbin_rule (p_type, v0, v1, v2, v3) VALUES ('p', 'officer', 'HQ', 'report', 'read')`)
		mustReload(t, e)
		if e.Allowed("officer.hq", "HQ", "record", "write") {
			t.Fatal("officer of HQ may record/write after the permission was deleted")
		}
		if got := e.Domains("officer.hq", "report", "read"); !slices.Equal(got, []string{"HQ"}) {
			t.Fatalf("Domains(officer.hq, report, read) = %q, want [HQ]", got)
		}
	})
}

func TestRolesAndPermissionsOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		MustUser(t, st, "multi", "officer", "HQ", "leader", "BP", "analyst", "*", "officer", "BP")
		e := MustNew(t, st)
		want := []phoihop.RoleGrant{grant("analyst", "*"), grant("officer", "BP"), grant("leader", "BP"), grant("officer", "HQ")}
		if got := e.Roles("multi"); !slices.Equal(got, want) {
			t.Fatalf("Roles = %v, want %v", got, want)
		}
		if got := e.Roles("nobody"); got != nil {
			t.Fatalf("Roles(nobody) = %v, want nil", got)
		}
		got := e.Permissions()
		first := []phoihop.Permission{
			perm("officer", "*", "record", "read"), perm("officer", "*", "record", "write"),
			perm("leader", "*", "audit", "read"), perm("leader", "*", "record", "read"), perm("leader", "*", "report", "approve"),
			perm("leader", "*", "report", "read"),
		}
		if len(got) != 13 || !slices.Equal(got[:6], first) || got[12] != perm("admin", "*", "user", "manage") {
			t.Fatalf("Permissions() = %v, want officer's, then leader's… sorted, admin's user/manage last", got)
		}
		got[0].Role = "changed" // a copy
		if e.Permissions()[0].Role != "officer" {
			t.Fatal("Permissions() returns the Enforcer's own slice")
		}
	})
}

// TestConcurrentChecksAndReloads runs checks beside reloads; run it with -race.
func TestConcurrentChecksAndReloads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for i := range 5 {
			MustUser(t, st, fmt.Sprintf("officer%d", i), "officer", agencies[i%4])
		}
		e := MustNew(t, st)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				user := fmt.Sprintf("officer%d", i%5)
				for ctx.Err() == nil {
					if got := e.Domains(user, "record", "write"); !slices.Equal(got, []string{agencies[i%5%4]}) {
						t.Errorf("Domains(%s) = %q", user, got)
						return
					}
					e.Roles(user)
				}
			})
		}
		for range 20 {
			mustReload(t, e)
		}
		cancel()
		wg.Wait()
	})
}

func TestWatchOnSQLitePolls(t *testing.T) {
	st := storetest.Open(t, config.SQLite)
	e := MustNew(t, st)
	if err := e.Watch(context.Background(), "sqlite://ignored"); err != nil {
		t.Fatalf("Watch on SQLite = %v, want nil", err)
	}
	if err := e.Watch(context.Background(), "sqlite://ignored"); err == nil {
		t.Fatal("a second Watch on SQLite was accepted")
	}
	if err := authz.Notify(context.Background(), st); err != nil {
		t.Fatalf("Notify on SQLite = %v, want nil", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestApprovePermissionReachesExistingDatabases checks that a database whose permissions were
// written before migration 00010 gets the leaders' report/approve from it (their defaults are
// written only into an empty table), and that a leader of CA approves CA only while a leader of
// * approves every agency and all at once (unlocking).
func TestApprovePermissionReachesExistingDatabases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		MustNew(t, st)
		if err := st.MigrateDownTo(ctx, 9); err != nil {
			t.Fatal(err)
		}
		if n := countPermissions(t, st); n != 12 {
			t.Fatalf("before 00010 the database holds %d p rules, want the 12 older ones", n)
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countPermissions(t, st); n != 13 {
			t.Fatalf("after 00010 the database holds %d p rules, want 13", n)
		}
		MustUser(t, st, "lead.ca", "leader", "CA")
		MustUser(t, st, "lead.all", "leader", "*")
		MustUser(t, st, "analyst.all", "analyst", "*")
		e := MustNew(t, st)
		for _, tt := range []struct {
			user, domain string
			want         bool
		}{
			{"lead.ca", "CA", true}, {"lead.ca", "BP", false}, {"lead.ca", "*", false},
			{"lead.all", "CA", true}, {"lead.all", "HQ", true}, {"lead.all", "*", true},
			{"analyst.all", "CA", false}, {"analyst.all", "*", false},
		} {
			if got := e.Allowed(tt.user, tt.domain, "report", "approve"); got != tt.want {
				t.Errorf("Allowed(%s, %s, report, approve) = %v, want %v", tt.user, tt.domain, got, tt.want)
			}
		}
	})
}

package authz_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// instance is one phoihop process: its own pool and its own watching Enforcer.
type instance struct {
	st *store.Store
	e  *authz.Enforcer
}

// startInstances opens n instances on one fresh PostgreSQL database, each watching it.
func startInstances(t *testing.T, n int) (string, []instance) {
	t.Helper()
	url := storetest.URL(t, config.Postgres) // skips without PHOIHOP_TEST_POSTGRES_URL
	ctx := context.Background()
	var out []instance
	for i := range n {
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if i == 0 {
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		e := MustNew(t, st)
		if err := e.Watch(ctx, url); err != nil {
			t.Fatalf("Watch: %v", err)
		}
		out = append(out, instance{st, e})
	}
	return url, out
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func listeners(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	err := st.DB().QueryRow(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWatchNotify(t *testing.T) {
	_, in := startInstances(t, 2)
	a, b := in[0], in[1]
	ctx := context.Background()
	u := MustUser(t, a.st, "officer.csb")
	if b.e.Allowed("officer.csb", "CSB", "record", "write") {
		t.Fatal("a user without roles may record/write")
	}

	// Granted through A (write, then Reload on A only): B follows without a Reload.
	if err := a.st.AssignRole(ctx, phoihop.SystemActor("test"), store.AllAccounts(), u.ID, "officer", "CSB"); err != nil {
		t.Fatal(err)
	}
	mustReload(t, a.e)
	eventually(t, "B does not allow the role granted through A", func() bool {
		return b.e.Allowed("officer.csb", "CSB", "record", "write")
	})

	// Revoked through A: B refuses.
	storetest.MustExec(t, a.st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = 'officer.csb'`)
	mustReload(t, a.e)
	eventually(t, "B still allows the role revoked through A", func() bool {
		return !b.e.Allowed("officer.csb", "CSB", "record", "write")
	})
	if got := b.e.Roles("officer.csb"); got != nil {
		t.Fatalf("B: Roles = %v after the revocation, want none", got)
	}

	// A permission edited through B reaches A.
	storetest.MustExec(t, b.st, `INSERT INTO casbin_rule (p_type, v0, v1, v2, v3) VALUES ('p', 'analyst', 'BP', 'audit', 'read')`)
	mustReload(t, b.e)
	MustUser(t, a.st, "analyst", "analyst", "*")
	mustReload(t, a.e)
	eventually(t, "A does not see the permission added through B", func() bool {
		return slices.Equal(a.e.Domains("analyst", "audit", "read"), []string{"BP"})
	})

	// A program with no Enforcer (the command line) writes a role and calls Notify: both
	// instances, the one whose pool wrote included, reload.
	MustUser(t, a.st, "officer.ca")
	if a.e.Allowed("officer.ca", "CA", "record", "read") || b.e.Allowed("officer.ca", "CA", "record", "read") {
		t.Fatal("a user without roles may record/read")
	}
	storetest.MustExec(t, a.st, `INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', 'officer.ca', 'officer', 'CA')`)
	if err := authz.Notify(ctx, a.st); err != nil {
		t.Fatal(err)
	}
	for i, x := range in {
		eventually(t, fmt.Sprintf("instance %d does not see the role announced by Notify", i), func() bool {
			return x.e.Allowed("officer.ca", "CA", "record", "read")
		})
	}
}

// TestWatchReconnect: a change that no notification announces (written while the watcher's
// connection is down, here written with no notification at all) is picked up when the
// watcher reconnects.
func TestWatchReconnect(t *testing.T) {
	_, in := startInstances(t, 2)
	a, b := in[0], in[1]
	MustUser(t, a.st, "leader.hq", "leader", "HQ")
	mustReload(t, a.e)
	eventually(t, "B does not see the leader", func() bool { return b.e.Allowed("leader.hq", "HQ", "report", "read") })

	storetest.MustExec(t, a.st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = 'leader.hq'`)
	time.Sleep(300 * time.Millisecond)
	if !b.e.Allowed("leader.hq", "HQ", "report", "read") {
		t.Fatal("B reloaded with no notification and no reconnection; the test proves nothing")
	}
	if n := listeners(t, a.st); n != 2 {
		t.Fatalf("%d listening connections, want 2", n)
	}
	storetest.MustExec(t, a.st, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`)
	eventually(t, "B still allows the revoked role after its watcher reconnected", func() bool {
		return !b.e.Allowed("leader.hq", "HQ", "report", "read")
	})
	eventually(t, "the watchers did not reconnect", func() bool { return listeners(t, a.st) == 2 })

	// Notifications flow again over the new connections.
	MustUser(t, a.st, "leader.ca", "leader", "CA")
	mustReload(t, a.e)
	eventually(t, "B does not see a role granted after the reconnection", func() bool {
		return b.e.Allowed("leader.ca", "CA", "report", "read")
	})
}

// TestWatchStops: Close and the end of Watch's context both release the connection.
func TestWatchStops(t *testing.T) {
	url, in := startInstances(t, 1)
	st, e := in[0].st, in[0].e
	if err := e.Watch(context.Background(), url); err == nil {
		t.Fatal("a second Watch on one Enforcer succeeded")
	}
	if n := listeners(t, st); n != 1 {
		t.Fatalf("%d listening connections, want 1", n)
	}
	e.Close()
	eventually(t, "Close left the listening connection open", func() bool { return listeners(t, st) == 0 })

	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Watch(ctx, url); err != nil {
		t.Fatalf("Watch after Close: %v", err)
	}
	if n := listeners(t, st); n != 1 {
		t.Fatalf("%d listening connections, want 1", n)
	}
	cancel()
	eventually(t, "ending the context left the listening connection open", func() bool { return listeners(t, st) == 0 })
	e.Close()
	eventually(t, "the watcher's goroutines outlived it", func() bool { return runtime.NumGoroutine() <= before })

	// An unreachable server: Watch waits, and gives up when its context ends.
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := e.Watch(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"); err == nil {
		t.Fatal("Watch on an unreachable server succeeded")
	}
}

package authz_test

import (
	"context"
	"log/slog"
	"testing"

	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// Messages of the Enforcer's state changes.
const (
	logDisconnected = "authz: policy watcher disconnected"
	logCannotReach  = "authz: policy watcher cannot connect"
	logReconnected  = "authz: policy watcher reconnected"
	logListening    = "authz: policy watcher listening"
)

// TestFreshAfterOutage: instance A reaches PostgreSQL through a proxy that is cut; while it
// is cut, a role is revoked through instance B, whose notification A cannot hear. The first
// check on A after the database is reachable again, made as the server makes it (Fresh, then
// Allowed), already denies, although A's watcher still waits out its reconnect back-off;
// while the database is unreachable, Fresh fails rather than letting the cache answer.
func TestFreshAfterOutage(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, config.Postgres) // skips without PHOIHOP_TEST_POSTGRES_URL
	p := storetest.NewProxy(t, url)

	// A: its pool and its watcher both go through the proxy.
	stA, err := store.Open(ctx, p.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stA.Close() })
	if _, err := stA.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	logs := &logRecorder{}
	a, err := authz.New(ctx, stA, slog.New(logs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.Watch(ctx, p.URL); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	// B: straight to the database.
	stB, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stB.Close() })
	b := MustNew(t, stB)

	u := MustUser(t, stB, "officer.bp", "officer", "BP")
	mustReload(t, b)
	allowed := func() bool { return a.Allowed("officer.bp", "BP", "record", "write") }
	eventually(t, "A does not see the role granted through B", allowed)
	if err := a.Fresh(ctx); err != nil {
		t.Fatalf("Fresh while the watcher listens: %v", err)
	}

	p.Cut()
	eventually(t, "A's watcher did not notice the cut", func() bool { return logs.count(logDisconnected) == 1 })
	// Requests during the outage get no answer from the cache; they also rid A's pool of
	// its broken connections, as requests do.
	eventually(t, "A's pool kept connections through the cut proxy", func() bool {
		if err := a.Fresh(ctx); err == nil {
			t.Fatal("Fresh with the database unreachable = nil: the cache would answer")
		}
		return stA.DB().Stats().OpenConnections == 0
	})

	if err := stB.RemoveRole(ctx, phoihop.SystemActor("test"), store.AllAccounts(), u.ID, "officer", "BP"); err != nil {
		t.Fatal(err)
	}
	mustReload(t, b) // its notification does not reach A
	// After its second failed attempt the watcher waits 1 s before the next one: far longer
	// than it takes to check below.
	eventually(t, "A's watcher did not try to reconnect twice", func() bool { return logs.count(logCannotReach) >= 2 })
	if !allowed() {
		t.Fatal("A's cache lost the role before the database came back; the test proves nothing")
	}

	p.Restore()
	if err := a.Fresh(ctx); err != nil {
		t.Fatalf("Fresh after the database came back: %v", err)
	}
	if allowed() {
		t.Fatal("A allows the role revoked during the outage on the first check after the database came back")
	}
	if n := logs.count(logReconnected); n != 0 {
		t.Fatal("A's watcher reconnected before the check; the test proves nothing")
	}

	// The watcher listens again (logged once), and changes reach A by notification.
	eventually(t, "A's watcher did not listen again", func() bool { return logs.count(logListening) == 2 })
	MustUser(t, stB, "leader.bp", "leader", "BP")
	mustReload(t, b)
	eventually(t, "A does not see a role granted after the watcher listened again", func() bool {
		return a.Allowed("leader.bp", "BP", "report", "read")
	})
	for _, m := range []string{logDisconnected, logReconnected} {
		if n := logs.count(m); n != 1 {
			t.Errorf("%q logged %d times, want once", m, n)
		}
	}
}

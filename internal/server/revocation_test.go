package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestRevocationDuringOutage: an officer whose role is revoked on another instance while
// this one is cut off from PostgreSQL gets 403 on the very first request after the database
// is reachable again, not 200 from the policy cached before the outage, although this
// instance's policy watcher is still waiting out its reconnect back-off. During the outage
// the officer gets no page either.
func TestRevocationDuringOutage(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, config.Postgres) // skips without PHOIHOP_TEST_POSTGRES_URL
	p := storetest.NewProxy(t, url)

	// This instance: its store and its policy watcher both go through the proxy.
	s, err := store.Open(ctx, p.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	logs := &watcherLog{}
	enf, err := authz.New(ctx, s, slog.New(logs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { enf.Close() })
	if err := enf.Watch(ctx, p.URL); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	srv, _, _ := newServerWith(t, s, func(d *httpd.Deps) { d.Authz = enf })
	h := srv.Handler()

	// The other instance, straight to the database.
	other, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	otherEnf, err := authz.New(ctx, other, nil)
	if err != nil {
		t.Fatal(err)
	}

	u := mustUser(t, s, "officer.bp", "officer@BP")
	if err := enf.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	cookie := signIn(t, h, "officer.bp", testPassword)
	if res, body := get(t, h, "/cases", cookie); res.StatusCode != http.StatusOK {
		t.Fatalf("/cases before the outage = %d, want 200:\n%s", res.StatusCode, body)
	}

	p.Cut()
	waitFor(t, "the watcher did not notice the cut", func() bool { return logs.count("authz: policy watcher disconnected") == 1 })
	// Requests during the outage fail; they also rid the pool of its broken connections.
	waitFor(t, "the pool kept connections through the cut proxy", func() bool {
		if res, _ := get(t, h, "/cases", cookie); res.StatusCode == http.StatusOK {
			t.Fatal("/cases with the database unreachable = 200")
		}
		return s.DB().Stats().OpenConnections == 0
	})

	if err := other.RemoveRole(ctx, phoihop.SystemActor("test"), store.AllAccounts(), u.ID, "officer", "BP"); err != nil {
		t.Fatal(err)
	}
	if err := otherEnf.Reload(ctx); err != nil { // its notification does not get through
		t.Fatal(err)
	}
	// After its second failed attempt the watcher waits 1 s before the next one.
	waitFor(t, "the watcher did not try to reconnect twice", func() bool { return logs.count("authz: policy watcher cannot connect") >= 2 })
	if !enf.AllowedAnywhere("officer.bp", "record", "read") {
		t.Fatal("the cache lost the role before the database came back; the test proves nothing")
	}

	p.Restore()
	res, body := get(t, h, "/cases", cookie)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("/cases on the first request after the database came back = %d, want 403 (role revoked during the outage):\n%s", res.StatusCode, body)
	}
	if logs.count("authz: policy watcher reconnected") != 0 {
		t.Fatal("the watcher reconnected before the request; the test proves nothing")
	}
	if n := auditCount(t, s, "authz.denied"); n != 1 {
		t.Fatalf("%d authz.denied audit entries, want 1", n)
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watcherLog is a slog handler that keeps the messages logged, for a test to wait for a
// state change of the policy watcher.
type watcherLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *watcherLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *watcherLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}

func (l *watcherLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *watcherLog) WithGroup(string) slog.Handler      { return l }

// count returns how many messages starting with prefix were logged.
func (l *watcherLog) count(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

package authz

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/lib/pq"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// TestTrustFollowsTheWatcher drives the watcher's connection events and reloads in the
// orders they can race in: the cache is trusted only after a reload that began while the
// connection listened has ended with no loss of trust in between.
func TestTrustFollowsTheWatcher(t *testing.T) {
	e := &Enforcer{log: slog.New(slog.DiscardHandler)}
	e.fresh.init()
	lost := errors.New("EOF")
	trusted := func(step string, want bool) {
		t.Helper()
		if got := e.fresh.trusted.Load(); got != want {
			t.Fatalf("%s: trusted = %v, want %v", step, got, want)
		}
	}
	trusted("before Watch", true)

	tk := e.startWatching()
	trusted("Watch started", false)
	e.listenerEvent(pq.ListenerEventConnectionAttemptFailed, lost)
	tk = e.listened(tk) // before pq's Connected event, which may come later
	if !e.connection().up {
		t.Fatal("after Listen: the connection is not up")
	}
	e.listenerEvent(pq.ListenerEventConnected, nil)
	if !e.trust(tk) {
		t.Fatal("first reload after Listen: not trusted")
	}

	e.listenerEvent(pq.ListenerEventDisconnected, lost)
	trusted("disconnected", false)
	tk = e.connection()
	if tk.up {
		t.Fatal("connection() says the lost connection is up")
	}
	e.listenerEvent(pq.ListenerEventConnectionAttemptFailed, lost)
	if e.trust(tk) {
		t.Fatal("a reload begun while the connection was down restored trust")
	}

	// Reconnected; the reload after it begins, and the connection is lost before it ends.
	e.listenerEvent(pq.ListenerEventReconnected, nil)
	tk = e.connection()
	e.listenerEvent(pq.ListenerEventDisconnected, lost)
	if e.trust(tk) {
		t.Fatal("a reload overtaken by a disconnection restored trust")
	}
	// Reconnected and lost again before the nil notification of the reconnection is taken.
	e.listenerEvent(pq.ListenerEventReconnected, nil)
	e.listenerEvent(pq.ListenerEventDisconnected, lost)
	if e.trust(e.connection()) {
		t.Fatal("the reload of a reconnection lost since restored trust")
	}
	// Reconnected, reloaded, nothing lost: trusted.
	e.listenerEvent(pq.ListenerEventReconnected, nil)
	if !e.trust(e.connection()) {
		t.Fatal("reload after the reconnection: not trusted")
	}

	// A reload after a write fails: not trusted, the watcher is woken; a reload begun before
	// the failure does not restore trust, one begun after it does.
	tk = e.connection()
	if !e.distrust(errors.New("timeout")) {
		t.Fatal("distrust of a trusted cache reported no change")
	}
	trusted("reload failed", false)
	select {
	case <-e.fresh.wake:
	default:
		t.Fatal("distrust did not wake the watcher")
	}
	if e.trust(tk) {
		t.Fatal("a reload begun before the failed one restored trust")
	}
	if !e.trust(e.connection()) {
		t.Fatal("a reload begun after the failed one: not trusted")
	}

	// Watch starting again: a loss between Listen and the end of the first reload.
	e.stopWatching()
	trusted("stopped", false)
	if e.trust(tk) || e.trust(e.connection()) {
		t.Fatal("a stopped watcher's reload restored trust")
	}
	e.distrust(lost)
	if len(e.fresh.wake) != 0 {
		t.Fatal("distrust woke a stopped watcher")
	}
	tk = e.startWatching()
	e.listenerEvent(pq.ListenerEventConnected, nil)
	tk = e.listened(tk)
	e.listenerEvent(pq.ListenerEventDisconnected, lost)
	if e.trust(tk) {
		t.Fatal("the first reload, overtaken by a disconnection, restored trust")
	}
	// Lost between the connection and the end of Listen: Listen's success says nothing of
	// the connection now.
	tk = e.startWatching()
	e.listenerEvent(pq.ListenerEventConnected, nil)
	e.listenerEvent(pq.ListenerEventDisconnected, lost)
	tk = e.listened(tk)
	if e.connection().up || e.trust(tk) {
		t.Fatal("Listen's success after a disconnection marked the connection up")
	}
}

// TestFreshSharesOneLoad: while the cache is not trusted every call of Fresh is answered by
// a load begun after it arrived; calls arriving together share one, its failure included.
func TestFreshSharesOneLoad(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, config.SQLite)
	e, err := New(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Fresh(ctx); err != nil || e.loadsBegun.Load() != 1 {
		t.Fatalf("Fresh of a trusted cache = %v after %d loads, want nil after New's one", err, e.loadsBegun.Load())
	}
	e.startWatching() // and never listening

	// A rule written behind the Enforcer's back is in force after the next Fresh.
	storetest.MustExec(t, st, `INSERT INTO casbin_rule (p_type, v0, v1, v2) VALUES ('g', 'can.bo', 'officer', 'BP')`)
	if err := e.Fresh(ctx); err != nil {
		t.Fatal(err)
	}
	if !e.Allowed("can.bo", "BP", "record", "write") {
		t.Fatal("Fresh did not load the role written before it was called")
	}
	if n := e.loadsBegun.Load(); n != 2 {
		t.Fatalf("%d loads, want 2", n)
	}

	// Callers arriving while a load runs share the next one.
	burst := func() []error {
		e.loading <- struct{}{} // a load in progress
		arrived := e.loadsBegun.Load()
		errs := make([]error, 32)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { errs[i] = e.refresh(ctx, arrived) })
		}
		<-e.loading
		wg.Wait()
		if n := e.loadsBegun.Load() - arrived; n != 1 {
			t.Fatalf("%d callers arriving together made %d loads, want 1", len(errs), n)
		}
		return errs
	}
	storetest.MustExec(t, st, `DELETE FROM casbin_rule WHERE p_type = 'g' AND v0 = 'can.bo'`)
	for i, err := range burst() {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	if e.Allowed("can.bo", "BP", "record", "write") {
		t.Fatal("the shared load did not see the revocation")
	}

	// The database gone: the failed load is shared too, and the cache answers nothing.
	st.Close()
	for i, err := range burst() {
		if err == nil {
			t.Fatalf("caller %d: Fresh with the database closed = nil", i)
		}
	}

	// A caller whose request ends while it waits gives up.
	e.loading <- struct{}{}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.Fresh(cctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fresh with an ended context = %v, want context.Canceled", err)
	}
	<-e.loading
}

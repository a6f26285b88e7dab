package authz

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// freshLoadLimit bounds a load made for requests by Fresh. The load is shared by every
// request waiting for it, so it does not end with the request that began it.
const freshLoadLimit = 10 * time.Second

// Fresh makes sure that the permission checks of a request arriving now do not answer from
// a cached policy that may lack a change the watcher missed. Call it once per request,
// before the first check; when it fails, answer no check.
//
// While the cache is trusted it costs one atomic load and returns nil: the watcher listens
// on a live connection and has loaded the policy since it began to listen, or Watch has never
// been called on PostgreSQL (one instance alone, whose own writes call Reload), or the
// database is SQLite (whose poll reloads the policy changed by another process). While it
// is not — from the start of Watch until the watcher listens, from the loss of its
// connection until it has listened and reloaded again, after a reload it needed failed, and
// once it has stopped — notifications may have been missed, so Fresh loads the policy with a
// read begun after it was called and returns once that load has finished. Calls arriving
// together share one load: a call waiting for another's load to end is satisfied by the next
// load begun after it arrived, whoever made it. When that load failed (the database is still
// unreachable) Fresh returns its error; the cached policy must not answer the request then.
// Fresh also returns an error when ctx ends while it waits.
func (e *Enforcer) Fresh(ctx context.Context) error {
	if e.fresh.trusted.Load() {
		return nil
	}
	return e.refresh(ctx, e.loadsBegun.Load())
}

// refresh returns the outcome of a load numbered above arrived, which began after the caller
// arrived, waiting for one to finish or making it.
func (e *Enforcer) refresh(ctx context.Context, arrived uint64) error {
	select {
	case e.loading <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("authz: load policy: %w", ctx.Err())
	}
	defer func() { <-e.loading }()
	if e.lastLoad > arrived {
		return e.lastErr
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), freshLoadLimit)
	defer cancel()
	return e.loadLocked(lctx)
}

// freshness is what the Enforcer knows of its watcher: whether the cached policy can be
// trusted (read on every request, hence atomic) and, under mu, the state it follows.
//
// epoch changes whenever trust is lost (the watcher's connection lost, a needed reload
// failed, the watcher started or stopped). A reload that may restore trust takes a ticket
// (the epoch, and whether the connection listened) before it reads; it restores trust only
// if the epoch has not moved since, so a reload that raced with a disconnection never marks
// the cache as trusted.
type freshness struct {
	trusted atomic.Bool
	wake    chan struct{} // asks the watcher for a reload; capacity 1

	mu       sync.Mutex
	watching bool   // a watcher runs
	epoch    uint64 // times trust was lost
	up       bool   // the watcher's connection is established and listens
}

// ticket records the watcher's connection as a load begins.
type ticket struct {
	epoch uint64
	up    bool
}

func (f *freshness) init() {
	f.trusted.Store(true) // until Watch: one instance alone is told of its own writes by Reload
	f.wake = make(chan struct{}, 1)
}

// startWatching marks the cache untrusted until the new watcher listens and returns the
// ticket the first load is to take; whether it listens is for Watch to say.
func (e *Enforcer) startWatching() ticket {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watching, f.up = true, false
	f.epoch++
	f.trusted.Store(false)
	return ticket{epoch: f.epoch}
}

// stopWatching marks the cache untrusted for good: no watcher tells this Enforcer of the
// changes made by the others any more.
func (e *Enforcer) stopWatching() {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watching, f.up = false, false
	f.epoch++
	f.trusted.Store(false)
}

// connection returns the ticket of a load beginning now.
func (e *Enforcer) connection() ticket {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	return ticket{epoch: f.epoch, up: f.up}
}

// listened records that Listen succeeded, on a connection made after t was taken: unless
// trust was lost since (the connection lost), that connection listens, whether or not pq has
// sent its Connected event yet. It returns the ticket of the first load.
func (e *Enforcer) listened(t ticket) ticket {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.watching && f.epoch == t.epoch {
		f.up = true
	}
	t.up = true
	return t
}

// connected records that the watcher's connection is established; pq sends the event once
// it has issued LISTEN again on a new connection.
func (e *Enforcer) connected() {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.watching {
		f.up = true
	}
}

// disconnected records the loss of the watcher's connection: notifications sent from now on
// are lost, so the cache is not trusted until a reload that begins after the reconnection.
func (e *Enforcer) disconnected(err error) {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	f.up = false
	f.epoch++
	if f.trusted.Swap(false) {
		e.log.Warn("authz: policy watcher disconnected; the policy is read again for every request until it listens again", "err", err)
	} else {
		e.log.Warn("authz: policy watcher disconnected", "err", err)
	}
}

// distrust records that a change may be missing from the cache (a reload after a write or a
// notification failed) and asks the watcher for a reload. It reports whether the cache was
// trusted until then (the change is logged). It does nothing when no watcher runs: on
// SQLite the poll reloads a changed policy by itself.
func (e *Enforcer) distrust(err error) bool {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.watching {
		return false
	}
	f.epoch++
	select {
	case f.wake <- struct{}{}:
	default:
	}
	if !f.trusted.Swap(false) {
		return false
	}
	e.log.Error("authz: policy reload failed; the policy is read again for every request until the watcher has reloaded it", "err", err)
	return true
}

// trust marks the cache trusted after a successful load that took t, if the connection
// listened then and trust has not been lost since. It reports whether the cache is trusted.
func (e *Enforcer) trust(t ticket) bool {
	f := &e.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.watching || !t.up || t.epoch != f.epoch {
		return f.trusted.Load()
	}
	if !f.trusted.Swap(true) {
		e.log.Info("authz: policy watcher listening; requests answer from the cached policy")
	}
	return true
}

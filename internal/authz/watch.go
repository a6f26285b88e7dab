package authz

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lib/pq"

	"phoihop/internal/config"
	"phoihop/internal/store"
)

// NotifyChannel is the PostgreSQL channel on which instances announce policy changes. The
// payload is the sending Enforcer's id, so that it can skip its own notifications; any other
// payload, empty included, makes every watcher reload.
const NotifyChannel = "phoihop_policy"

// Notify tells the watchers of every instance on the store's PostgreSQL database to reload
// the policy; it does nothing on SQLite. Programs that change casbin_rule without an Enforcer
// of their own (the command line) call it after committing; an Enforcer's Reload does it
// already.
func Notify(ctx context.Context, st *store.Store) error { return notify(ctx, st, "") }

func notify(ctx context.Context, st *store.Store, payload string) error {
	if st.Engine() != config.Postgres {
		return nil
	}
	if _, err := st.DB().ExecContext(ctx, `SELECT pg_notify($1, $2)`, NotifyChannel, payload); err != nil {
		return fmt.Errorf("authz: notify: %w", err)
	}
	return nil
}

// Timings of the watcher's connection. Reconnect attempts back off from the first to the
// second; pings find a connection that died without a word. A reload the watcher needed
// and could not make is tried again after watchRetryReload.
const (
	watchMinReconnect = 500 * time.Millisecond
	watchMaxReconnect = 10 * time.Second
	watchPingInterval = 60 * time.Second
	watchReloadLimit  = 30 * time.Second
	watchRetryReload  = 2 * time.Second
)

// Watch keeps this Enforcer in step with the other instances on one PostgreSQL database: it
// opens a connection of its own (databaseURL, the store's URL) that LISTENs on NotifyChannel
// and reloads the policy on every notification from another Enforcer, and after every
// reconnection, since notifications sent while the connection was down are lost.
//
// While the watcher does not listen, the cache is not trusted and Fresh reloads the policy
// for every request: from the start of Watch until the connection listens and the policy
// has been loaded after that, from the loss of the connection (logged once) until the
// reload that follows the reconnection has succeeded (logged once), after a reload the
// watcher needed failed until one succeeds, and once the watcher has stopped. pq's reconnect
// back-off (0.5 s doubling to 10 s) thus delays only the return to the cache, never a
// revocation: the first request after the database is back reads the policy itself.
//
// Watch returns once the connection listens (after one more reload, which covers changes
// made since New) and the watcher runs until ctx ends or Close is called. It blocks while the
// database cannot be reached, until ctx ends. On SQLite, which has no notifications, it
// checks the rules every few seconds instead and reloads when another process (the command
// line) changed them; Fresh does not read the policy there. Watching again needs a Close
// first; a second Watch on a watching Enforcer is an error.
func (e *Enforcer) Watch(ctx context.Context, databaseURL string) error {
	if e.st.Engine() != config.Postgres {
		return e.poll(ctx, pollInterval)
	}
	e.watchMu.Lock()
	defer e.watchMu.Unlock()
	if e.stopWatch != nil {
		return errors.New("authz: watch: already watching")
	}
	t := e.startWatching()
	l := pq.NewListener(databaseURL, watchMinReconnect, watchMaxReconnect, e.listenerEvent)
	listened := make(chan error, 1)
	go func() { listened <- l.Listen(NotifyChannel) }()
	select {
	case err := <-listened:
		if err != nil {
			closeListener(l)
			e.stopWatching()
			return fmt.Errorf("authz: watch: listen: %w", err)
		}
	case <-ctx.Done():
		closeListener(l)
		<-listened
		e.stopWatching()
		return fmt.Errorf("authz: watch: %w", ctx.Err())
	}
	t = e.listened(t)
	if err := e.reload(ctx); err != nil {
		closeListener(l)
		e.stopWatching()
		return err
	}
	e.trust(t)
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	e.stopWatch, e.watchDone = cancel, done
	go e.watch(wctx, l, done)
	return nil
}

// Close stops the watcher started by Watch, if any, and waits until it has released its
// connection. The Enforcer keeps answering from the policy last loaded, but on PostgreSQL
// Fresh reads the policy again for every request from then on, since no change by another
// instance reaches it any more. Close always returns nil.
func (e *Enforcer) Close() error {
	e.watchMu.Lock()
	stop, done := e.stopWatch, e.watchDone
	e.stopWatch, e.watchDone = nil, nil
	e.watchMu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	return nil
}

// watch is the watcher's loop; it closes the listener and done when ctx ends.
func (e *Enforcer) watch(ctx context.Context, l *pq.Listener, done chan struct{}) {
	var wg sync.WaitGroup
	defer func() {
		closeListener(l)
		wg.Wait()
		e.stopWatching()
		close(done)
	}()
	// Pinging from the loop itself could deadlock: pq stops reading the socket while
	// notifications wait for this loop.
	wg.Go(func() {
		t := time.NewTicker(watchPingInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.Ping(); err != nil && ctx.Err() == nil {
					e.log.Warn("authz: policy watcher ping", "err", err)
				}
			}
		}
	})
	var retry <-chan time.Time // set while a reload the watcher needed has failed
	for {
		reload := false
		select {
		case <-ctx.Done():
			return
		case <-retry:
			reload = true
		case <-e.fresh.wake:
			reload = true
		case n, ok := <-l.Notify:
			if !ok {
				return
			}
			reload = e.wantsReload(n)
		}
		// Many changes in a burst need one reload: take what is queued already.
	drain:
		for {
			select {
			case n, ok := <-l.Notify:
				if !ok {
					return
				}
				reload = reload || e.wantsReload(n)
			default:
				break drain
			}
		}
		if !reload {
			continue
		}
		t := e.connection()
		if !t.up {
			// The connection is lost: requests read the policy themselves until the
			// reconnection, whose nil notification brings the reload.
			retry = nil
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, watchReloadLimit)
		err := e.reload(rctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if !e.distrust(err) {
				e.log.Warn("authz: policy reload by the watcher failed", "err", err)
			}
			retry = time.After(watchRetryReload)
		default:
			retry = nil
			e.trust(t)
		}
	}
}

// wantsReload reports whether a notification calls for a reload: pq sends nil after a
// reconnection; this Enforcer's own notifications follow a reload it has made already.
func (e *Enforcer) wantsReload(n *pq.Notification) bool {
	return n == nil || n.Extra != e.id
}

// listenerEvent follows the watcher's connection; pq calls it from the goroutine that sends
// the notifications, so the nil notification that follows a reconnection comes after it.
func (e *Enforcer) listenerEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventConnected:
		e.connected()
	case pq.ListenerEventDisconnected:
		e.disconnected(err)
	case pq.ListenerEventConnectionAttemptFailed:
		// It comes only before the first connection or after a disconnection: the cache is
		// not trusted already.
		e.log.Warn("authz: policy watcher cannot connect", "err", err)
	case pq.ListenerEventReconnected:
		e.connected()
		e.log.Info("authz: policy watcher reconnected; reloading the policy")
	}
}

// closeListener closes l and waits until pq's goroutine has stopped, which it does only once
// the notifications it holds have been taken.
func closeListener(l *pq.Listener) {
	l.Close()
	for range l.Notify {
	}
}

package authz

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// pollInterval is how often an Enforcer on SQLite looks for rules changed by another process
// on the same database file (the command line's `user add` while the server runs).
const pollInterval = 5 * time.Second

// poll watches the casbin_rule table of an SQLite database, which has no notifications: every
// interval it fingerprints the rules and reloads the policy when they changed. It runs until
// ctx ends or Close is called.
func (e *Enforcer) poll(ctx context.Context, interval time.Duration) error {
	e.watchMu.Lock()
	defer e.watchMu.Unlock()
	if e.stopWatch != nil {
		return errors.New("authz: watch: already watching")
	}
	last, err := e.fingerprint(ctx)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	e.stopWatch, e.watchDone = cancel, done
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-wctx.Done():
				return
			case <-t.C:
			}
			fp, err := e.fingerprint(wctx)
			if err != nil {
				if wctx.Err() == nil {
					e.log.Warn("authz: policy check failed", "error", err)
				}
				continue
			}
			if fp == last {
				continue
			}
			if err := e.reload(wctx); err != nil {
				e.log.Warn("authz: policy reload failed", "error", err)
				continue
			}
			last = fp
			e.log.Info("authz: policy reloaded after a change by another process")
		}
	}()
	return nil
}

// fingerprint is a hash of every rule in casbin_rule, in a fixed order.
func (e *Enforcer) fingerprint(ctx context.Context) ([32]byte, error) {
	rows, err := e.st.DB().QueryContext(ctx, `SELECT p_type, v0, v1, v2, v3, v4, v5 FROM `+Table+`
		ORDER BY p_type, v0, v1, v2, v3, v4, v5`)
	if err != nil {
		return [32]byte{}, fmt.Errorf("authz: fingerprint: %w", err)
	}
	defer rows.Close()
	h := sha256.New()
	var v [7]string
	for rows.Next() {
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
			return [32]byte{}, fmt.Errorf("authz: fingerprint: %w", err)
		}
		for _, s := range v {
			fmt.Fprintf(h, "%d:%s,", len(s), s)
		}
		h.Write([]byte{'\n'})
	}
	if err := rows.Err(); err != nil {
		return [32]byte{}, fmt.Errorf("authz: fingerprint: %w", err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, nil
}

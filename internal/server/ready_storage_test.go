package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// setReadOnly makes every write of s fail with a storage error, or lifts it: it shrinks the
// pool to one connection and sets it query-only (SQLite, SQLITE_READONLY) or its statements
// read-only by default (PostgreSQL, SQLSTATE 25006 as on a replica).
func setReadOnly(t *testing.T, s *store.Store, on bool) {
	t.Helper()
	s.DB().SetMaxOpenConns(1)
	q := map[bool]string{true: "PRAGMA query_only = 1", false: "PRAGMA query_only = 0"}
	if s.Engine() == config.Postgres {
		q = map[bool]string{true: "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
			false: "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"}
	}
	storetest.MustExec(t, s, q[on])
}

func TestReadinessFollowsStorageFailures(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := storetest.Open(t, engine)
			srv, m, logs := newServer(t, s)
			m.WatchStorage(func() bool { return s.StorageFailure() == nil })
			h := srv.Handler()
			mustUser(t, s, "officer.bp", "officer@BP")
			ready := func() (int, string) {
				t.Helper()
				res, body := do(t, h, httptest.NewRequest("GET", "/readyz", nil))
				return res.StatusCode, body
			}
			gauge := func() string {
				t.Helper()
				_, body := do(t, m.Handler(), httptest.NewRequest("GET", "/metrics", nil))
				for _, line := range strings.Split(body, "\n") {
					if strings.HasPrefix(line, "phoihop_storage_ok ") {
						return line
					}
				}
				t.Fatal("metrics lack phoihop_storage_ok")
				return ""
			}
			if code, body := ready(); code != http.StatusOK {
				t.Fatalf("/readyz = %d %s, want 200", code, body)
			}
			if g := gauge(); g != "phoihop_storage_ok 1" {
				t.Fatalf("gauge = %q, want phoihop_storage_ok 1", g)
			}

			setReadOnly(t, s, true)
			if engine == config.SQLite {
				form := url.Values{"username": {"officer.bp"}, "password": {testPassword}}
				r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if res, _ := do(t, h, r); res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
					t.Fatalf("sign in on a read-only database = %d (Retry-After %q), want 503 with Retry-After",
						res.StatusCode, res.Header.Get("Retry-After"))
				}
			} else {
				// lib/pq begins its transactions READ WRITE, so the sign-in's transaction
				// passes; the store's writes outside one (a session's activity) do not.
				if err := s.TouchSession(context.Background(), "no-such-token", time.Now()); err == nil {
					t.Fatal("TouchSession on a read-only database succeeded")
				}
			}
			for i := range 2 { // the second call's write check fails too
				code, body := ready()
				if code != http.StatusServiceUnavailable || !strings.Contains(body, `"storage":"read-only"`) {
					t.Fatalf("/readyz #%d while writes fail = %d %s, want 503 with storage read-only", i, code, body)
				}
			}
			if g := gauge(); g != "phoihop_storage_ok 0" {
				t.Fatalf("gauge while writes fail = %q, want phoihop_storage_ok 0", g)
			}
			if !strings.Contains(logs.String(), "not ready: writes fail") {
				t.Errorf("log lacks the reason of the 503:\n%s", logs)
			}

			setReadOnly(t, s, false)
			if code, body := ready(); code != http.StatusOK {
				t.Fatalf("/readyz after writes work again = %d %s, want 200 without a restart", code, body)
			}
			if g := gauge(); g != "phoihop_storage_ok 1" {
				t.Fatalf("gauge after recovery = %q, want phoihop_storage_ok 1", g)
			}
			if res, _ := get(t, h, "/", signIn(t, h, "officer.bp", testPassword)); res.StatusCode != http.StatusOK {
				t.Fatalf("home after recovery = %d", res.StatusCode)
			}
		})
	}
}

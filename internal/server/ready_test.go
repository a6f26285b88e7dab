package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

func TestReadinessFollowsTheDatabase(t *testing.T) {
	p := storetest.NewProxy(t, storetest.URL(t, config.Postgres))
	s, err := store.Open(context.Background(), p.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	mustUser(t, s, "officer.bp", "officer@BP")
	status := func() int {
		res, _ := do(t, h, httptest.NewRequest("GET", "/readyz", nil))
		return res.StatusCode
	}
	if got := status(); got != http.StatusOK {
		t.Fatalf("/readyz = %d, want 200", got)
	}
	p.Cut()
	for i := range 2 { // the first call may find a pooled connection broken, the second dials
		if got := status(); got != http.StatusServiceUnavailable {
			t.Fatalf("/readyz #%d with the database cut off = %d, want 503", i, got)
		}
	}
	p.Restore()
	if got := status(); got != http.StatusOK {
		t.Fatalf("/readyz after the database came back = %d, want 200 without a restart", got)
	}
	// Signing in and the pages work again too.
	if res, _ := get(t, h, "/", signIn(t, h, "officer.bp", testPassword)); res.StatusCode != http.StatusOK {
		t.Fatalf("home after recovery = %d", res.StatusCode)
	}
}

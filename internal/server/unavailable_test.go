package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestUnavailableWhileTheDatabaseIsCut: with the PostgreSQL connection cut, the API answers
// 503 with Retry-After and the code unavailable (a read, a keyed POST), and the pages 503 with
// Retry-After; once it is back, the POST retried with the same key is written once.
func TestUnavailableWhileTheDatabaseIsCut(t *testing.T) {
	p := storetest.NewProxy(t, storetest.URL(t, config.Postgres))
	s, err := store.Open(context.Background(), p.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := newAPIEnv(t, s)
	bp := apiSignIn(t, e.h, "officer.bp")
	cookie := signIn(t, e.h, "officer.ca", testPassword)
	k := keyed(bp, "while-cut")

	p.Cut()
	for i := range 2 { // the first request may find a pooled connection broken, the second dials
		res, body := bp.do("GET", "/api/v1/cases", nil)
		wantAPIError(t, res, body, http.StatusServiceUnavailable, "unavailable")
		if got := res.Header.Get("Retry-After"); got != "5" {
			t.Fatalf("GET #%d with the database cut: Retry-After = %q, want 5", i, got)
		}
	}
	res, body := k.do("POST", "/api/v1/cases", e.newCase())
	wantAPIError(t, res, body, http.StatusServiceUnavailable, "unavailable")
	if res.Header.Get("Retry-After") != "5" || strings.Contains(string(body), "Internal") {
		t.Fatalf("POST with the database cut = %v %s", res.Header, body)
	}
	r := httptest.NewRequest("GET", "/cases", nil)
	r.AddCookie(cookie)
	page, _ := do(t, e.h, r)
	if page.StatusCode != http.StatusServiceUnavailable || page.Header.Get("Retry-After") != "5" {
		t.Fatalf("page with the database cut = %d (Retry-After %q), want 503 with Retry-After 5",
			page.StatusCode, page.Header.Get("Retry-After"))
	}

	p.Restore()
	res, body = k.do("POST", "/api/v1/cases", e.newCase())
	if res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the POST retried after the database came back = %d %s, want 201 written now", res.StatusCode, body)
	}
	if res, _ := k.do("POST", "/api/v1/cases", e.newCase()); res.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a second retry = %d, want the replay", res.StatusCode)
	}
	if n := apiCaseCount(bp); n != 1 {
		t.Fatalf("cases = %d, want 1", n)
	}
}

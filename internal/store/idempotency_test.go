package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// keyRequest is the request of an idempotency key of the user.
func keyRequest(userID int64, key string) store.IdempotencyRequest {
	return store.IdempotencyRequest{UserID: userID, Key: key, Method: "POST", Path: "/api/v1/units",
		RequestSHA256: strings.Repeat("ab", 32)}
}

func countKeys(t *testing.T, s *store.Store) int {
	t.Helper()
	return countRows(t, s, `SELECT count(*) FROM idempotency_keys`)
}

// TestIdempotencyKeyCommitsWithTheWrite: the key row is there exactly when the request's write
// committed; a refused write leaves none and frees the claim for a corrected retry; a second
// write of the request does not insert it again; the answer is kept and read back.
func TestIdempotencyKeyCommitsWithTheWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAdminFixture(t, s)
		claim := store.NewIdempotencyClaim(keyRequest(f.adminID, "k-1"))
		ctx := store.WithIdempotencyClaim(context.Background(), claim)
		all := store.Domains{All: true}

		dup := &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Trùng mã", Kind: "headquarters", ValidFrom: day(2004, 1, 1)}
		if err := s.CreateUnit(ctx, f.admin, all, dup); phoihop.ErrorCode(err) != phoihop.EConflict {
			t.Fatalf("create a unit of a taken code = %v, want conflict", err)
		}
		if n := countKeys(t, s); n != 0 || claim.Written() {
			t.Fatalf("after a rolled-back write: %d keys, written %v; want 0, false", n, claim.Written())
		}
		u := &phoihop.Unit{Agency: "BP", Code: "BP-MOI", Name: "Đồn mới", Kind: "border_post", ValidFrom: day(2004, 1, 1)}
		if err := s.CreateUnit(ctx, f.admin, all, u); err != nil {
			t.Fatal(err)
		}
		other := &phoihop.Unit{Agency: "BP", Code: "BP-MOI-2", Name: "Đồn mới 2", Kind: "border_post", ValidFrom: day(2004, 1, 1)}
		if err := s.CreateUnit(ctx, f.admin, all, other); err != nil {
			t.Fatalf("a second write of the same request: %v", err)
		}
		if n := countKeys(t, s); n != 1 || !claim.Written() || !claim.Close() {
			t.Fatalf("after the write committed: %d keys, written %v; want 1, true", n, claim.Written())
		}
		a, err := s.IdempotentAnswerOf(context.Background(), f.adminID, "k-1")
		if err != nil || a == nil || a.Status != 0 || a.RequestSHA256 != keyRequest(0, "").RequestSHA256 {
			t.Fatalf("the key before its answer = %+v, %v; want status 0 and the request's hash", a, err)
		}
		ans := store.IdempotentAnswer{IdempotencyRequest: keyRequest(f.adminID, "k-1"), Status: 201,
			Body: []byte(`{"id":7}`), ContentType: "application/json; charset=utf-8", Location: "/api/v1/units/7"}
		if err := s.RecordIdempotentAnswer(context.Background(), ans); err != nil {
			t.Fatal(err)
		}
		a, err = s.IdempotentAnswerOf(context.Background(), f.adminID, "k-1")
		if err != nil || a.Status != 201 || string(a.Body) != `{"id":7}` || a.Location != ans.Location || a.ContentType != ans.ContentType {
			t.Fatalf("the key's answer = %+v, %v; want %+v", a, err, ans)
		}
		if a, err := s.IdempotentAnswerOf(context.Background(), f.adminID+1, "k-1"); a != nil || err != nil {
			t.Fatalf("the key of another user = %+v, %v; want none", a, err)
		}

		// A day later the key is gone for readers, taken anew by a write, and pruned.
		later := s.WithClock(func() time.Time { return adminNow.Add(store.IdempotencyTTL + time.Minute) })
		if a, err := later.IdempotentAnswerOf(context.Background(), f.adminID, "k-1"); a != nil || err != nil {
			t.Fatalf("a key older than a day = %+v, %v; want none", a, err)
		}
		again := store.NewIdempotencyClaim(keyRequest(f.adminID, "k-1"))
		u3 := &phoihop.Unit{Agency: "BP", Code: "BP-MOI-3", Name: "Đồn mới 3", Kind: "border_post", ValidFrom: day(2004, 1, 1)}
		if err := later.CreateUnit(store.WithIdempotencyClaim(context.Background(), again), f.admin, all, u3); err != nil || !again.Written() {
			t.Fatalf("a write with an expired key = %v (written %v), want it to take the key anew", err, again.Written())
		}
		storetest.MustExec(t, s, `INSERT INTO idempotency_keys (user_id, key, method, path, request_sha256, created_at)
			VALUES (?, 'old', 'POST', '/api/v1/cases', ?, ?)`, f.adminID, strings.Repeat("cd", 32), adminNow)
		if n, err := later.PruneIdempotencyKeys(context.Background()); err != nil || n != 1 || countKeys(t, s) != 1 {
			t.Fatalf("prune = %d, %v, %d keys left; want 1 pruned and the new key left", n, err, countKeys(t, s))
		}
	})
}

// TestIdempotencyKeyHeldByAnotherRequest: a write whose key another transaction holds waits
// for it and, once it committed, is refused (conflict) without writing anything.
func TestIdempotencyKeyHeldByAnotherRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newAdminFixture(t, s)
		req := keyRequest(f.adminID, "k-held")
		db := sqlx.NewDb(s.DB(), s.DriverName())
		first, err := db.BeginTxx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer first.Rollback()
		if _, err := first.Exec(first.Rebind(`INSERT INTO idempotency_keys (user_id, key, method, path, request_sha256, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`), req.UserID, req.Key, req.Method, req.Path, req.RequestSHA256, adminNow); err != nil {
			t.Fatal(err)
		}
		claim := store.NewIdempotencyClaim(req)
		done := make(chan error, 1)
		go func() {
			u := &phoihop.Unit{Agency: "BP", Code: "BP-DOI", Name: "Đồn đợi", Kind: "border_post", ValidFrom: day(2004, 1, 1)}
			done <- s.CreateUnit(store.WithIdempotencyClaim(context.Background(), claim), f.admin, store.Domains{All: true}, u)
		}()
		select {
		case err := <-done:
			t.Fatalf("the second write did not wait for the first: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		if err := first.Commit(); err != nil {
			t.Fatal(err)
		}
		err = <-done
		if phoihop.ErrorCode(err) != phoihop.EConflict || !strings.Contains(err.Error(), "in progress") {
			t.Fatalf("the second write = %v, want conflict: in progress", err)
		}
		if !claim.Conflicted() || claim.Written() {
			t.Fatalf("claim conflicted %v written %v, want true, false", claim.Conflicted(), claim.Written())
		}
		if n := countRows(t, s, `SELECT count(*) FROM units WHERE code = 'BP-DOI'`); n != 0 {
			t.Fatalf("the refused write left %d units", n)
		}
	})
}

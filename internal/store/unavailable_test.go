package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestUnavailable: a write on a closed database is EUnavailable, not an internal error, and
// Unavailable maps the reads' driver errors the same way while leaving others alone.
func TestUnavailable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.Close()
		u := &phoihop.Unit{Agency: "BP", Code: "BP-X", Name: "Đồn", Kind: "border_post", ValidFrom: day(2004, 1, 1)}
		err := s.CreateUnit(context.Background(), phoihop.SystemActor("test"), store.Domains{All: true}, u)
		if phoihop.ErrorCode(err) != phoihop.EUnavailable {
			t.Fatalf("a write on a closed database = %v, want unavailable", err)
		}
		_, err = s.UserByUsername(context.Background(), "admin")
		if got := phoihop.ErrorCode(store.Unavailable(err)); got != phoihop.EUnavailable {
			t.Fatalf("Unavailable(a read on a closed database: %v) = %s, want unavailable", err, got)
		}
	})
	plain := fmt.Errorf("render: %w", errors.New("template broke"))
	if got := store.Unavailable(plain); got != plain {
		t.Fatalf("Unavailable(%v) = %v, want it unchanged", plain, got)
	}
}

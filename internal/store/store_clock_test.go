package store_test

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestWithClock checks that a store with its own clock writes at that clock's moments on the
// same database and leaves the clock of the store it came from as it was.
func TestWithClock(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	s.Now = func() time.Time { return recordNow }
	then := time.Date(2023, 4, 5, 2, 30, 0, 0, time.UTC)
	past := s.WithClock(func() time.Time { return then })
	u := &phoihop.Unit{Agency: "CA", Code: "CA-X", Name: "Công an huyện X", Kind: "district", ValidFrom: day(2004, 1, 1)}
	if err := past.CreateUnit(context.Background(), phoihop.SystemActor("test"), store.Domains{All: true}, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.UnitByCode(context.Background(), "CA-X")
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(then) || !s.Now().Equal(recordNow) || past.Engine() != s.Engine() {
		t.Errorf("unit created at %s (want %s); the store's clock now %s (want %s)", got.CreatedAt, then, s.Now(), recordNow)
	}
}

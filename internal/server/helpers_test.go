package server_test

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// mustUnits creates BP units (a headquarters with a border post, and a retired post) and a CA
// headquarters.
func mustUnits(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	a := phoihop.SystemActor("test")
	day := func(y int, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
	bp := &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", Kind: "headquarters", ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, bp)
	post := &phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", Border: true, ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, post)
	old := &phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-CU", Name: "Đồn Biên phòng cũ", Kind: "border_post", Border: true, ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, old)
	if _, err := s.RetireUnit(ctx, a, old.ID, day(2010, 6, 30), old.Version); err != nil {
		t.Fatalf("retire: %v", err)
	}
	mustCreateUnit(t, s, a, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh", Kind: "headquarters", ValidFrom: day(2000, 1, 1)})
}

func mustCreateUnit(t *testing.T, s *store.Store, a phoihop.Actor, u *phoihop.Unit) {
	t.Helper()
	if err := s.CreateUnit(context.Background(), a, u); err != nil {
		t.Fatalf("create unit %s: %v", u.Code, err)
	}
}

package store_test

import (
	"context"
	"fmt"
	"testing"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// BenchmarkCreateTipUnderLocks measures a tip's create, which checks the period locks of its
// agency in its transaction (two statements: the agency's row FOR KEY SHARE on PostgreSQL,
// then its active locks), with no lock and with 20 locks of other periods of its agency.
func BenchmarkCreateTipUnderLocks(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, engine)
			u := &phoihop.Unit{Agency: "BP", Code: "BP-BENCH", Name: "Đồn Biên phòng", Kind: "border_post", ValidFrom: day(2000, 1, 1)}
			if err := s.CreateUnit(ctx, phoihop.SystemActor("bench"), store.Domains{All: true}, u); err != nil {
				b.Fatal(err)
			}
			sc := scopeOf("BP")
			run := func(b *testing.B) {
				for b.Loop() {
					tip := &phoihop.Tip{ReceivedOn: day(2016, 3, 20), SourceUnitID: u.ID, Subject: "Tin", CrimeType: "drugs"}
					if err := s.CreateTip(ctx, recordActor, sc, tip); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.Run("no lock", run)
			for y := 2000; y < 2016; y++ {
				l := &phoihop.PeriodLock{Agency: "BP", From: day(y, 1, 1), To: day(y, 12, 31)}
				if err := s.CreateLock(ctx, phoihop.SystemActor("bench"), l); err != nil {
					b.Fatal(err)
				}
			}
			for m := 4; m < 8; m++ {
				l := &phoihop.PeriodLock{Agency: "BP", From: day(2016, m, 1), To: day(2016, m, 28)}
				if err := s.CreateLock(ctx, phoihop.SystemActor("bench"), l); err != nil {
					b.Fatal(err)
				}
			}
			b.Run(fmt.Sprintf("%d locks of other periods", 20), run)
		})
	}
}

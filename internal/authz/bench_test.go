package authz_test

import (
	"context"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

func BenchmarkAllowedCached(b *testing.B) {
	st := storetest.Open(b, config.SQLite)
	MustUser(b, st, "officer.bp", "officer", "BP")
	e := MustNew(b, st)
	if !e.Allowed("officer.bp", "BP", "record", "write") {
		b.Fatal("officer of BP may not record/write")
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !e.Allowed("officer.bp", "BP", "record", "write") {
				b.Fatal("denied")
			}
		}
	})
	// What the server does per request while the watcher listens: Fresh, then a check.
	b.Run("fresh", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if err := e.Fresh(ctx); err != nil || !e.Allowed("officer.bp", "BP", "record", "write") {
				b.Fatal("denied", err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if !e.Allowed("officer.bp", "BP", "record", "write") {
					b.Fatal("denied")
				}
			}
		})
	})
}

// BenchmarkAllowedUncached is the price of the first check after a reload: the cache is
// empty and Casbin compiles its matcher again.
func BenchmarkAllowedUncached(b *testing.B) {
	st := storetest.Open(b, config.SQLite)
	MustUser(b, st, "officer.bp", "officer", "BP")
	e := MustNew(b, st)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if err := e.Reload(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		e.Allowed("officer.bp", "BP", "record", "write")
	}
}

package store_test

import (
	"context"
	"testing"
	"time"

	"phoihop/internal/benchdb"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// benchFilter is the report the benchmarks make: the ten years ending today, every agency.
func benchFilter() store.SummaryFilter {
	today := phoihop.Today(time.Now())
	return store.SummaryFilter{From: today.AddDays(-3652), To: today}
}

// bareSummary runs the summary's statements through database/sql and discards the rows.
func bareSummary(ctx context.Context, st *store.Store, stmts []store.SummaryStatement) error {
	for _, s := range stmts {
		rows, err := st.DB().QueryContext(ctx, s.SQL, s.Args...)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// benchEngines runs fn as a sub-benchmark of each engine on its prepared database.
func benchEngines(b *testing.B, fn func(b *testing.B, st *store.Store)) {
	for _, engine := range []string{config.SQLite, config.Postgres} {
		b.Run(engine, func(b *testing.B) { fn(b, benchdb.Open(b, engine)) })
	}
}

// BenchmarkSummary measures Store.Summary: the SQL aggregates, scanning and assembly.
func BenchmarkSummary(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *store.Store) {
		ctx, f := context.Background(), benchFilter()
		for b.Loop() {
			if _, err := st.Summary(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSummaryBareSQL measures the same statements with the same arguments through
// *sql.DB, the rows discarded: the floor of BenchmarkSummary.
func BenchmarkSummaryBareSQL(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *store.Store) {
		stmts, err := st.SummaryStatements(benchFilter())
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for b.Loop() {
			if err := bareSummary(ctx, st, stmts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSummaryRatio alternates the two in each iteration and reports the ns/op of each
// and their ratio (store/bare; the goal is at most 1.3).
func BenchmarkSummaryRatio(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *store.Store) { summaryRatio(b, st, benchFilter()) })
}

// BenchmarkSummaryCompareRatio does the same for the summary compared with the same period a
// year before: Store.Summary with Previous against both periods' statements run bare.
func BenchmarkSummaryCompareRatio(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *store.Store) { summaryRatio(b, st, benchFilter().WithYearEarlier()) })
}

// summaryRatio alternates Store.Summary of f and its statements run bare, reporting the ns/op
// of each and their ratio.
func summaryRatio(b *testing.B, st *store.Store, f store.SummaryFilter) {
	ctx := context.Background()
	stmts, err := st.SummaryStatements(f)
	if err != nil {
		b.Fatal(err)
	}
	var inStore, bare time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := st.Summary(ctx, f); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := bareSummary(ctx, st, stmts); err != nil {
			b.Fatal(err)
		}
		inStore += t1.Sub(t0)
		bare += time.Since(t1)
		n++
	}
	b.ReportMetric(float64(inStore.Nanoseconds())/float64(n), "store-ns/op")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(n), "bare-ns/op")
	b.ReportMetric(float64(inStore)/float64(bare), "store/bare")
}

package store_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The summary benchmarks run on a large generated province kept in a database of each engine
// named by these variables; an empty database is filled on first use with the demo province
// and PHOIHOP_BENCH_SCALE × demo.ScaleBlock seizures (default 10: a million) with their cases,
// suspects, exchanges and tips, which takes minutes, so keep the database between runs:
//
//	PHOIHOP_BENCH_SQLITE=/var/tmp/phoihop_bench.db \
//	PHOIHOP_BENCH_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/phoihop_bench?sslmode=disable' \
//	go test ./internal/store/ -run '^$' -bench Summary
const (
	envBenchSQLite   = "PHOIHOP_BENCH_SQLITE"
	envBenchPostgres = "PHOIHOP_BENCH_POSTGRES_URL"
	envBenchScale    = "PHOIHOP_BENCH_SCALE"
)

var benchStores = struct {
	sync.Mutex
	m map[string]*store.Store
}{m: map[string]*store.Store{}}

// benchStore returns the prepared benchmark database of the engine, building it when empty;
// it skips when the engine's variable is unset.
func benchStore(b *testing.B, engine string) *store.Store {
	b.Helper()
	benchStores.Lock()
	defer benchStores.Unlock()
	if st := benchStores.m[engine]; st != nil {
		return st
	}
	env, url := envBenchSQLite, ""
	if engine == config.Postgres {
		env = envBenchPostgres
	}
	switch v := os.Getenv(env); {
	case v == "":
		b.Skipf("summary benchmark on %s skipped: set %s (%s=/path/bench.db, %s=postgres://…/phoihop_bench); "+
			"an empty database is filled with the demo province and %s×100,000 seizures (default 10)",
			engine, env, envBenchSQLite, envBenchPostgres, envBenchScale)
	case engine == config.SQLite:
		url = "sqlite://" + v
	default:
		url = v
	}
	n := 10
	if v := os.Getenv(envBenchScale); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("%s=%q: %v", envBenchScale, v, err)
		}
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	bulk, err := st.NewBulk(ctx, phoihop.SystemActor("bench"))
	if err != nil {
		b.Fatal(err)
	}
	counts, err := bulk.Counts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if counts.Seizures < demo.ScaleBlock {
		began := time.Now()
		_, err := demo.Load(ctx, st, demo.Options{Password: "Bench-Province-2016"})
		if err != nil && !errors.Is(err, demo.ErrAlreadyLoaded) {
			b.Fatalf("load the demo province: %v", err)
		}
		if _, err := demo.Scale(ctx, st, n, os.Stderr); err != nil {
			b.Fatalf("scale the province: %v", err)
		}
		b.Logf("%s: built the benchmark database in %s", engine, time.Since(began).Round(time.Second))
		if counts, err = bulk.Counts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: %+v", engine, counts)
	benchStores.m[engine] = st
	return st
}

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
		b.Run(engine, func(b *testing.B) { fn(b, benchStore(b, engine)) })
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
	benchEngines(b, func(b *testing.B, st *store.Store) {
		ctx, f := context.Background(), benchFilter()
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
	})
}

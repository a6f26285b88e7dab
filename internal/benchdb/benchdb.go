// Package benchdb opens the large generated province the benchmarks run on, one database per
// engine, building it on first use.
package benchdb

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

// The benchmarks run on a large generated province kept in a database of each engine
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

// URL returns the database URL of the engine's benchmark database; it skips when the
// engine's variable is unset.
func URL(b *testing.B, engine string) string {
	b.Helper()
	env := envBenchSQLite
	if engine == config.Postgres {
		env = envBenchPostgres
	}
	v := os.Getenv(env)
	switch {
	case v == "":
		b.Skipf("benchmark on %s skipped: set %s (%s=/path/bench.db, %s=postgres://…/phoihop_bench); "+
			"an empty database is filled with the demo province and %s×100,000 seizures (default 10)",
			engine, env, envBenchSQLite, envBenchPostgres, envBenchScale)
	case engine == config.SQLite:
		return "sqlite://" + v
	}
	return v
}

// Open returns the prepared benchmark database of the engine, building it when empty;
// it skips when the engine's variable is unset.
func Open(b *testing.B, engine string) *store.Store {
	b.Helper()
	benchStores.Lock()
	defer benchStores.Unlock()
	if st := benchStores.m[engine]; st != nil {
		return st
	}
	url := URL(b, engine)
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

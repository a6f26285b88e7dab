package benchdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"phoihop/internal/demo"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The growth benchmarks run on one PostgreSQL database per scale, phoihop_growth_N on the
// server PHOIHOP_BENCH_GROWTH_URL names (a user who may create databases), each holding the
// demo province and N × demo.ScaleBlock generated seizures with their records. They are built
// on first use in increasing order, each larger one copied from the one before it (CREATE
// DATABASE … TEMPLATE) and scaled by the difference, and kept between runs:
//
//	PHOIHOP_BENCH_GROWTH_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	PHOIHOP_BENCH_GROWTH_SCALES=1,3,10 go test ./internal/server/ -run '^$' -bench Growth -benchtime 1x
const (
	envGrowthURL    = "PHOIHOP_BENCH_GROWTH_URL"
	envGrowthScales = "PHOIHOP_BENCH_GROWTH_SCALES"
	growthPassword  = "Bench-Province-2016"
)

// Scaled is the growth database of one scale.
type Scaled struct {
	N   int    // the scale: N × demo.ScaleBlock generated seizures
	URL string // its database URL
}

// Growth returns the growth databases of the scales PHOIHOP_BENCH_GROWTH_SCALES lists (default
// 1,3,10), smallest first, building those missing or unfinished; it skips when
// PHOIHOP_BENCH_GROWTH_URL is unset.
func Growth(b *testing.B) []Scaled {
	b.Helper()
	server := os.Getenv(envGrowthURL)
	if server == "" {
		b.Skipf("growth benchmark skipped: set %s to a PostgreSQL server URL whose user may create databases "+
			"(postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); it builds phoihop_growth_1, _3 and _10 on "+
			"first use (minutes) and keeps them; %s=1,3 runs fewer scales", envGrowthURL, envGrowthScales)
	}
	scales, err := growthScales(os.Getenv(envGrowthScales))
	if err != nil {
		b.Fatalf("%s: %v", envGrowthScales, err)
	}
	admin, err := sql.Open("postgres", server)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var out []Scaled
	for _, n := range scales {
		s := Scaled{N: n, URL: growthURL(b, server, n)}
		if err := buildGrowth(b, admin, s, out); err != nil {
			b.Fatalf("build phoihop_growth_%d: %v", n, err)
		}
		out = append(out, s)
	}
	return out
}

// growthScales parses a list like "1,3,10" into increasing distinct scales.
func growthScales(v string) ([]int, error) {
	if v == "" {
		v = "1,3,10"
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 100 {
			return nil, fmt.Errorf("%q: give scales from 1 to 100 separated by commas", v)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// growthURL is the server URL with the database phoihop_growth_N.
func growthURL(b *testing.B, server string, n int) string {
	u, err := url.Parse(server)
	if err != nil {
		b.Fatalf("%s: %v", envGrowthURL, err)
	}
	u.Path = fmt.Sprintf("/phoihop_growth_%d", n)
	return u.String()
}

// buildGrowth makes sure the database of s holds its scale: when it does not exist it is
// copied from the largest built one before it (or created empty and given the demo province),
// then scaled by the blocks it lacks.
func buildGrowth(b *testing.B, admin *sql.DB, s Scaled, built []Scaled) error {
	ctx := context.Background()
	name := fmt.Sprintf("phoihop_growth_%d", s.N)
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	began := time.Now()
	if !exists {
		create := "CREATE DATABASE " + name
		if len(built) > 0 {
			create += fmt.Sprintf(" TEMPLATE phoihop_growth_%d", built[len(built)-1].N)
		}
		if _, err := admin.ExecContext(ctx, create); err != nil {
			return err
		}
		b.Logf("%s", create)
	}
	st, err := store.Open(ctx, s.URL)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	bulk, err := st.NewBulk(ctx, phoihop.SystemActor("bench"))
	if err != nil {
		return err
	}
	counts, err := bulk.Counts(ctx)
	if err != nil {
		return err
	}
	// The demo province holds far fewer than a block of seizures of its own.
	missing := s.N - counts.Seizures/demo.ScaleBlock
	if missing <= 0 {
		b.Logf("phoihop_growth_%d: %+v", s.N, counts)
		return nil
	}
	if _, err := demo.Load(ctx, st, demo.Options{Password: growthPassword}); err != nil && !errors.Is(err, demo.ErrAlreadyLoaded) {
		return fmt.Errorf("load the demo province: %w", err)
	}
	if _, err := demo.Scale(ctx, st, missing, os.Stderr); err != nil {
		return fmt.Errorf("scale the province: %w", err)
	}
	if counts, err = bulk.Counts(ctx); err != nil {
		return err
	}
	b.Logf("phoihop_growth_%d: added %d blocks in %s: %+v", s.N, missing, time.Since(began).Round(time.Second), counts)
	return nil
}

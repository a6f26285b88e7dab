package server_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"phoihop/internal/benchdb"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// How many times BenchmarkGrowth measures each thing per scale; it reports the median.
const (
	growthRuns       = 7
	growthExportRuns = 3
)

// growthTimes is what BenchmarkGrowth measured on one scale: medians.
type growthTimes struct {
	n                   int
	summary, listStore  time.Duration
	listPage, export    time.Duration
	exportBytes         int64
	seizures, caseCount int
}

// BenchmarkGrowth measures, on PostgreSQL at demo --scale 1, 3 and 10 in one run
// (internal/benchdb.Growth: PHOIHOP_BENCH_GROWTH_URL, PHOIHOP_BENCH_GROWTH_SCALES), how the cost
// of the report's summary (Store.Summary of the last ten years compared with the year before,
// as the report page asks), of the case list's first page (the store query ListCases as an
// officer of BP sees it, and the page through the router) and of the full ten-year workbook
// download through HTTP grows: the median of each per scale, and the growth exponent between
// scales log(t_b/t_a)/log(b/a) (1: linear, below 1: sub-linear, 0: flat).
//
//	PHOIHOP_BENCH_GROWTH_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//	go test ./internal/server/ -run '^$' -bench Growth -benchtime 1x -timeout 60m
func BenchmarkGrowth(b *testing.B) {
	dbs := benchdb.Growth(b)
	for b.Loop() {
		var all []growthTimes
		for _, db := range dbs {
			all = append(all, growthMeasure(b, db))
		}
		growthReport(b, all)
	}
}

// growthMeasure measures the summary, the case list and the export on one scale's database.
func growthMeasure(b *testing.B, db benchdb.Scaled) growthTimes {
	ctx := context.Background()
	st, err := store.Open(ctx, db.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	g := growthTimes{n: db.N}
	if err := st.DB().QueryRow(`SELECT (SELECT count(*) FROM seizures), (SELECT count(*) FROM cases)`).Scan(&g.seizures, &g.caseCount); err != nil {
		b.Fatal(err)
	}
	today := phoihop.Today(time.Now())
	tenYears := store.SummaryFilter{From: today.AddDays(-3652), To: today}
	compared := tenYears.WithYearEarlier()
	g.summary = growthMedian(b, growthRuns, func() error {
		_, err := st.Summary(ctx, compared)
		return err
	})
	sc := store.Scope{Read: []string{"BP"}, Write: []string{"BP"}}
	g.listStore = growthMedian(b, growthRuns, func() error {
		items, _, err := st.ListCases(ctx, sc, store.CaseFilter{Limit: 50})
		if err == nil && len(items) == 0 {
			err = fmt.Errorf("the case list is empty")
		}
		return err
	})
	// Both accounts exist before the application starts, so its policy holds both roles.
	benchSession(b, st, "bench.leader", "leader@*")
	h, officerCookie := benchSession(b, st, "bench.officer.bp", "officer@BP")
	leaderCookie := signIn(b, h, "bench.leader", testPassword)
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{}
	g.listPage = growthMedian(b, growthRuns, func() error {
		return growthGet(client, srv.URL+"/cases", officerCookie)
	})
	url := fmt.Sprintf("%s/reports/summary.xlsx?from=%s&to=%s", srv.URL, tenYears.From, tenYears.To)
	g.export = growthMedian(b, growthExportRuns, func() error {
		g.exportBytes = benchDownload(b, url, leaderCookie)
		return nil
	})
	b.Logf("scale %d (%d seizures, %d cases): summary %s, case list store %s, page %s, export %s (%.1f MB)",
		g.n, g.seizures, g.caseCount, g.summary.Round(time.Millisecond), g.listStore.Round(100*time.Microsecond),
		g.listPage.Round(100*time.Microsecond), g.export.Round(10*time.Millisecond), float64(g.exportBytes)/1e6)
	return g
}

// growthGet gets url with the cookie and reads the answer, which must be 200.
func growthGet(client *http.Client, url string, cookie *http.Cookie) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	req.AddCookie(cookie)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var buf [32 << 10]byte
	n := 0
	for {
		k, err := res.Body.Read(buf[:])
		n += k
		if err != nil {
			break
		}
	}
	if res.StatusCode != http.StatusOK || n == 0 {
		return fmt.Errorf("GET %s = %d, %d bytes", url, res.StatusCode, n)
	}
	return nil
}

// growthMedian runs fn once to warm the caches, then runs times more, and returns the
// median time.
func growthMedian(b *testing.B, runs int, fn func() error) time.Duration {
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	ts := make([]time.Duration, runs)
	for i := range ts {
		began := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ts[i] = time.Since(began)
	}
	slices.Sort(ts)
	return ts[runs/2]
}

// growthExponent is log(tb/ta)/log(nb/na): how the time grows with the scale.
func growthExponent(ta, tb time.Duration, na, nb int) float64 {
	return math.Log(float64(tb)/float64(ta)) / math.Log(float64(nb)/float64(na))
}

// growthReport reports the times per scale and the growth exponents between consecutive
// scales and between the first and the last.
func growthReport(b *testing.B, all []growthTimes) {
	kinds := []struct {
		name string
		of   func(growthTimes) time.Duration
	}{
		{"summary", func(g growthTimes) time.Duration { return g.summary }},
		{"list-store", func(g growthTimes) time.Duration { return g.listStore }},
		{"list-page", func(g growthTimes) time.Duration { return g.listPage }},
		{"export", func(g growthTimes) time.Duration { return g.export }},
	}
	for _, g := range all {
		for _, k := range kinds {
			b.ReportMetric(ms(k.of(g)), fmt.Sprintf("%s-ms@%d", k.name, g.n))
		}
		b.ReportMetric(float64(g.exportBytes)/1e6, fmt.Sprintf("export-MB@%d", g.n))
	}
	type pair struct{ a, b growthTimes }
	var pairs []pair
	for i := 1; i < len(all); i++ {
		pairs = append(pairs, pair{all[i-1], all[i]})
	}
	if len(all) > 2 {
		pairs = append(pairs, pair{all[0], all[len(all)-1]})
	}
	for _, p := range pairs {
		line := fmt.Sprintf("growth exponent %d→%d:", p.a.n, p.b.n)
		for _, k := range kinds {
			e := growthExponent(k.of(p.a), k.of(p.b), p.a.n, p.b.n)
			b.ReportMetric(e, fmt.Sprintf("%s-exp-%dto%d", k.name, p.a.n, p.b.n))
			line += fmt.Sprintf(" %s %.2f", k.name, e)
		}
		b.Log(line)
	}
}

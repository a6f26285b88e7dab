package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"phoihop/internal/benchdb"
	"phoihop/internal/config"
	"phoihop/internal/store"
)

// The fixed-rate load of BenchmarkPages: pagesRate requests a second for pagesDuration,
// after pagesWarmup at the same rate that is not measured.
const (
	pagesRate     = 20
	pagesDuration = 10 * time.Second
	pagesWarmup   = 2 * time.Second
)

// BenchmarkPages measures the case list (first page, default order) and a case page (a case
// BP reads with arrests and seizures at the 90th percentile) under a fixed-rate, open-loop
// load through HTTP on the generated province (internal/benchdb: PHOIHOP_BENCH_SQLITE,
// PHOIHOP_BENCH_POSTGRES_URL), signed in as an officer of BP, against a bare net/http handler
// sending the very statements the page sent (recorded from one request, pageStatements: its
// data, the header's unread count included) on the same pool and writing the rows as plain
// text. Each request leaves at its scheduled time in a goroutine of its own
// and its latency counts from that time, so a slow answer delays none of the next requests
// and queueing shows in the figures. It reports the p50 and p99 of both and the ratio of the
// p99s (goal ≤ 1.5).
//
//	go test ./internal/server/ -run '^$' -bench Pages -benchtime 1x
func BenchmarkPages(b *testing.B) {
	for _, engine := range []string{config.SQLite, config.Postgres} {
		b.Run(engine, func(b *testing.B) {
			caseID := benchBusyCase(b, benchdb.Open(b, engine))
			st, err := store.OpenDriver(context.Background(), benchdb.URL(b, engine), countingDriver(b, engine))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			h, cookie := benchSession(b, st, "bench.officer.bp", "officer@BP")
			app := httptest.NewServer(h)
			defer app.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			for _, p := range []struct{ name, path string }{
				{"list", "/cases"},
				{"case", "/cases/" + strconv.FormatInt(caseID, 10)},
			} {
				b.Run(p.name, func(b *testing.B) {
					bare := httptest.NewServer(replayStatements(st.DB(), pageStatements(b, h, p.path, cookie)))
					defer bare.Close()
					for b.Loop() {
						appLat := fixedRate(b, client, app.URL+p.path, cookie)
						bareLat := fixedRate(b, client, bare.URL+p.path, nil)
						b.ReportMetric(ms(percentile(appLat, 50)), "app-p50-ms")
						b.ReportMetric(ms(percentile(appLat, 99)), "app-p99-ms")
						b.ReportMetric(ms(percentile(bareLat, 50)), "bare-p50-ms")
						b.ReportMetric(ms(percentile(bareLat, 99)), "bare-p99-ms")
						b.ReportMetric(float64(percentile(appLat, 99))/float64(percentile(bareLat, 99)), "p99-app/bare")
					}
				})
			}
		})
	}
}

// benchBusyCase returns the newest case BP reads with at least 60 seizures and 14 arrests,
// the 90th percentile of the generated province's cases.
func benchBusyCase(b *testing.B, st *store.Store) int64 {
	var id int64
	err := st.DB().QueryRow(`SELECT c.id FROM cases c
		WHERE c.deleted_at IS NULL AND EXISTS (SELECT 1 FROM case_agencies r WHERE r.case_id = c.id AND r.agency = 'BP')
		AND (SELECT count(*) FROM seizures z WHERE z.case_id = c.id AND z.deleted_at IS NULL) >= 60
		AND (SELECT count(*) FROM suspects p WHERE p.case_id = c.id AND p.deleted_at IS NULL) >= 14
		ORDER BY c.id DESC LIMIT 1`).Scan(&id)
	if err != nil {
		b.Fatalf("a case with many seizures and arrests: %v", err)
	}
	return id
}

// fixedRate sends GET url at pagesRate for pagesWarmup, then for pagesDuration measured, and
// returns the latencies of the measured requests from their scheduled times.
func fixedRate(b *testing.B, client *http.Client, url string, cookie *http.Cookie) []time.Duration {
	get := func() error {
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return err
		}
		if cookie != nil {
			req.AddCookie(cookie)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		n, err := io.Copy(io.Discard, res.Body)
		if err == nil && (res.StatusCode != http.StatusOK || n == 0) {
			err = fmt.Errorf("GET %s = %d, %d bytes", url, res.StatusCode, n)
		}
		return err
	}
	warm, measured := int(pagesWarmup.Seconds()*pagesRate), int(pagesDuration.Seconds()*pagesRate)
	lat := make([]time.Duration, warm+measured)
	errs := make([]error, len(lat))
	start := time.Now()
	var wg sync.WaitGroup
	for i := range lat {
		at := start.Add(time.Duration(i) * time.Second / pagesRate)
		time.Sleep(time.Until(at))
		wg.Go(func() {
			errs[i] = get()
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	return lat[warm:]
}

// percentile returns the p-th percentile (nearest rank) of the latencies.
func percentile(lat []time.Duration, p int) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[max(0, (len(s)*p+99)/100-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

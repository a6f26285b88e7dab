package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
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

// BenchmarkPages measures the case list (first page, default order), a case page (a case BP
// reads with arrests and seizures at the 90th percentile), the inbox and the request list
// (first page, newest first) under a fixed-rate, open-loop load through HTTP on the generated
// province (internal/benchdb: PHOIHOP_BENCH_SQLITE, PHOIHOP_BENCH_POSTGRES_URL), signed in as
// an officer of BP, against a bare net/http handler sending the very statements the page sent
// (recorded from one request, pageStatements: its data, the header's unread count included) on
// the same pool and writing the rows as plain text. Each request leaves at its scheduled time
// in a goroutine of its own and its latency counts from that time, so a slow answer delays
// none of the next requests and queueing shows in the figures. It reports the p50 and p99 of
// both and the ratio of the p99s (goal ≤ 1.5).
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
				{"inbox", "/inbox"},
				{"requests", "/requests"},
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

// pageStatements gets path with the cookie through h (on a store opened with countingDriver)
// once to warm what the application caches and once recorded, and returns the statements of
// the recorded request that read the page's data: its SELECTs, without those of the session,
// the account and the authorization policy.
func pageStatements(b *testing.B, h http.Handler, path string, cookie *http.Cookie) []sentStatement {
	b.Helper()
	get := func(ctx context.Context) {
		r := httptest.NewRequestWithContext(ctx, "GET", path, nil)
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s = %d\n%s", path, w.Code, w.Body)
		}
	}
	get(context.Background())
	st := &statements{}
	get(context.WithValue(context.Background(), statementsKey{}, st))
	var data []sentStatement
	for _, s := range st.sent {
		q := strings.ToLower(strings.Join(strings.Fields(s.query), " "))
		if !strings.HasPrefix(q, "select") {
			continue
		}
		if strings.Contains(q, "from sessions") || strings.Contains(q, "from users") || strings.Contains(q, "casbin_rule") {
			continue
		}
		data = append(data, s)
	}
	if len(data) == 0 {
		b.Fatalf("GET %s sent no data statement: %q", path, st.sql)
	}
	for _, s := range data {
		b.Logf("GET %s: %s %v", path, strings.Join(strings.Fields(s.query), " "), s.args)
	}
	return data
}

// replayStatements is a bare handler that sends the statements with their arguments on db
// and writes every row as a line of tab-separated values, whatever the path.
func replayStatements(db *sql.DB, sent []sentStatement) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, s := range sent {
			if _, err := writeRows(r.Context(), w, db, s.query, s.args...); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
	})
}

// writeRows sends the query and writes its rows as lines of tab-separated values; it returns
// the first column of each row.
func writeRows(ctx context.Context, w io.Writer, db *sql.DB, query string, args ...any) ([]string, error) {
	r, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var first []string
	line := make([]byte, 0, 512)
	for r.Next() {
		if err := r.Scan(ptrs...); err != nil {
			return nil, err
		}
		line = line[:0]
		for i, v := range vals {
			if i > 0 {
				line = append(line, '\t')
			}
			line = append(line, v...)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return nil, err
		}
		first = append(first, string(vals[0]))
	}
	return first, r.Err()
}

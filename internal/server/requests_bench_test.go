package server_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"phoihop/internal/benchdb"
	"phoihop/internal/config"
	"phoihop/internal/store"
)

// BenchmarkRequestPages measures the inbox and the request list (first page, newest first)
// of an officer of BP on the generated province (internal/benchdb) under the fixed-rate,
// open-loop load of BenchmarkPages, against a bare net/http handler that sends the very
// statements the page sent, with their arguments, on the same connection pool and writes the
// rows as plain text. The statements are recorded from one request of the page through a
// driver that wraps the engine's own; the bare handler replays those that read the page's
// data (every SELECT but the session's, the account's and the policy's), the header's unread
// count included, so it holds no session, authorization, template or struct scanning.
//
//	go test ./internal/server/ -run '^$' -bench RequestPages -benchtime 1x
func BenchmarkRequestPages(b *testing.B) {
	for _, engine := range []string{config.SQLite, config.Postgres} {
		b.Run(engine, func(b *testing.B) {
			benchdb.Open(b, engine) // builds the province when the database is empty
			ctx := context.Background()
			st, err := store.OpenDriver(ctx, benchdb.URL(b, engine), countingDriver(b, engine))
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
				{"inbox", "/inbox"},
				{"list", "/requests"},
			} {
				b.Run(p.name, func(b *testing.B) {
					sent := pageStatements(b, h, p.path, cookie)
					bare := httptest.NewServer(replayStatements(st.DB(), sent))
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

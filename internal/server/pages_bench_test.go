package server_test

import (
	"context"
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

	"github.com/jmoiron/sqlx"

	"phoihop/internal/benchdb"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
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
// sending the same SQL statements the store sends for the page on the same pool and writing
// the rows as plain text. Each request leaves at its scheduled time in a goroutine of its own
// and its latency counts from that time, so a slow answer delays none of the next requests
// and queueing shows in the figures. It reports the p50 and p99 of both and the ratio of the
// p99s (goal ≤ 1.5).
//
//	go test ./internal/server/ -run '^$' -bench Pages -benchtime 1x
func BenchmarkPages(b *testing.B) {
	for _, engine := range []string{config.SQLite, config.Postgres} {
		b.Run(engine, func(b *testing.B) {
			st := benchdb.Open(b, engine)
			h, cookie := benchSession(b, st, "bench.officer.bp", "officer@BP")
			app := httptest.NewServer(h)
			defer app.Close()
			caseID := benchBusyCase(b, st)
			bare := httptest.NewServer(bareCasePages(st))
			defer bare.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			for _, p := range []struct{ name, path string }{
				{"list", "/cases"},
				{"case", "/cases/" + strconv.FormatInt(caseID, 10)},
			} {
				b.Run(p.name, func(b *testing.B) {
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

// bareCasePages serves GET /cases and GET /cases/{id} for an officer of BP with only the SQL
// statements the store sends for those pages (internal/store: ListCases, CaseByID,
// SuspectsOfCase, SeizuresOfCase, Agencies, CrimeTypes, Units, ItemCategories, copied with
// BP's scope and the default filter), each row written as a line of tab-separated values:
// the least the pages' data costs, without session, authorization, templates or scanning
// into structs.
func bareCasePages(st *store.Store) http.Handler {
	db := st.DB()
	bind := sqlx.BindType(st.DriverName())
	const (
		caseCols = `c.id, c.code, c.title, c.crime_type, c.lead_agency, c.lead_unit, c.agreement_id, c.area, c.opened_on,
			c.closed_on, c.status, c.summary, c.deleted_at, c.deleted_by, c.delete_reason,
			c.version, c.created_at, c.created_by, c.updated_at, c.updated_by`
		readable = `EXISTS (SELECT 1 FROM case_agencies r WHERE r.case_id = c.id AND r.agency IN (?)) AND c.deleted_at IS NULL`
		visible  = `EXISTS (SELECT 1 FROM case_agencies ca WHERE ca.case_id = c.id AND ca.agency IN (?)) AND c.deleted_at IS NULL`
		agencies = `SELECT code, name_vi, name_en, sort_order FROM agencies ORDER BY sort_order`
		crimes   = `SELECT code, name_vi, name_en, sort_order FROM crime_types ORDER BY sort_order`
		caseAgcy = `SELECT p.case_id, p.agency FROM case_agencies p JOIN agencies a ON a.code = p.agency
			WHERE p.case_id IN (%s) ORDER BY p.case_id, a.sort_order`
	)
	// rows sends a query and writes its rows; it returns the first column of each row.
	rows := func(ctx context.Context, w io.Writer, q string, args ...any) ([]string, error) {
		return writeRows(ctx, w, db, sqlx.Rebind(bind, q), args...)
	}
	placeholders := func(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
	ids := func(s []string) []any {
		out := make([]any, len(s))
		for i, v := range s {
			out[i], _ = strconv.ParseInt(v, 10, 64)
		}
		return out
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		err := func() error {
			if _, err := rows(ctx, w, agencies); err != nil {
				return err
			}
			if _, err := rows(ctx, w, crimes); err != nil {
				return err
			}
			if _, err := rows(ctx, w, `SELECT count(*) FROM cases c WHERE `+readable, "BP"); err != nil {
				return err
			}
			list, err := rows(ctx, w, `SELECT `+caseCols+`, u.name AS lead_unit_name, u.code AS lead_unit_code,
				(SELECT count(*) FROM suspects sp WHERE sp.case_id = c.id AND sp.deleted_at IS NULL) AS suspect_count,
				(SELECT count(*) FROM seizures sz WHERE sz.case_id = c.id AND sz.deleted_at IS NULL) AS seizure_count
				FROM cases c JOIN units u ON u.id = c.lead_unit JOIN agencies la ON la.code = c.lead_agency
				WHERE `+readable+` ORDER BY c.opened_on DESC, c.id DESC LIMIT ? OFFSET ?`, "BP", 50, 0)
			if err != nil || len(list) == 0 {
				return err
			}
			_, err = rows(ctx, w, fmt.Sprintf(caseAgcy, placeholders(len(list))), ids(list)...)
			return err
		}()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		check := `SELECT count(*) FROM cases c WHERE c.id = ? AND ` + visible
		today := phoihop.Today(time.Now())
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`SELECT ` + caseCols + `, u.name AS lead_unit_name, u.code AS lead_unit_code, g.number AS agreement_number,
				g.title AS agreement_title FROM cases c JOIN units u ON u.id = c.lead_unit
				LEFT JOIN agreements g ON g.id = c.agreement_id WHERE c.id = ? AND ` + readable, []any{id, "BP"}},
			{fmt.Sprintf(caseAgcy, "?"), []any{id}},
			{check, []any{id, "BP"}},
			{`SELECT p.id, p.case_id, p.agency, p.full_name, p.birth_year, p.gender, p.nationality, p.id_number, p.address,
				p.arrested_on, p.arresting_unit, p.notes, p.deleted_at, p.deleted_by, p.delete_reason,
				p.version, p.created_at, p.created_by, p.updated_at, p.updated_by, u.code AS unit_code, u.name AS unit_name
				FROM suspects p JOIN cases c ON c.id = p.case_id JOIN units u ON u.id = p.arresting_unit
				WHERE p.case_id = ? AND ` + visible + ` AND p.deleted_at IS NULL ORDER BY p.arrested_on, p.id`, []any{id, "BP"}},
			{check, []any{id, "BP"}},
			{`SELECT z.id, z.case_id, z.agency, z.category, z.quantity_milli, z.seized_on, z.seizing_unit, z.location_type,
				z.transport_mode, z.departure_country, z.destination_country, z.description, z.deleted_at, z.deleted_by,
				z.delete_reason, z.version, z.created_at, z.created_by, z.updated_at, z.updated_by,
				ic.name_vi AS category_name_vi, ic.name_en AS category_name_en, ic.unit AS category_unit,
				u.code AS unit_code, u.name AS unit_name
				FROM seizures z JOIN cases c ON c.id = z.case_id JOIN item_categories ic ON ic.code = z.category
				JOIN units u ON u.id = z.seizing_unit
				WHERE z.case_id = ? AND ` + visible + ` AND z.deleted_at IS NULL ORDER BY z.seized_on, ic.sort_order, z.id`, []any{id, "BP"}},
			{agencies, nil},
			{crimes, nil},
			{`SELECT u.id, u.agency, u.parent_id, u.code, u.name, u.kind, u.border, u.valid_from, u.valid_to, u.version,
				u.created_at, u.created_by, u.updated_at, u.updated_by FROM units u JOIN agencies a ON a.code = u.agency
				WHERE (u.valid_from IS NULL OR u.valid_from <= ?) AND (u.valid_to IS NULL OR u.valid_to >= ?) ORDER BY a.sort_order, u.name, u.id`, []any{today, today}},
			{`SELECT code, item_group, name_vi, name_en, unit, drug_name, sort_order FROM item_categories ORDER BY sort_order`, nil},
		} {
			if _, err := rows(ctx, w, q.sql, q.args...); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
	})
	return mux
}

package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"phoihop/internal/benchdb"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// BenchmarkReportDownload measures the workbook download from the database through HTTP on the
// generated province (internal/benchdb: PHOIHOP_BENCH_SQLITE, PHOIHOP_BENCH_POSTGRES_URL) for
// the last year (≈ 100 k seizures) and the last ten years (≈ 1 M), against a bare excelize
// StreamWriter writing the same rows, read from the database beforehand, from memory. It
// reports the detail rows, the rows/s of both, their ratio (goal ≥ 0.7) and the peak live heap
// growth during the download (goal: flat from 100 k to 1 M rows).
//
//	go test ./internal/server/ -run '^$' -bench ReportDownload -benchtime 1x
func BenchmarkReportDownload(b *testing.B) {
	for _, engine := range []string{config.SQLite, config.Postgres} {
		b.Run(engine, func(b *testing.B) {
			st := benchdb.Open(b, engine)
			h, cookie := benchSession(b, st, "bench.leader", "leader@*")
			srv := httptest.NewServer(h)
			defer srv.Close()
			today := phoihop.Today(time.Now())
			for _, p := range []struct {
				name string
				days int
			}{{"1year", 365}, {"10years", 3652}} {
				f := store.SummaryFilter{From: today.AddDays(-p.days), To: today}
				b.Run(p.name, func(b *testing.B) {
					url := fmt.Sprintf("%s/reports/summary.xlsx?from=%s&to=%s", srv.URL, f.From, f.To)
					var dl, bare time.Duration
					var rows int
					var peak uint64
					for b.Loop() {
						var size int64
						d, heap := measureHeap(func() { size = benchDownload(b, url, cookie) })
						dl, peak = dl+d, max(peak, heap)
						sheets := benchRows(b, st, f)
						rows = 0
						for _, s := range sheets {
							rows += len(s.rows)
						}
						began := time.Now()
						benchBareWorkbook(b, sheets)
						bare += time.Since(began)
						b.ReportMetric(float64(size)/1e6, "MB-file")
					}
					n := float64(b.N)
					dlRate, bareRate := float64(rows)*n/dl.Seconds(), float64(rows)*n/bare.Seconds()
					b.ReportMetric(float64(rows), "rows")
					b.ReportMetric(dlRate, "download-rows/s")
					b.ReportMetric(bareRate, "bare-rows/s")
					b.ReportMetric(dlRate/bareRate, "download/bare")
					b.ReportMetric(float64(peak)/1e6, "MB-peak-live-heap")
				})
			}
		})
	}
}

// benchSession makes (once) the user with the role ("role@DOMAIN") on the benchmark database
// and returns the application and the user's session cookie.
func benchSession(b *testing.B, st *store.Store, name, role string) (http.Handler, *http.Cookie) {
	_, err := st.UserByUsername(context.Background(), name)
	if phoihop.ErrorCode(err) == phoihop.ENotFound {
		mustUser(b, st, name, role)
	} else if err != nil {
		b.Fatal(err)
	}
	srv, _, _ := newServer(b, st)
	return srv.Handler(), signIn(b, srv.Handler(), name, testPassword)
}

// benchDownload downloads url over HTTP to io.Discard and returns the file's size.
func benchDownload(b *testing.B, url string, cookie *http.Cookie) int64 {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.AddCookie(cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("download = %d, %d bytes: %v", res.StatusCode, n, err)
	}
	return n
}

// measureHeap runs fn and returns how long it took and the largest live heap (marked live by
// a garbage collection) above its level at the start, sampled every 20 ms: what the download
// holds, without the garbage waiting for the next collection.
func measureHeap(fn func()) (time.Duration, uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := live()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				peak = max(peak, live())
			}
		}
	})
	began := time.Now()
	fn()
	d := time.Since(began)
	close(done)
	wg.Wait()
	return d, peak - base
}

// benchSheet is one detail sheet's rows held in memory for the bare baseline.
type benchSheet struct {
	name string
	rows [][]any
}

// benchRows reads the rows of the workbook's detail sheets into memory, cell values as the
// workbook writes them (text, dates as serial numbers, quantities as numbers).
func benchRows(b *testing.B, st *store.Store, f store.SummaryFilter) []benchSheet {
	ctx := context.Background()
	x := store.Export{Store: st, Filter: f, Scope: store.Scope{Read: []string{"CA", "BP", "CSB", "HQ"}}}
	day := func(d phoihop.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.Time().Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
	}
	var cases, seizures, suspects, exchanges, tips [][]any
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(x.Cases(ctx, func(r *store.CaseRow) error {
		cases = append(cases, []any{r.Code, r.Title, r.CrimeType, r.Area, r.Status, r.LeadAgency.NameVI, r.LeadParentUnit,
			r.LeadUnit, r.Agencies, r.AgreementNumber, day(r.OpenedOn), day(r.ClosedOn), r.Suspects, r.Summary})
		return nil
	}))
	must(x.Seizures(ctx, func(r *store.SeizureRow) error {
		seizures = append(seizures, []any{day(r.SeizedOn), r.CaseCode, r.CaseTitle, r.Group, r.CategoryVI, r.Quantity.Float(),
			r.Unit, r.Agency.NameVI, r.ParentUnit, r.SeizingUnit, r.LocationType, r.TransportMode, r.Departure, r.Destination, r.Description})
		return nil
	}))
	must(x.Suspects(ctx, func(r *store.SuspectRow) error {
		suspects = append(suspects, []any{day(r.ArrestedOn), r.CaseCode, r.FullName, r.BirthYear, r.Gender, r.Nationality,
			r.IDNumber, r.Address, r.Agency.NameVI, r.ParentUnit, r.ArrestingUnit, r.Notes})
		return nil
	}))
	must(x.Exchanges(ctx, func(r *store.ExchangeRow) error {
		exchanges = append(exchanges, []any{day(r.HeldOn), r.Kind, r.Organizer.NameVI, r.OrganizingUnit, r.Units, r.Summary})
		return nil
	}))
	must(x.Tips(ctx, func(r *store.TipRow) error {
		tips = append(tips, []any{day(r.ReceivedOn), r.Agency.NameVI, r.SourceUnit, day(r.ExchangeHeldOn), r.Subject,
			r.CrimeType, r.Status, day(r.VerifiedOn), r.CaseCode})
		return nil
	}))
	return []benchSheet{{"cases", cases}, {"seizures", seizures}, {"suspects", suspects}, {"exchanges", exchanges}, {"tips", tips}}
}

// benchBareWorkbook writes the sheets with excelize's StreamWriter, a header row and the rows,
// and saves the file to io.Discard: the least any workbook of these rows costs.
func benchBareWorkbook(b *testing.B, sheets []benchSheet) {
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range sheets {
		if _, err := f.NewSheet(s.name); err != nil {
			b.Fatal(err)
		}
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.rows) == 0 {
			continue
		}
		header := make([]any, len(s.rows[0]))
		for i := range header {
			header[i] = fmt.Sprintf("column %d", i+1)
		}
		if err := sw.SetRow("A1", header); err != nil {
			b.Fatal(err)
		}
		for i, r := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, r); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Write(io.Discard); err != nil {
		b.Fatal(err)
	}
}

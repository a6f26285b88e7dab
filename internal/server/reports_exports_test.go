package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/exports"
	"phoihop/internal/httpd"
	"phoihop/internal/jobs"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// apiExportJSON is a report export as the API answers it.
type apiExportJSON struct {
	ID        int64  `json:"id"`
	State     string `json:"state"`
	RowsDone  int64  `json:"rows_done"`
	RowsTotal int64  `json:"rows_total"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	FileURL   string `json:"file_url"`
	ExpiresAt string `json:"expires_at"`
	Error     string `json:"error"`
}

// startExportQueue runs the report exports of s in a job queue polling every 50 ms, as serve
// does, until the test ends.
func startExportQueue(t *testing.T, s *store.Store, workers int) {
	t.Helper()
	q := jobs.NewQueue(s.DB(), s.Engine(), jobs.Config{PollInterval: 50 * time.Millisecond})
	if err := exports.Register(q, s, exports.Config{Workers: workers, ProgressEvery: 2}); err != nil {
		t.Fatal(err)
	}
	startQueue(t, q)
}

func startQueue(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
}

// waitExport reads the export through the API until its state is want (30 s at most).
func waitExport(t *testing.T, a *apiClient, id int64, want string) apiExportJSON {
	t.Helper()
	var e apiExportJSON
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		a.want(http.StatusOK, &e, "GET", fmt.Sprintf("/api/v1/reports/exports/%d", id), nil)
		if e.State == want {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("export %d is %+v after 30 s, want %s", id, e, want)
		}
	}
}

// getWith sends a GET with the bearer token of a and the headers (name, value pairs).
func getWith(t *testing.T, a *apiClient, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+a.token)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return do(t, a.h, r)
}

// TestReportExportAPI asks for a workbook through the API, follows it to done and downloads
// it: the bytes are those of the direct download of the same report, a range answers its
// slice, another user and an expired export answer 404.
func TestReportExportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.bp")
		before := auditCount(t, s, "report.download")
		var x apiExportJSON
		res, body := leader.do("POST", "/api/v1/reports/exports", map[string]string{"from": "2015-01-01", "to": "2016-05-12", "lang": "vi"})
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("POST exports = %d: %s", res.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil || x.ID == 0 || x.State != "queued" || x.FileURL != "" {
			t.Fatalf("POST exports answered %s (%v), want a queued export", body, err)
		}
		path := fmt.Sprintf("/api/v1/reports/exports/%d", x.ID)
		if loc := res.Header.Get("Location"); loc != path {
			t.Errorf("Location = %q, want %q", loc, path)
		}
		if n := auditCount(t, s, "report.download"); n != before+1 {
			t.Errorf("report.download entries = %d, want %d", n, before+1)
		}
		// No worker yet: the file is not there.
		leader.want(http.StatusConflict, nil, "GET", path+".xlsx", nil)
		leader.want(http.StatusBadRequest, nil, "POST", "/api/v1/reports/exports", map[string]string{"from": "2016-05-12", "to": "2015-01-01"})
		leader.want(http.StatusBadRequest, nil, "POST", "/api/v1/reports/exports", map[string]string{"agency": "XX"})

		startExportQueue(t, s, 2)
		x = waitExport(t, leader, x.ID, "done")
		if x.RowsTotal == 0 || x.RowsDone != x.RowsTotal || x.FileURL != path+".xlsx" || x.ExpiresAt != "2016-05-13T08:00:00Z" {
			t.Errorf("done export = %+v, want every row written, the file's address and expiry 24 h later", x)
		}
		res, file := getWith(t, leader, path+".xlsx")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != httpd.XLSXMedia {
			t.Fatalf("GET .xlsx = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		sum := sha256.Sum256([]byte(file))
		if etag := res.Header.Get("ETag"); etag != `"`+hex.EncodeToString(sum[:])+`"` || x.SHA256 != hex.EncodeToString(sum[:]) ||
			x.Size != int64(len(file)) {
			t.Errorf("ETag %s, export %+v; want the SHA-256 and size of the %d bytes", etag, x, len(file))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="bao-cao-tong-hop_2015-01-01_2016-05-12.xlsx"`) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		// The same report downloaded at once, by the same leader, is the same workbook.
		_, direct := e.getAs(t, e.leader, "", "/reports/summary.xlsx?from=2015-01-01&to=2016-05-12&lang=vi")
		// (excelize lists the content types in a map's order: that part is compared as a set.)
		if a, b := xlsxParts(t, file), xlsxParts(t, direct); !maps.Equal(a, b) {
			t.Errorf("the export's parts differ from the direct download's")
		}
		res, part := getWith(t, leader, path+".xlsx", "Range", "bytes=100-199")
		if res.StatusCode != http.StatusPartialContent || part != file[100:200] ||
			res.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(file)) {
			t.Errorf("Range 100-199 = %d %q, %d bytes; want 206 with the slice", res.StatusCode, res.Header.Get("Content-Range"), len(part))
		}
		if res, _ := getWith(t, leader, path+".xlsx", "If-None-Match", `"`+x.SHA256+`"`); res.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match = %d, want 304", res.StatusCode)
		}

		// Another user, even one reading every agency, does not see it.
		other := apiSignIn(t, e.h, "leader.all")
		other.want(http.StatusNotFound, nil, "GET", path, nil)
		other.want(http.StatusNotFound, nil, "GET", path+".xlsx", nil)
		officer := apiSignIn(t, e.h, "officer.bp")
		officer.want(http.StatusForbidden, nil, "GET", path, nil)

		// 24 hours after it was done, it is gone.
		e.clock.Add(24*time.Hour - time.Second)
		leader = apiSignIn(t, e.h, "leader.bp") // the sessions of the day before have expired
		leader.want(http.StatusOK, nil, "GET", path+".xlsx", nil)
		e.clock.Add(time.Second)
		leader.want(http.StatusNotFound, nil, "GET", path, nil)
		leader.want(http.StatusNotFound, nil, "GET", path+".xlsx", nil)
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM report_exports").Scan(&n); err != nil || n != 0 {
			t.Errorf("report_exports rows = %d (%v), want the expired one deleted", n, err)
		}
	})
}

// TestReportExportPage: over the threshold the report page's download asks for an export;
// its page shows the progress and refreshes itself, then offers the file; another user gets
// 404.
func TestReportExportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		_, page := e.getAs(t, e.leader, "", "/reports?"+reportPeriodQuery)
		if strings.Contains(page, `action="/reports/exports"`) || !strings.Contains(page, `href="/reports/summary.xlsx?`) {
			t.Fatal("under the threshold the page does not link the direct download")
		}
		srv, _, logs := newServerWith(t, s, func(d *httpd.Deps) { d.ExportThreshold = 3 })
		defer func() {
			if t.Failed() {
				t.Log(logs.String())
			}
		}()
		h := srv.Handler()
		cookie := signIn(t, h, "leader.bp", testPassword)
		get := func(c *http.Cookie, path string) (*http.Response, string) {
			r := httptest.NewRequest("GET", path, nil)
			r.AddCookie(c)
			return do(t, h, r)
		}
		_, page = get(cookie, "/reports?"+reportPeriodQuery)
		if !strings.Contains(page, `action="/reports/exports"`) || strings.Contains(page, `href="/reports/summary.xlsx?`) {
			t.Fatalf("over the threshold the page has no export form:\n%s", page)
		}
		form := url.Values{}
		for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
			form.Set(m[1], html.UnescapeString(m[2]))
		}
		if form.Get("from") != "2015-01-01" || form.Get("to") != "2016-05-12" || form.Get("lang") != "vi" {
			t.Fatalf("export form fields = %v", form)
		}
		res, _ := postForm(t, h, "/reports/exports", form, cookie)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/reports/exports/\d+$`).MatchString(loc) {
			t.Fatalf("POST /reports/exports = %d to %q", res.StatusCode, loc)
		}
		res, page = get(cookie, loc)
		for _, want := range []string{`<meta http-equiv="refresh" content="2">`, `<progress id="export-progress"`, "Đang chờ tạo tệp",
			"01/01/2015 – 12/05/2016"} {
			if res.StatusCode != http.StatusOK || !strings.Contains(page, want) {
				t.Fatalf("queued export page = %d, lacks %q:\n%s", res.StatusCode, want, page)
			}
		}
		if res, _ := get(cookie, loc+"/workbook.xlsx"); res.StatusCode != http.StatusConflict {
			t.Errorf("workbook of a queued export = %d, want 409", res.StatusCode)
		}
		startExportQueue(t, s, 1)
		for deadline := time.Now().Add(30 * time.Second); !strings.Contains(page, "Sẵn sàng tải về"); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the export is not done after 30 s:\n%s", page)
			}
			_, page = get(cookie, loc)
		}
		if strings.Contains(page, `http-equiv="refresh"`) || !strings.Contains(page, `href="`+loc+`/workbook.xlsx"`) ||
			!strings.Contains(page, "Tệp được lưu đến 13/05/2016 15:00") {
			t.Fatalf("done export page lacks the download or still refreshes:\n%s", page)
		}
		if res, body := get(cookie, loc+"/workbook.xlsx"); res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Errorf("workbook = %d, %.20q", res.StatusCode, body)
		}
		other := signIn(t, h, "leader.all", testPassword)
		for _, p := range []string{loc, loc + "/workbook.xlsx"} {
			if res, _ := get(other, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("another leader: GET %s = %d, want 404", p, res.StatusCode)
			}
		}
	})
}

// TestReportExportWorkers: with two export workers, at most two exports run at once, and
// every one is done.
func TestReportExportWorkers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.bp")
		var ids []int64
		for range 5 {
			var x apiExportJSON
			leader.want(http.StatusAccepted, &x, "POST", "/api/v1/reports/exports", map[string]string{"from": "2015-01-01", "to": "2016-05-12"})
			ids = append(ids, x.ID)
		}
		var mu sync.Mutex
		running, most := 0, 0
		h := exports.Handler(s, exports.Config{})
		q := jobs.NewQueue(s.DB(), s.Engine(), jobs.Config{PollInterval: 50 * time.Millisecond, Workers: 8})
		counted := func(ctx context.Context, j *jobs.Job) error {
			mu.Lock()
			running++
			most = max(most, running)
			mu.Unlock()
			defer func() { mu.Lock(); running--; mu.Unlock() }()
			time.Sleep(300 * time.Millisecond) // long enough for the others to be claimed if they could
			return h(ctx, j)
		}
		if err := q.Handle(store.ReportExportKind, counted, &jobs.HandlerOpts{Queue: store.ReportExportQueue, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		startQueue(t, q)
		for _, id := range ids {
			waitExport(t, leader, id, "done")
		}
		if most != 2 {
			t.Errorf("at most %d exports ran at once, want 2", most)
		}
		// A day later the sweep deletes them all, unread.
		e.clock.Add(store.ReportExportKept)
		ctx, cancel := context.WithCancel(context.Background())
		swept := make(chan struct{})
		go func() { exports.Sweep(ctx, s, time.Hour, slog.New(slog.DiscardHandler)); close(swept) }()
		var n int
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if err := s.DB().QueryRow("SELECT count(*) FROM report_exports").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 || time.Now().After(deadline) {
				break
			}
		}
		cancel()
		<-swept
		if n != 0 {
			t.Errorf("%d expired exports are left after the sweep", n)
		}
	})
}

// xlsxParts returns the parts of a workbook by name, the lines of [Content_Types].xml sorted.
func xlsxParts(t *testing.T, file string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(file)), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if f.Name == "[Content_Types].xml" {
			tags := strings.SplitAfter(text, ">")
			slices.Sort(tags)
			text = strings.Join(tags, "")
		}
		parts[f.Name] = text
	}
	return parts
}

// apiExportsContract exercises the report exports' operations for TestAPIMatchesOpenAPI: a
// leader asks for one (202), reads it queued, gets 409 for its file, has it written by the
// export job and downloads it; an officer (no report:read) is refused.
func apiExportsContract(t *testing.T, s *store.Store, leader, officer *apiClient) {
	t.Helper()
	var x apiExportJSON
	leader.want(http.StatusAccepted, &x, "POST", "/api/v1/reports/exports", map[string]string{"from": "2016-01-01", "to": "2016-05-12", "lang": "en"})
	leader.want(http.StatusBadRequest, nil, "POST", "/api/v1/reports/exports", map[string]string{"lang": "fr"})
	path := fmt.Sprintf("/api/v1/reports/exports/%d", x.ID)
	leader.want(http.StatusOK, nil, "GET", path, nil)
	leader.want(http.StatusConflict, nil, "GET", path+".xlsx", nil)
	leader.want(http.StatusNotFound, nil, "GET", "/api/v1/reports/exports/999999", nil)
	officer.want(http.StatusForbidden, nil, "POST", "/api/v1/reports/exports", map[string]string{})
	officer.want(http.StatusForbidden, nil, "GET", path, nil)
	officer.want(http.StatusForbidden, nil, "GET", path+".xlsx", nil)
	startExportQueue(t, s, 1)
	waitExport(t, leader, x.ID, "done")
	leader.want(http.StatusOK, nil, "GET", path+".xlsx", nil)
}

// TestReportExportFails: an export that cannot be written goes back to the queue after a
// failed attempt and is marked failed by the last one; its page and the API say why.
func TestReportExportFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newReportEnv(t, s)
		leader := apiSignIn(t, e.h, "leader.bp")
		var x apiExportJSON
		leader.want(http.StatusAccepted, &x, "POST", "/api/v1/reports/exports", map[string]string{"from": "2015-01-01", "to": "2016-05-12"})
		// A filter no summary takes (its last day before its first): every run fails.
		query := "UPDATE report_exports SET filter = ? WHERE id = ?"
		if s.Engine() == config.Postgres {
			query = "UPDATE report_exports SET filter = $1 WHERE id = $2"
		}
		if _, err := s.DB().Exec(query, `{"from":"2016-05-12","to":"2015-01-01","lang":"vi","read":["BP"]}`, x.ID); err != nil {
			t.Fatal(err)
		}
		run := exports.Handler(s, exports.Config{})
		job := func(attempt int) *jobs.Job {
			return &jobs.Job{Kind: store.ReportExportKind, Payload: []byte(fmt.Sprintf(`{"id":%d}`, x.ID)), Attempt: attempt, MaxAttempts: 3}
		}
		path := fmt.Sprintf("/api/v1/reports/exports/%d", x.ID)
		if err := run(context.Background(), job(1)); err == nil {
			t.Fatal("the first attempt succeeded")
		}
		if leader.want(http.StatusOK, &x, "GET", path, nil); x.State != "queued" || x.Error != "" {
			t.Fatalf("after a failed attempt the export is %+v, want queued again", x)
		}
		if err := run(context.Background(), job(3)); err == nil {
			t.Fatal("the last attempt succeeded")
		}
		want := "Không tạo được tệp báo cáo. Đề nghị tạo lại; nếu vẫn không được, báo quản trị viên."
		if leader.want(http.StatusOK, &x, "GET", path, nil); x.State != "failed" || x.Error != want {
			t.Fatalf("after the last attempt the export is %+v, want failed saying %q", x, want)
		}
		leader.want(http.StatusConflict, nil, "GET", path+".xlsx", nil)
		res, page := e.getAs(t, e.leader, "", fmt.Sprintf("/reports/exports/%d", x.ID))
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) || !strings.Contains(page, "Không tạo được tệp") ||
			strings.Contains(page, `http-equiv="refresh"`) {
			t.Fatalf("failed export page = %d:\n%s", res.StatusCode, page)
		}
	})
}

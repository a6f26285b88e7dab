package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"phoihop/internal/app"
	"phoihop/internal/auth"
	"phoihop/internal/authz"
	"phoihop/internal/config"
	"phoihop/internal/httpd"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// serverDeps lets a test change the dependencies before the server is built.
type serverDeps = httpd.Deps

// newServer returns the application over s with metrics on, logging into the returned buffer.
func newServer(t testing.TB, s *store.Store) (*app.App, *httpd.Metrics, *bytes.Buffer) {
	t.Helper()
	return newServerWith(t, s, nil)
}

// newServerWith is newServer with a function that may change the dependencies.
func newServerWith(t testing.TB, s *store.Store, change func(*httpd.Deps)) (*app.App, *httpd.Metrics, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	m := httpd.NewMetrics(s.DB())
	enf, err := authz.New(context.Background(), s, log)
	if err != nil {
		t.Fatalf("authz.New: %v", err)
	}
	svc, err := auth.NewService(s)
	if err != nil {
		t.Fatal(err)
	}
	deps := httpd.Deps{Store: s, Auth: svc, Authz: enf, Logger: log, Metrics: m, Version: "test"}
	if change != nil {
		change(&deps)
	}
	srv, err := app.New(deps)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return srv, m, &logs
}

// do sends a request through the full handler and returns the response with its body read.
func do(t testing.TB, h http.Handler, r *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, _, logs := newServer(t, s)
		h := srv.Handler()
		if res, body := do(t, h, httptest.NewRequest("GET", "/healthz", nil)); res.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
			t.Fatalf("/healthz = %d %s", res.StatusCode, body)
		}
		if res, body := do(t, h, httptest.NewRequest("GET", "/readyz", nil)); res.StatusCode != 200 || body != `{"status":"ready"}` {
			t.Fatalf("/readyz = %d %s, want 200", res.StatusCode, body)
		}
		s.Close()
		res, body := do(t, h, httptest.NewRequest("GET", "/readyz", nil))
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "unreachable") {
			t.Fatalf("/readyz after close = %d %s, want 503", res.StatusCode, body)
		}
		if res, _ := do(t, h, httptest.NewRequest("GET", "/healthz", nil)); res.StatusCode != 200 {
			t.Fatalf("/healthz with the database closed = %d, want 200 (the process is alive)", res.StatusCode)
		}
		if !strings.Contains(logs.String(), "not ready") {
			t.Errorf("no log line for the failed readiness check:\n%s", logs)
		}
	})
}

func TestPagesRenderInBothLanguages(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	mustUser(t, s, "officer.bp", "officer@BP")
	session := signIn(t, h, "officer.bp", testPassword)
	tests := []struct {
		lang, path string
		status     int
		want       []string
	}{
		{"", "/", 200, []string{`<html lang="vi"`, "Phối hợp giữa các lực lượng", "Bộ đội Biên phòng", "ma túy tổng hợp", "viên", "Tội phạm về ma túy", "0 đơn vị đang hoạt động"}},
		{"vi", "/", 200, []string{`<html lang="vi"`, "Hải quan", "súng tự chế"}},
		{"en", "/", 200, []string{`<html lang="en"`, "Coordination between the forces", "Border Guard", "synthetic drug pills", "tablets", "0 units in service"}},
		{"xx", "/", 200, []string{`<html lang="vi"`}},
		{"", "/khong-co", 404, []string{"Không tìm thấy trang", "Mã yêu cầu"}},
		{"en", "/no-such-page", 404, []string{"Page not found", "Request id"}},
		{"", "/account/password", 200, []string{"Đổi mật khẩu", "Mật khẩu hiện tại", "Đăng xuất"}},
		{"en", "/account/password", 200, []string{"Change password", "Current password", "Sign out"}},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		r.AddCookie(session)
		if tt.lang != "" {
			r.AddCookie(&http.Cookie{Name: "phoihop_lang", Value: tt.lang})
		}
		res, body := do(t, h, r)
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.lang, tt.path, res.StatusCode, tt.status)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s %s: Content-Type %q", tt.lang, tt.path, ct)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s: page lacks %q", tt.lang, tt.path, w)
			}
		}
		// A message id showing means a missing translation.
		for _, prefix := range []string{"home.", "error.", "nav.", "app.", "lang.", "footer.", "group.", "measure."} {
			if strings.Contains(body, ">"+prefix) || strings.Contains(body, "\""+prefix) {
				t.Errorf("%s %s: page shows an untranslated id starting %q", tt.lang, tt.path, prefix)
			}
		}
	}
}

func TestUnitCountsOnHome(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	mustUnits(t, s)
	srv, _, _ := newServer(t, s)
	mustUser(t, s, "analyst", "analyst@*")
	_, body := get(t, srv.Handler(), "/", signIn(t, srv.Handler(), "analyst", testPassword))
	// BP has two units in service, one retired; CA one.
	for _, w := range []string{"2 đơn vị đang hoạt động", "1 đơn vị đang hoạt động"} {
		if !strings.Contains(body, w) {
			t.Errorf("home lacks %q", w)
		}
	}
}

func TestErrorResponses(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, logs := newServer(t, s)
	srv.Pages.Engine().GET("/test/panic", func(c *gin.Context) { panic("boom") })
	h := srv.Handler()

	res, body := do(t, h, httptest.NewRequest("GET", "/api/v1/nothing", nil))
	if res.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("API 404 = %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	res, body = do(t, h, httptest.NewRequest("DELETE", "/healthz", nil))
	if res.StatusCode != 405 || !strings.Contains(body, "Thao tác không được hỗ trợ") {
		t.Errorf("DELETE /healthz = %d, want 405 page", res.StatusCode)
	}
	res, body = do(t, h, httptest.NewRequest("GET", "/test/panic", nil))
	if res.StatusCode != 500 || !strings.Contains(body, "Đã xảy ra lỗi") || strings.Contains(body, "boom") {
		t.Errorf("panic = %d, want the 500 page without the panic's text:\n%s", res.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("the panic was not logged with its stack")
	}
	res, _ = do(t, h, httptest.NewRequest("GET", "/static/css/", nil))
	if res.StatusCode != 404 {
		t.Errorf("folder listing of /static/css/ = %d, want 404", res.StatusCode)
	}
	res, body = do(t, h, httptest.NewRequest("GET", "/static/css/app.css", nil))
	if res.StatusCode != 200 || !strings.Contains(body, ".app-header") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("app.css = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	for _, path := range []string{"/", "/login", "/healthz", "/missing"} {
		res, _ := do(t, srv.Handler(), httptest.NewRequest("GET", path, nil))
		want := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
		}
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", path, res.Header.Get("Cache-Control"))
		}
		if len(res.Header.Get("X-Request-Id")) < 16 {
			t.Errorf("%s: no request id", path)
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	tests := []struct{ lang, next, wantLang, wantLocation string }{
		{"en", "/", "en", "/"},
		{"vi", "/cases", "vi", "/cases"},
		{"fr", "/", "vi", "/"},
		{"en", "//evil.example/x", "en", "/"},
		{"en", "https://evil.example/", "en", "/"},
		{"en", "/\\evil.example", "en", "/"},
		{"en", "", "en", "/"},
	}
	for _, tt := range tests {
		form := url.Values{"lang": {tt.lang}, "next": {tt.next}}
		r := httptest.NewRequest("POST", "/lang", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, _ := do(t, h, r)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.wantLocation {
			t.Errorf("POST /lang %v = %d → %q, want 303 → %q", form, res.StatusCode, res.Header.Get("Location"), tt.wantLocation)
		}
		var got *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "phoihop_lang" {
				got = c
			}
		}
		if got == nil || got.Value != tt.wantLang || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode {
			t.Errorf("POST /lang %v: cookie %+v, want %s, HttpOnly, SameSite=Lax", form, got, tt.wantLang)
		}
	}
	if res, _ := do(t, h, httptest.NewRequest("GET", "/lang", nil)); res.StatusCode != 405 {
		t.Errorf("GET /lang = %d, want 405 (no state change on GET)", res.StatusCode)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	r := httptest.NewRequest("POST", "/lang", strings.NewReader("lang=en"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.Header.Set("Origin", "https://evil.example")
	res, _ := do(t, h, r)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST = %d, want 403", res.StatusCode)
	}
	if len(res.Cookies()) != 0 {
		t.Fatalf("cross-site POST set cookies %v", res.Cookies())
	}
	r = httptest.NewRequest("POST", "/lang", strings.NewReader("lang=en"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if res, _ := do(t, h, r); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin POST = %d, want 303", res.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, m, _ := newServer(t, s)
	for range 3 {
		do(t, srv.Handler(), httptest.NewRequest("GET", "/healthz", nil))
	}
	do(t, srv.Handler(), httptest.NewRequest("GET", "/nothing/42", nil))
	_, body := do(t, m.Handler(), httptest.NewRequest("GET", "/metrics", nil))
	for _, w := range []string{
		`phoihop_http_requests_total{method="GET",route="/healthz",status="200"} 3`,
		`phoihop_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`phoihop_http_request_duration_seconds_count{method="GET",route="/healthz"} 3`,
		`go_sql_max_open_connections{db_name="phoihop"} 8`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	if strings.Contains(body, "/nothing/42") {
		t.Error("metrics label a raw path")
	}
}

func TestEveryRouteDeclaresAPermission(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	declared := map[string]bool{}
	for _, r := range srv.Routes() {
		if r.Permission == (httpd.Permission{}) {
			t.Errorf("%s %s declares no permission", r.Method, r.Path)
		}
		declared[r.Method+" "+r.Path] = true
	}
	for _, r := range srv.EngineRoutes() {
		if !declared[r.Method+" "+r.Path] {
			t.Errorf("%s %s is registered without a declared permission", r.Method, r.Path)
		}
	}
}

// TestCrossOriginRefusalLooksLikeEveryAnswer checks the 403 of a cross-origin state change:
// the security headers of every other answer, a request id, an error page in the user's
// language (a JSON error under /api/), no cookie set and nothing changed.
func TestCrossOriginRefusalLooksLikeEveryAnswer(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	mustUser(t, s, "tran.van.a", "officer@BP")
	srv, _, logs := newServer(t, s)
	h := srv.Handler()
	cookie := signIn(t, h, "tran.van.a", testPassword)
	ref, _ := do(t, h, httptest.NewRequest("GET", "/login", nil))
	security := []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
		"Cross-Origin-Opener-Policy", "Permissions-Policy", "Cache-Control"}
	for _, k := range security {
		if ref.Header.Get(k) == "" {
			t.Fatalf("GET /login has no %s", k)
		}
	}
	crossSite := func(method, path, body, ctype string, cookies ...*http.Cookie) (*http.Response, string) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Origin", "https://evil.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		return do(t, h, r)
	}
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		method, path, body, ctype string
		cookies                   []*http.Cookie
		contentType, want         string
	}{
		{"POST", "/lang", "lang=en&next=/", form, nil, "text/html", "Yêu cầu được gửi từ một trang web khác nên đã bị từ chối."},
		{"POST", "/logout", "", form, []*http.Cookie{cookie}, "text/html", "Không có quyền"},
		{"POST", "/login", "username=tran.van.a&password=x", form, []*http.Cookie{{Name: "phoihop_lang", Value: "en"}},
			"text/html", "The request came from another site and was refused."},
		{"POST", "/cases", "code=X&title=Y", form, []*http.Cookie{cookie}, "text/html", "Yêu cầu được gửi từ một trang web khác"},
		{"POST", "/nothing/here", "", form, nil, "text/html", "Yêu cầu được gửi từ một trang web khác"},
		{"POST", "/api/v1/cases", `{"code":"X"}`, "application/json", []*http.Cookie{cookie}, "application/json",
			`{"error":{"code":"forbidden","message":"The request came from another site and was refused."}}`},
		{"DELETE", "/api/v1/session", "", "application/json", []*http.Cookie{cookie}, "application/json", `"code":"forbidden"`},
	}
	for _, tt := range tests {
		res, body := crossSite(tt.method, tt.path, tt.body, tt.ctype, tt.cookies...)
		what := tt.method + " " + tt.path
		if res.StatusCode != http.StatusForbidden || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) ||
			!strings.Contains(body, tt.want) {
			t.Errorf("cross-site %s = %d %s, want 403 with %q:\n%.300s", what, res.StatusCode, res.Header.Get("Content-Type"), tt.want, body)
		}
		for _, k := range security {
			if got, want := res.Header.Get(k), ref.Header.Get(k); got != want {
				t.Errorf("cross-site %s: %s = %q, want %q as every answer", what, k, got, want)
			}
		}
		if len(res.Header.Get("X-Request-Id")) < 16 || !strings.Contains(logs.String(), "request_id="+res.Header.Get("X-Request-Id")) {
			t.Errorf("cross-site %s: request id %q not in the logs", what, res.Header.Get("X-Request-Id"))
		}
		if len(res.Cookies()) != 0 {
			t.Errorf("cross-site %s set cookies %v", what, res.Cookies())
		}
	}
	if !signedIn(t, h, cookie) {
		t.Error("a cross-site sign-out ended the session")
	}
	if !strings.Contains(logs.String(), "cross-origin request refused") || !strings.Contains(logs.String(), "origin=https://evil.example") {
		t.Error("the refusals were not logged with their origin")
	}
}

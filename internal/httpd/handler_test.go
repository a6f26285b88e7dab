package httpd_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// TestHandlerSendsEachPathToItsPart checks the dispatch between the pages and the API, on
// cleaned paths, and that a cross-origin state change reaches neither part's handler.
func TestHandlerSendsEachPathToItsPart(t *testing.T) {
	var got string
	part := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = name + " " + r.URL.Path })
	}
	h := httpd.Handler(part("pages"), part("api"))
	for _, tt := range []struct{ path, want string }{
		{"/", "pages /"},
		{"/cases/1", "pages /cases/1"},
		{"/api", "pages /api"},
		{"/api/v1/cases", "api /api/v1/cases"},
		{"//api/v1/../v1/tips", "api /api/v1/tips"},
		{"/x/../api/v1/me", "api /api/v1/me"},
		{"/apis", "pages /apis"},
	} {
		got = ""
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tt.path, nil))
		if got != tt.want {
			t.Errorf("GET %s went to %q, want %q", tt.path, got, tt.want)
		}
	}
	got = ""
	r := httptest.NewRequest("POST", "/api/v1/cases", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// The refusal is marked and answered by the part's router; a bare handler still runs.
	if got != "api /api/v1/cases" {
		t.Errorf("a cross-site POST went to %q, want the API's handler (marked refused)", got)
	}
}

func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{"/": "/", "//a//b/": "/a/b/", "/a/./b/../c": "/a/c", "a": "/a", "/../..": "/"} {
		if got := httpd.CleanPath(in); got != want {
			t.Errorf("CleanPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStatusOf(t *testing.T) {
	for code, want := range map[string]int{phoihop.EInvalid: 400, phoihop.ENotFound: 404, phoihop.EConflict: 409, phoihop.ELocked: 409,
		phoihop.EForbidden: 403, phoihop.EUnauthorized: 401, phoihop.ETooManyRequests: 429,
		httpd.CodeMethodNotAllowed: 405, phoihop.EUnavailable: 503, phoihop.EInternal: 500, "": 500} {
		if got := httpd.StatusOf(code); got != want {
			t.Errorf("StatusOf(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestClientText(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"  nguyen.van.a ", 0, "nguyen.van.a"},
		{"a\x00b\x1bc", 0, "a\uFFFDb\uFFFDc"},
		{"a\xffb", 0, "a\uFFFDb"},
		{"Trần Thắng Phúc", 4, "Tr"}, // cut at a character boundary: "ầ" takes bytes 3 to 5
	} {
		if got := httpd.ClientText(tt.in, tt.max); got != tt.want {
			t.Errorf("ClientText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

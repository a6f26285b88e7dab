package server_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// redirectPayloads are next values that must not send a browser anywhere but "/": other
// sites written every way a browser, a proxy or Go itself may read as one, and values no
// link of the site looks like.
var redirectPayloads = []string{
	"//evil.example", "//evil.example/", "///evil.example", "////evil.example",
	"/\\evil.example", "/\\/evil.example", "\\\\evil.example", "/cases\\..\\..\\evil",
	"/%5Cevil.example", "/%5cevil.example", "%2F%2Fevil.example", "/%2F/evil.example",
	"/%2f%2fevil.example", "/%2Fevil.example", "/a%2Fb", "/%252F%252Fevil.example",
	"/%255Cevil.example", "/%25%32%46evil.example",
	"https:evil.example", "https://evil.example/", "http:/evil.example", "HTTPS://evil.example",
	"javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
	"evil.example", "cases", "",
	"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
	" //evil.example", "/ /evil.example", "/%09/evil.example", "/%0d%0aLocation:%20//evil.example",
	"/%0D%0ASet-Cookie:%20a=b", "/cases\x00", "/\x7f/evil.example",
	"/.//evil.example", "/./evil.example", "/cases/..//evil.example", "/%2e%2e//evil.example",
	"/%2E/evil.example", "/cases//evil.example", "/cases%3F//evil.example",
	"/\uff0fevil.example", "/\u2028/evil.example", "/\u3000/evil.example", "/cases?q=Trần",
	"/%",
	strings.Repeat("/a", 5000), // 10 kB
	"/cases?q=" + strings.Repeat("a", 2000-8),       // one byte over the bound
	"/cases?q=" + strings.Repeat("%2F%2F", 10000/6), // long and encoded
}

// redirectKept are same-site paths a next may carry, kept as they are.
var redirectKept = []string{
	"/", "/cases", "/cases?page=2", "/cases/12?ok=saved#suspects", "/x?next=//y",
	"/reports?from=01%2F01%2F2016&to=31%2F12%2F2016", "/cases?q=tr%E1%BA%A7n+th%E1%BA%AFng",
	"/account/password", "/admin/units?agency=BP", "/tips?q=a%5Cb",
	"/cases?q=" + strings.Repeat("a", 2000-9), // exactly at the bound
}

// wantSameSite fails unless loc, a Location, keeps a browser on this site: a path starting
// with one "/" (not "//" or "/\"), no control characters or backslashes, resolved by net/url
// against the site to the site, and still a single-slash path after a proxy decodes it twice.
func wantSameSite(t *testing.T, what, loc string) {
	t.Helper()
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") ||
		strings.ContainsAny(loc, "\\\t\r\n\x00") || strings.ContainsFunc(loc, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		t.Errorf("%s: Location %q leaves the site", what, loc)
		return
	}
	base, _ := url.Parse("https://phoihop.example/login")
	if u, err := base.Parse(loc); err != nil || u.Host != "phoihop.example" {
		t.Errorf("%s: Location %q resolves to %v (%v)", what, loc, u, err)
	}
	p, _, _ := strings.Cut(loc, "?")
	for range 2 {
		if d, err := url.PathUnescape(p); err == nil {
			p = d
		}
		if strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
			t.Errorf("%s: Location %q decodes to %q", what, loc, p)
		}
	}
}

// nextFieldRE finds the hidden next of the sign-in form (the language switch has its own).
var nextFieldRE = regexp.MustCompile(`action="/login"[^>]*>\s*<input type="hidden" name="next" value="([^"]*)"`)

// TestRedirectTargetsStayOnSite sends every payload as the next of the sign-in page (GET while
// signed in, the hidden field of the form, POST with good credentials) and of the language
// switch: each Location is a same-site path, "/" for the payloads and the path itself for the
// good ones.
func TestRedirectTargetsStayOnSite(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	mustUser(t, s, "tran.van.a", "officer@BP")
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	cookie := signIn(t, h, "tran.van.a", testPassword)

	check := func(next, want string) {
		t.Helper()
		name := next
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		if strings.Contains(next, "\x00") {
			// No query string may carry NUL: refused before any handler, with no Location.
			for _, c := range [][]*http.Cookie{{cookie}, nil} {
				res, _ := get(t, h, "/login?next="+url.QueryEscape(next), c...)
				if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
					t.Errorf("GET /login next=%q = %d → %q, want 400", name, res.StatusCode, res.Header.Get("Location"))
				}
			}
		} else {
			// GET /login while signed in: straight on to next.
			res, _ := get(t, h, "/login?next="+url.QueryEscape(next), cookie)
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || loc != want {
				t.Errorf("signed-in GET /login next=%q = %d → %q, want 303 → %q", name, res.StatusCode, loc, want)
			}
			wantSameSite(t, "signed-in GET /login", loc)

			// GET /login signed out: the form carries next in a hidden field.
			res, body := get(t, h, "/login?next="+url.QueryEscape(next))
			m := nextFieldRE.FindStringSubmatch(body)
			if res.StatusCode != http.StatusOK || m == nil || html.UnescapeString(m[1]) != want {
				t.Errorf("GET /login next=%q = %d, hidden next %v, want %q", name, res.StatusCode, m, want)
			}
		}

		// POST /login with good credentials.
		res, _ := postForm(t, h, "/login", url.Values{"username": {"tran.van.a"}, "password": {testPassword}, "next": {next}})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("POST /login next=%q = %d → %q, want 303 → %q", name, res.StatusCode, loc, want)
		}
		wantSameSite(t, "POST /login", loc)

		// POST /login refused: the form shown again keeps only a safe next.
		res, body := postForm(t, h, "/login", url.Values{"username": {"tran.van.a"}, "password": {""}, "next": {next}})
		m := nextFieldRE.FindStringSubmatch(body)
		if res.StatusCode != http.StatusBadRequest || m == nil || html.UnescapeString(m[1]) != want {
			t.Errorf("refused POST /login next=%q = %d, hidden next %v, want %q", name, res.StatusCode, m, want)
		}

		// POST /lang.
		res, _ = postForm(t, h, "/lang", url.Values{"lang": {"en"}, "next": {next}}, cookie)
		loc = res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("POST /lang next=%q = %d → %q, want 303 → %q", name, res.StatusCode, loc, want)
		}
		wantSameSite(t, "POST /lang", loc)
	}
	for _, next := range redirectPayloads {
		check(next, "/")
	}
	for _, next := range redirectKept {
		check(next, next)
	}

	// The finding's own request, its query written as the report wrote it.
	res, _ := get(t, h, "/login?next=%2F%255Cevil.example", cookie)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("GET /login?next=%%2F%%255Cevil.example = %d → %q, want 303 → /", res.StatusCode, loc)
	}
	// An anonymous visitor sent to sign in comes back to the page and its query.
	res, _ = get(t, h, "/cases?page=2&q=tr%E1%BA%A7n")
	loc := res.Header.Get("Location")
	u, err := url.Parse(loc)
	if res.StatusCode != http.StatusSeeOther || err != nil || u.Path != "/login" || u.Query().Get("next") != "/cases?page=2&q=tr%E1%BA%A7n" {
		t.Fatalf("anonymous GET /cases?page=2 = %d → %q", res.StatusCode, loc)
	}
	res, _ = postForm(t, h, "/login", url.Values{"username": {"tran.van.a"}, "password": {testPassword}, "next": {u.Query().Get("next")}})
	if loc := res.Header.Get("Location"); loc != "/cases?page=2&q=tr%E1%BA%A7n" {
		t.Errorf("sign-in after being sent there → %q, want back to /cases?page=2&q=tr%%E1%%BA%%A7n", loc)
	}
}

// TestTrailingSlashRedirectStaysOnSite checks the router's own redirect (a path with a
// trailing slash is sent to the path without it): built from the request's path, it must
// not turn a path starting with "//", raw or decoded, into a Location naming another host.
func TestTrailingSlashRedirectStaysOnSite(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	tests := []struct{ path, want string }{
		{"/cases/", "/cases"},
		{"/login/", "/login"},
		{"//cases/", "/cases"},
		{"//login/", "/login"},
		{"//cases/12/", "/cases/12"},
		{"///cases/", "/cases"},
		{"/%2Fcases/", "/cases"},
		{"/%2Fevil.example%2F..%2Fcases/", "/cases"},
		{"//evil.example/%2e%2e/cases/", "/cases"},
		{"//evil.example/../login/", "/login"},
		{"/%5Cevil.example%2F..%2Fcases/", "/cases"},
	}
	for _, tt := range tests {
		for _, method := range []string{"GET", "POST"} {
			r := httptest.NewRequest(method, tt.path, nil)
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			res, _ := do(t, h, r)
			loc := res.Header.Get("Location")
			if res.StatusCode/100 == 3 || loc != "" {
				wantSameSite(t, method+" "+tt.path, loc)
			}
			if method == "GET" && (res.StatusCode != http.StatusMovedPermanently || loc != tt.want) {
				t.Errorf("GET %s = %d → %q, want 301 → %q", tt.path, res.StatusCode, loc, tt.want)
			}
		}
	}
	// Paths with a double slash still reach their page (the router ignores repeated slashes).
	if res, _ := do(t, h, httptest.NewRequest("GET", "//login", nil)); res.StatusCode != http.StatusOK {
		t.Errorf("GET //login = %d, want 200", res.StatusCode)
	}
}

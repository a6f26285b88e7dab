package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// The text rules' messages (phoihop/text.go) in both languages.
const (
	msgLineEN = "This field cannot contain line breaks, tabs or other control characters."
	msgLineVI = "Trường này không được chứa ký tự xuống dòng, ký tự tab hay ký tự điều khiển khác."
	msgTextEN = "The text contains control characters; only tabs and line breaks are allowed."
	msgTextVI = "Nội dung chứa ký tự điều khiển; chỉ được dùng ký tự tab và xuống dòng."
)

// TestFormTextRefusesControlCharacters posts the tip form with control characters: the form
// comes back 400 with the message under the field, in the user's language, and nothing is
// saved; tabs and line breaks in the content are saved as typed.
func TestFormTextRefusesControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newExchangeTipEnv(t, s)
		good := url.Values{"received_on": {"15/05/2016"}, "source_unit": {id(e.post.ID)}, "subject": {"Tin về đường dây heroin"},
			"content": {"Nguồn tin cho biết."}, "crime_type": {"drugs"}, "status": {"new"}}
		en := &http.Cookie{Name: "phoihop_lang", Value: "en"}
		tests := []struct {
			field, value, want string
			cookies            []*http.Cookie
		}{
			{"subject", "Tin\x00", msgLineVI, nil},
			{"subject", "Cột 1\tcột 2", msgLineVI, nil},
			{"subject", "Dòng 1\r\nDòng 2", msgLineVI, nil},
			{"subject", "Tin\u0085tin", msgLineVI, nil},
			{"subject", "Tin \x1b[2J", msgLineEN, []*http.Cookie{en}},
			{"content", "Nội dung\x00", msgTextVI, nil},
			{"content", "a\x7fb", msgTextVI, nil},
			{"content", "Dòng 1\rDòng 2", msgTextVI, nil},
			{"content", "a\u2028b", msgTextEN, []*http.Cookie{en}},
		}
		for _, tt := range tests {
			before := countTips(t, s)
			res, body := postForm(t, e.h, "/tips", formWith(good, tt.field, tt.value), append(tt.cookies, e.bp)...)
			if res.StatusCode != http.StatusBadRequest || fieldMessage(body, tt.field) != tt.want {
				t.Errorf("tip form with %s=%q = %d, message %q; want 400 and %q", tt.field, tt.value, res.StatusCode, fieldMessage(body, tt.field), tt.want)
			}
			if n := countTips(t, s); n != before {
				t.Errorf("tip form with %s=%q saved a tip", tt.field, tt.value)
			}
		}
		content := "Dòng 1\r\nDòng 2\n\tthụt lề"
		res, body := postForm(t, e.h, "/tips", formWith(good, "content", content), e.bp)
		if tp := e.tip(createdID(t, "tip with line breaks", res, body, "/tips/")); tp.Content != content {
			t.Errorf("saved content = %q, want %q", tp.Content, content)
		}
	})
}

// TestAPITextRefusesControlCharacters sends control characters in the API's text fields and
// agency codes: 400 naming the field, on both engines (PostgreSQL refuses NUL outright).
func TestAPITextRefusesControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		tip := func(subject, content string) map[string]any {
			return map[string]any{"received_on": "2016-05-15", "source_unit": e.bpPost, "subject": subject,
				"content": content, "crime_type": "drugs"}
		}
		kase := func(change func(*apiCaseJSON)) apiCaseJSON {
			c := e.newCase()
			change(&c)
			return c
		}
		tests := []struct {
			path        string
			body        any
			field, want string
		}{
			{"/api/v1/tips", tip("Tin\x00", ""), "subject", msgLineEN},
			{"/api/v1/tips", tip("Tin\ttin", ""), "subject", msgLineEN},
			{"/api/v1/tips", tip("Tin", "a\x1bb"), "content", msgTextEN},
			{"/api/v1/tips", tip("Tin", "a\u0085b"), "content", msgTextEN},
			{"/api/v1/cases", kase(func(c *apiCaseJSON) { c.Title = "Chuyên án\u0001" }), "title", msgLineEN},
			{"/api/v1/cases", kase(func(c *apiCaseJSON) { c.Code = "BP\n01" }), "code", msgLineEN},
			{"/api/v1/cases", kase(func(c *apiCaseJSON) { c.Summary = "\x00" }), "summary", msgTextEN},
			{"/api/v1/cases", kase(func(c *apiCaseJSON) { c.Agencies = []string{"C\x00A"} }), "agencies", "Choose one of the agencies in the list."},
			{"/api/v1/cases", kase(func(c *apiCaseJSON) { c.LeadAgency = "B\x00P" }), "lead_agency", "Choose one of the agencies in the list."},
		}
		for _, tt := range tests {
			res, body := bp.do("POST", tt.path, tt.body)
			var got apiErr
			_ = json.Unmarshal(body, &got)
			if res.StatusCode != http.StatusBadRequest || got.Error.Fields[tt.field] != tt.want {
				t.Errorf("POST %s with a bad %s = %d %s; want 400 and %q", tt.path, tt.field, res.StatusCode, body, tt.want)
			}
		}
		var c apiCaseJSON
		res, body := bp.do("POST", "/api/v1/cases", kase(func(c *apiCaseJSON) { c.Summary = "Dòng 1\r\n\tDòng 2\n" }))
		if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &c) != nil || c.Summary != "Dòng 1\r\n\tDòng 2" {
			t.Fatalf("case with line breaks = %d %s", res.StatusCode, body)
		}
		// The reason of a removal is a line.
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		res, body = bp.do("DELETE", path, map[string]any{"version": c.Version, "reason": "Nhập trùng\x00"})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"reason":"`+msgLineEN+`"`) {
			t.Errorf("DELETE with NUL in the reason = %d %s", res.StatusCode, body)
		}
	})
}

// TestQueryParametersWithNUL sends NUL and invalid UTF-8 in list filters and search boxes of
// pages and the API: 400 naming the parameter, never a server error; other control
// characters in a search box count as spaces.
func TestQueryParametersWithNUL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "quan.tri", "admin@*", "leader@*")
		e := newAPIEnv(t, s)
		bp := apiSignIn(t, e.h, "officer.bp")
		officer := signIn(t, e.h, "officer.bp", testPassword)
		admin := signIn(t, e.h, "quan.tri", testPassword)
		for _, p := range []string{"/cases?agency=%00", "/cases?q=%00", "/exchanges?agency=B%00P", "/tips?q=%FF",
			"/agreements?agency=%00&q=x", "/cases?%00=1", "/admin/users?agency=%00", "/admin/audit?user=%00",
			"/admin/audit?action=%FF", "/admin/audit?entity=%00", "/login?next=%00"} {
			cookie := officer
			if strings.HasPrefix(p, "/admin/") {
				cookie = admin
			}
			res, body := get(t, e.h, p, cookie)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Địa chỉ trang chứa ký tự không được phép.") {
				t.Errorf("GET %s = %d, want 400 with the message in Vietnamese", p, res.StatusCode)
			}
		}
		for _, tt := range []struct{ path, param string }{
			{"/api/v1/cases?agency=%00", "agency"}, {"/api/v1/tips?agency=%00", "agency"},
			{"/api/v1/exchanges?agency=%00", "agency"}, {"/api/v1/agreements?agency=%00", "agency"},
			{"/api/v1/cases?q=%FF", "q"}, {"/api/v1/cases?x%00=1", "x\ufffd"},
		} {
			res, body := bp.do("GET", tt.path, nil)
			var got apiErr
			if res.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &got) != nil ||
				got.Error.Fields[tt.param] != "This parameter contains characters that are not allowed." {
				t.Errorf("GET %s = %d %s, want 400 naming %q", tt.path, res.StatusCode, body, tt.param)
			}
		}
		bp.want(http.StatusCreated, nil, "POST", "/api/v1/cases", e.newCase())
		var list struct{ Total int }
		bp.want(http.StatusOK, &list, "GET", "/api/v1/cases?q=hoa%01lu", nil)
		if list.Total != 1 {
			t.Errorf("search hoa\\x01lu found %d cases, want 1", list.Total)
		}
		if res, _ := get(t, e.h, "/cases?q=hoa%1Blu", officer); res.StatusCode != http.StatusOK {
			t.Errorf("search with ESC = %d, want 200", res.StatusCode)
		}
	})
}

// TestSignInWithControlCharacters signs in with NUL and invalid UTF-8 in the username and
// the user agent: a username that cannot exist gets the answer of an unknown user, recorded
// as a failed sign-in, and a good sign-in keeps a clean user agent, on both engines.
func TestSignInWithControlCharacters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustUser(t, s, "tran.van.a", "officer@BP")
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		_, unknownBody := tryLogin(t, h, "khong.co.ai", "sai mật khẩu")
		failures := auditCount(t, s, "login.failure")
		for _, name := range []string{"tran.van.a\x00", "\x00", "tran\xff.van.a", "tran.van.a\x1b"} {
			res, body := tryLogin(t, h, name, testPassword)
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "alert error") ||
				messageOf(body) != messageOf(unknownBody) {
				t.Errorf("sign in as %q = %d %q, want 401 as for an unknown user", name, res.StatusCode, messageOf(body))
			}
			a := &apiClient{t: t, h: h}
			res, out := a.do("POST", "/api/v1/session", map[string]string{"username": name, "password": testPassword})
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("API sign in as %q = %d %s, want 401", name, res.StatusCode, out)
			}
		}
		if got := auditCount(t, s, "login.failure"); got != failures+8 {
			t.Errorf("%d failed sign-ins recorded, want %d", got-failures, 8)
		}
		// White space around a username is still forgiven.
		signIn(t, h, " tran.van.a\t", testPassword)
		// User agents a browser would never send still sign in, kept as valid text.
		for _, ua := range []string{"Mozilla/5.0 \xff\xfe", strings.Repeat("x", 299) + "ệ"} {
			form := url.Values{"username": {"tran.van.a"}, "password": {testPassword}}
			r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("User-Agent", ua)
			if res, body := do(t, h, r); res.StatusCode != http.StatusSeeOther {
				t.Errorf("sign in with user agent %.20q… = %d\n%s", ua, res.StatusCode, body)
			}
		}
		var agents []string
		rows, err := s.DB().QueryContext(context.Background(), `SELECT user_agent FROM sessions`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var ua string
			if err := rows.Scan(&ua); err != nil {
				t.Fatal(err)
			}
			agents = append(agents, ua)
		}
		want := map[string]bool{"Mozilla/5.0 \ufffd": false, strings.Repeat("x", 299): false}
		for _, ua := range agents {
			if _, ok := want[ua]; ok {
				want[ua] = true
			}
		}
		for ua, found := range want {
			if !found {
				t.Errorf("no session keeps the user agent %.20q…; sessions have %q", ua, agents)
			}
		}
	})
}

// messageOf returns the alert of a sign-in page.
func messageOf(body string) string {
	_, after, _ := strings.Cut(body, `class="alert error" role="alert">`)
	msg, _, _ := strings.Cut(after, "<")
	return msg
}

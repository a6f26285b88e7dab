package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// clock is a settable clock for the store (and so for sessions and lockout).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func withClock(s *store.Store) *clock {
	c := &clock{t: time.Date(2016, 5, 12, 8, 0, 0, 0, time.UTC)}
	s.Now = c.Now
	return c
}

func postForm(t *testing.T, h http.Handler, path string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "192.0.2.10:40000"
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(t, h, r)
}

func tryLogin(t *testing.T, h http.Handler, username, password string) (*http.Response, string) {
	t.Helper()
	return postForm(t, h, "/login", url.Values{"username": {username}, "password": {password}})
}

// tryLoginFrom posts the sign-in form from the client address addr ("IP:port").
func tryLoginFrom(t *testing.T, h http.Handler, addr, username, password string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = addr
	return do(t, h, r)
}

// addressLockedUntil returns the end of the lock of the account for the address, or nil.
func addressLockedUntil(t *testing.T, s *store.Store, username, ip string) *time.Time {
	t.Helper()
	u, err := s.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	until, err := s.AddressLockedUntil(context.Background(), u.ID, ip)
	if err != nil {
		t.Fatal(err)
	}
	return until
}

// lastFailureReason returns the reason of the newest login.failure entry.
func lastFailureReason(t *testing.T, s *store.Store) string {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "login.failure" {
			var ch struct{ After struct{ Reason string } }
			if err := json.Unmarshal(e.Changes, &ch); err != nil {
				t.Fatalf("login.failure changes %s: %v", e.Changes, err)
			}
			return ch.After.Reason
		}
	}
	t.Fatal("no login.failure entry")
	return ""
}

// signedIn reports whether the cookie opens the home page.
func signedIn(t *testing.T, h http.Handler, c *http.Cookie) bool {
	t.Helper()
	res, _ := get(t, h, "/", c)
	return res.StatusCode == http.StatusOK
}

func auditCount(t *testing.T, s *store.Store, action string) int {
	t.Helper()
	entries, err := s.AuditLog(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

func TestSignInAndOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		mustUser(t, s, "Tran.Van.A", "officer@BP")

		// Anonymous users are sent to sign in, and come back where they were going.
		res, _ := get(t, h, "/account/password")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Faccount%2Fpassword" {
			t.Fatalf("anonymous GET = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := get(t, h, "/login?next=/account/password")
		if res.StatusCode != 200 || !strings.Contains(body, `name="next" value="/account/password"`) || !strings.Contains(body, "Đăng nhập hệ thống") {
			t.Fatalf("login page = %d", res.StatusCode)
		}

		// A cookie planted before sign-in is replaced by a new token.
		planted := &http.Cookie{Name: "phoihop_session", Value: "planted-by-an-attacker"}
		form := url.Values{"username": {"tran.van.a"}, "password": {testPassword}, "next": {"/account/password"}}
		res, _ = postForm(t, h, "/login", form, planted)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/password" {
			t.Fatalf("sign in = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		var c *http.Cookie
		for _, k := range res.Cookies() {
			if k.Name == "phoihop_session" {
				c = k
			}
		}
		if c == nil || c.Value == planted.Value || len(c.Value) < 40 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
			t.Fatalf("session cookie = %+v", c)
		}
		if !signedIn(t, h, c) || signedIn(t, h, planted) {
			t.Fatal("the new cookie must open the home page and the planted one must not")
		}
		// A second sign-in gets another token; both sessions live.
		c2 := signIn(t, h, "TRAN.VAN.A", testPassword)
		if c2.Value == c.Value {
			t.Fatal("two sign-ins got the same token")
		}

		// Sign out ends the session; replaying its cookie is refused.
		res, _ = postForm(t, h, "/logout", nil, c)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("sign out = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		if signedIn(t, h, c) {
			t.Fatal("a cookie replayed after sign-out still works")
		}
		if !signedIn(t, h, c2) {
			t.Fatal("signing out one session ended the other")
		}
		if auditCount(t, s, "login.success") != 2 || auditCount(t, s, "logout") != 1 {
			t.Fatalf("audit: %d login.success, %d logout; want 2 and 1", auditCount(t, s, "login.success"), auditCount(t, s, "logout"))
		}
		// Sign-out, like every state change, is refused from another site.
		r := httptest.NewRequest("POST", "/logout", nil)
		r.AddCookie(c2)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		if res, _ := do(t, h, r); res.StatusCode != http.StatusForbidden || !signedIn(t, h, c2) {
			t.Fatalf("cross-site sign-out = %d, want 403 and the session alive", res.StatusCode)
		}
	})
}

func TestSecureCookies(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServerWith(t, s, func(d *serverDeps) { d.SecureCookies = true })
	mustUser(t, s, "officer.ca", "officer@CA")
	c := signIn(t, srv.Handler(), "officer.ca", testPassword)
	if !c.Secure {
		t.Fatal("PHOIHOP_SECURE_COOKIES set but the session cookie is not Secure")
	}
}

func TestLockoutAndUnlockByTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clk := withClock(s)
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		mustUser(t, s, "le.thi.b", "officer@HQ")
		generic := "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản không được phép đăng nhập."
		const ip = "192.0.2.10" // tryLogin's address

		_, unknownBody := tryLogin(t, h, "khong.ton.tai", "sai mật khẩu")
		for i := 1; i <= 5; i++ {
			res, body := tryLogin(t, h, "le.thi.b", "sai mật khẩu")
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, generic) || !strings.Contains(body, `value="le.thi.b"`) {
				t.Fatalf("wrong password #%d = %d, want 401 with the generic message and the username kept", i, res.StatusCode)
			}
		}
		if !strings.Contains(unknownBody, generic) {
			t.Fatal("an unknown user does not get the same message as a wrong password")
		}
		if until := addressLockedUntil(t, s, "le.thi.b", ip); until == nil || !until.Equal(clk.Now().Add(15*time.Minute)) {
			t.Fatalf("after 5 failures: locked for %s until %v, want %v", ip, until, clk.Now().Add(15*time.Minute))
		}
		// Locked: the right password gets the same answer as a wrong one.
		res, body := tryLogin(t, h, "le.thi.b", testPassword)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, generic) {
			t.Fatalf("right password while locked = %d", res.StatusCode)
		}
		if got := lastFailureReason(t, s); got != store.ReasonLockedAddress {
			t.Fatalf("the refused right password is audited with the reason %q, want %q", got, store.ReasonLockedAddress)
		}
		if n := auditCount(t, s, "user.lockout"); n != 1 {
			t.Fatalf("%d lockout entries, want 1", n)
		}
		if n := auditCount(t, s, "login.failure"); n != 7 {
			t.Fatalf("%d login.failure entries, want 7 (unknown, 5 wrong, 1 while locked)", n)
		}
		clk.Add(14 * time.Minute)
		if res, _ := tryLogin(t, h, "le.thi.b", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("right password after 14 minutes = %d, want still locked", res.StatusCode)
		}
		clk.Add(time.Minute)
		if res, _ := tryLogin(t, h, "le.thi.b", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("right password after 15 minutes = %d, want signed in", res.StatusCode)
		}
		u, _ := s.UserByUsername(context.Background(), "le.thi.b")
		if u.Status != phoihop.UserActive || u.FailedLogins != 0 || u.LockedUntil != nil || u.LastLoginAt == nil {
			t.Fatalf("after a good sign-in: %+v", u)
		}
		// Fewer than five failures in a row do not lock: a success from the address resets
		// its count.
		for range 4 {
			tryLogin(t, h, "le.thi.b", "sai")
		}
		if res, _ := tryLogin(t, h, "le.thi.b", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("right password after 4 failures = %d, want signed in", res.StatusCode)
		}
		for range 4 {
			tryLogin(t, h, "le.thi.b", "sai")
		}
		if until := addressLockedUntil(t, s, "le.thi.b", ip); until != nil {
			t.Fatalf("4 + 4 failures around a success locked the account for %s until %v", ip, until)
		}
		if res, _ := tryLogin(t, h, "le.thi.b", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("right password after 4 + 4 failures around a success = %d, want signed in", res.StatusCode)
		}
	})
}

// TestLockoutFromOneAddressLeavesOthersIn: five wrong passwords from one address lock the
// account for that address only; the account still signs in from another one.
func TestLockoutFromOneAddressLeavesOthersIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clk := withClock(s)
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		mustUser(t, s, "admin", "admin@*")
		const attacker, office = "203.0.113.66:5000", "192.0.2.20:41000"

		for range 5 {
			if res, _ := tryLoginFrom(t, h, attacker, "admin", "đoán mò 123456"); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a guess = %d, want 401", res.StatusCode)
			}
		}
		if res, _ := tryLoginFrom(t, h, attacker, "admin", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the right password from the locked address = %d, want 401", res.StatusCode)
		}
		if got := lastFailureReason(t, s); got != store.ReasonLockedAddress {
			t.Fatalf("reason = %q, want %q", got, store.ReasonLockedAddress)
		}
		// The administrator signs in from the office, more than once, while the attacker's
		// address stays locked.
		for range 2 {
			if res, body := tryLoginFrom(t, h, office, "admin", testPassword); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("the right password from another address = %d, want 303:\n%.300s", res.StatusCode, body)
			}
		}
		if until := addressLockedUntil(t, s, "admin", "203.0.113.66"); until == nil || !until.Equal(clk.Now().Add(15*time.Minute)) {
			t.Fatalf("a success from the office lifted the attacker's lock: until %v", until)
		}
		if res, _ := tryLoginFrom(t, h, attacker, "admin", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the right password from the locked address after the office signed in = %d, want 401", res.StatusCode)
		}
		// The office's own failures are counted apart from the attacker's.
		for range 4 {
			tryLoginFrom(t, h, office, "admin", "gõ nhầm")
		}
		if res, _ := tryLoginFrom(t, h, office, "admin", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the office after 4 typing mistakes = %d, want 303", res.StatusCode)
		}
		u, _ := s.UserByUsername(context.Background(), "admin")
		if u.Status != phoihop.UserActive || u.LockedUntil != nil {
			t.Fatalf("the account = %s until %v, want active for everyone", u.Status, u.LockedUntil)
		}
		clk.Add(15 * time.Minute)
		if res, _ := tryLoginFrom(t, h, attacker, "admin", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the right password from the first address 15 minutes later = %d, want 303", res.StatusCode)
		}
	})
}

// TestLockoutForEveryone: 50 wrong passwords within 15 minutes from many addresses lock the
// account for every address, the right password included, for 15 minutes.
func TestLockoutForEveryone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clk := withClock(s)
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		u := mustUser(t, s, "nguyen.e", "officer@CA")
		// 49 guesses recorded as the sign-in form records them, from 49 addresses (each
		// alone would lock nothing), then the 50th through the form.
		for i := range 49 {
			a := phoihop.Actor{UserID: &u.ID, Username: u.Username, IP: fmt.Sprintf("198.51.100.%d", i+1)}
			if _, err := s.LoginFailure(context.Background(), a, u.ID, u.Username, store.ReasonWrongPassword,
				store.LoginLimits{AddressFailures: 5, AccountFailures: 50, AccountWindow: 15 * time.Minute, LockFor: 15 * time.Minute}); err != nil {
				t.Fatal(err)
			}
		}
		if res, _ := tryLoginFrom(t, h, "192.0.2.30:1000", "nguyen.e", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the right password after 49 guesses = %d, want 303", res.StatusCode)
		}
		if res, _ := tryLoginFrom(t, h, "203.0.113.50:1000", "nguyen.e", "đoán mò"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the 50th guess = %d, want 401", res.StatusCode)
		}
		got, _ := s.UserByUsername(context.Background(), "nguyen.e")
		if got.Status != phoihop.UserLocked || got.LockedUntil == nil || !got.LockedUntil.Equal(clk.Now().Add(15*time.Minute)) {
			t.Fatalf("after 50 guesses: status %s until %v, want locked for 15 minutes", got.Status, got.LockedUntil)
		}
		for _, addr := range []string{"192.0.2.30:1000", "192.0.2.31:1000"} {
			if res, _ := tryLoginFrom(t, h, addr, "nguyen.e", testPassword); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("the right password from %s while locked for everyone = %d, want 401", addr, res.StatusCode)
			}
			if got := lastFailureReason(t, s); got != store.ReasonLocked {
				t.Fatalf("reason = %q, want %q", got, store.ReasonLocked)
			}
		}
		clk.Add(15 * time.Minute)
		if res, _ := tryLoginFrom(t, h, "192.0.2.31:1000", "nguyen.e", testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the right password 15 minutes later = %d, want 303", res.StatusCode)
		}
	})
}

func TestThrottlePerAddress(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	srv, _, _ := newServer(t, s)
	h := srv.Handler()
	mustUser(t, s, "pham.van.c", "officer@CSB")
	for i := range 20 {
		// Different unknown names, so no account locks: only the address is throttled.
		tryLogin(t, h, "khong.co."+string(rune('a'+i)), "x")
	}
	res, body := tryLogin(t, h, "pham.van.c", testPassword)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "đăng nhập sai quá nhiều lần") {
		t.Fatalf("sign-in after 20 failures from one address = %d, want 429", res.StatusCode)
	}
	// Another address is not affected.
	r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"username": {"pham.van.c"}, "password": {testPassword}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "198.51.100.7:1234"
	if res, _ := do(t, h, r); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in from another address = %d, want 303", res.StatusCode)
	}
}

func TestSessionExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clk := withClock(s)
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		mustUser(t, s, "nguyen.d", "leader@BP")

		// Idle: 29 minutes apart is fine, 30 minutes idle ends the session.
		c := signIn(t, h, "nguyen.d", testPassword)
		clk.Add(29 * time.Minute)
		if !signedIn(t, h, c) {
			t.Fatal("session ended after 29 idle minutes")
		}
		clk.Add(29 * time.Minute)
		if !signedIn(t, h, c) {
			t.Fatal("activity did not restart the idle timeout")
		}
		clk.Add(30 * time.Minute)
		if signedIn(t, h, c) {
			t.Fatal("session alive after 30 idle minutes")
		}

		// Absolute: active every 25 minutes, the session still ends 12 hours after sign-in.
		c = signIn(t, h, "nguyen.d", testPassword)
		start := clk.Now()
		for clk.Now().Sub(start) < 12*time.Hour-25*time.Minute {
			clk.Add(25 * time.Minute)
			if !signedIn(t, h, c) {
				t.Fatalf("active session ended after %v", clk.Now().Sub(start))
			}
		}
		clk.Add(25 * time.Minute)
		if signedIn(t, h, c) {
			t.Fatalf("session alive %v after sign-in", clk.Now().Sub(start))
		}
	})
}

func TestForcedPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		u := mustUser(t, s, "moi.vao", "officer@BP")
		storetest.MustExec(t, s, "UPDATE users SET must_change_password = ? WHERE id = ?", true, u.ID)

		res, _ := tryLogin(t, h, "moi.vao", testPassword)
		if res.Header.Get("Location") != "/account/password" {
			t.Fatalf("sign in with a one-time password → %q, want /account/password", res.Header.Get("Location"))
		}
		c := res.Cookies()[0]
		if res, _ := get(t, h, "/", c); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/password" {
			t.Fatalf("home before the change = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, body := get(t, h, "/account/password", c)
		if !strings.Contains(body, "Bạn cần đổi mật khẩu") {
			t.Fatal("the forced change is not explained")
		}
		bad := []struct {
			current, next, confirm, field, msg string
		}{
			{"sai", "Một mật khẩu mới dài", "Một mật khẩu mới dài", "current_password", "Mật khẩu hiện tại không đúng."},
			{testPassword, "ngắn", "ngắn", "new_password", "ít nhất 8 ký tự"},
			{testPassword, "password123", "password123", "new_password", "mật khẩu phổ biến"},
			{testPassword, "Anhyeuem123", "Anhyeuem123", "new_password", "mật khẩu phổ biến"},
			{testPassword, "moi.vao.2016!", "moi.vao.2016!", "new_password", "không được chứa tên đăng nhập"},
			{testPassword, testPassword, testPassword, "new_password", "phải khác mật khẩu hiện tại"},
			{testPassword, "Một mật khẩu mới dài", "Một mật khẩu khác", "confirm_password", "không khớp"},
		}
		for _, tt := range bad {
			res, body := postForm(t, h, "/account/password", url.Values{"current_password": {tt.current}, "new_password": {tt.next}, "confirm_password": {tt.confirm}}, c)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.msg) || !strings.Contains(body, `id="`+tt.field+`" name="`+tt.field+`" type="password" autocomplete`) {
				t.Errorf("change %q→%q: %d, want 400 with %q", tt.current, tt.next, res.StatusCode, tt.msg)
			}
			if !strings.Contains(body, `aria-invalid="true" aria-describedby="`+tt.field+`-msg"`) {
				t.Errorf("change %q→%q: the field %s is not marked", tt.current, tt.next, tt.field)
			}
		}
		other := signInAfterChange(t, h, s, u.ID)
		res, _ = postForm(t, h, "/account/password", url.Values{"current_password": {testPassword}, "new_password": {"Trời hôm nay đẹp quá"}, "confirm_password": {"Trời hôm nay đẹp quá"}}, c)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good change = %d", res.StatusCode)
		}
		if !signedIn(t, h, c) {
			t.Fatal("the session the change was made in ended")
		}
		if signedIn(t, h, other) {
			t.Fatal("another session of the user survived the password change")
		}
		if res, _ := tryLogin(t, h, "moi.vao", testPassword); res.StatusCode != http.StatusUnauthorized {
			t.Fatal("the old password still works")
		}
		signIn(t, h, "moi.vao", "Trời hôm nay đẹp quá")
		if n := auditCount(t, s, "user.change_password"); n != 1 {
			t.Fatalf("%d user.change_password entries, want 1", n)
		}
	})
}

// signInAfterChange opens a second session of the user (via the login form) to check it ends.
func signInAfterChange(t *testing.T, h http.Handler, s *store.Store, id int64) *http.Cookie {
	t.Helper()
	u, err := s.UserByID(context.Background(), store.AllAccounts(), id)
	if err != nil {
		t.Fatal(err)
	}
	return signIn(t, h, u.Username, testPassword)
}

func TestAPISession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv, _, _ := newServer(t, s)
		h := srv.Handler()
		mustUser(t, s, "api.client", "analyst@*")
		post := func(body, ctype string) (*http.Response, string) {
			r := httptest.NewRequest("POST", "/api/v1/session", strings.NewReader(body))
			r.Header.Set("Content-Type", ctype)
			return do(t, h, r)
		}
		for _, tt := range []struct {
			body, ctype string
			status      int
			want        string
		}{
			{`{"username":"api.client","password":"sai"}`, "application/json", 401, `"code":"unauthorized"`},
			{`{"username":"api.client"}`, "application/json", 400, `"fields":{"password":"This field is required."}`},
			{`{"username":"api.client","password":"x","extra":1}`, "application/json", 400, `"code":"invalid"`},
			{`{"username":1}`, "application/json", 400, `"username":"Expected a string."`},
			{"username=api.client", "application/x-www-form-urlencoded", 400, "application/json"},
			{"{\"username\":\"\xff\",\"password\":\"x\"}", "application/json", 400, "UTF-8"},
			{`{"username":"a","password":"b"} {}`, "application/json", 400, "more than one"},
		} {
			res, body := post(tt.body, tt.ctype)
			if res.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("POST %q = %d %s, want %d with %q", tt.body, res.StatusCode, body, tt.status, tt.want)
			}
		}
		res, body := post(`{"username":"API.Client","password":"`+testPassword+`"}`, "application/json; charset=utf-8")
		if res.StatusCode != 200 || !strings.Contains(body, `"token":"`) {
			t.Fatalf("API sign-in = %d %s", res.StatusCode, body)
		}
		token := body[strings.Index(body, `"token":"`)+9:]
		token = token[:strings.IndexByte(token, '"')]
		del := func(tok string) int {
			r := httptest.NewRequest("DELETE", "/api/v1/session", nil)
			r.Header.Set("Authorization", "Bearer "+tok)
			res, _ := do(t, h, r)
			return res.StatusCode
		}
		if got := del(token); got != http.StatusNoContent {
			t.Fatalf("DELETE /api/v1/session = %d, want 204", got)
		}
		if got := del(token); got != http.StatusUnauthorized {
			t.Fatalf("the token after sign-out = %d, want 401", got)
		}
	})
}

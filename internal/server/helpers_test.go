package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// mustUnits creates BP units (a headquarters with a border post, and a retired post) and a CA
// headquarters.
func mustUnits(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	a := phoihop.SystemActor("test")
	day := func(y int, m, d int) phoihop.Date { return phoihop.Date{Year: y, Month: time.Month(m), Day: d} }
	bp := &phoihop.Unit{Agency: "BP", Code: "BP-BCH", Name: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", Kind: "headquarters", ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, bp)
	post := &phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-HOA-LU", Name: "Đồn Biên phòng cửa khẩu Hoa Lư", Kind: "border_post", Border: true, ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, post)
	old := &phoihop.Unit{Agency: "BP", ParentID: &bp.ID, Code: "BP-CU", Name: "Đồn Biên phòng cũ", Kind: "border_post", Border: true, ValidFrom: day(2000, 1, 1)}
	mustCreateUnit(t, s, a, old)
	if _, err := s.RetireUnit(ctx, a, store.Domains{All: true}, old.ID, day(2010, 6, 30), old.Version); err != nil {
		t.Fatalf("retire: %v", err)
	}
	mustCreateUnit(t, s, a, &phoihop.Unit{Agency: "CA", Code: "CA-TINH", Name: "Công an tỉnh", Kind: "headquarters", ValidFrom: day(2000, 1, 1)})
}

func mustCreateUnit(t *testing.T, s *store.Store, a phoihop.Actor, u *phoihop.Unit) {
	t.Helper()
	if err := s.CreateUnit(context.Background(), a, store.Domains{All: true}, u); err != nil {
		t.Fatalf("create unit %s: %v", u.Code, err)
	}
}

// testPassword is every test user's password. Its hash is made once, with argon2id at a
// test's cost (64 KiB, one pass): sign-in checks a hash with the parameters written in it, so
// the tests sign in through the real path without paying 0.1 s of the production cost each
// time. Accounts made by the application itself (the admin pages, password changes) get the
// production cost as always.
const testPassword = "Mật khẩu thử nghiệm 2016"

var (
	testHashOnce sync.Once
	testHash     string
)

// mustUser creates an active user with testPassword and the roles ("role@DOMAIN").
func mustUser(t testing.TB, s *store.Store, username string, roles ...string) *phoihop.User {
	t.Helper()
	testHashOnce.Do(func() {
		h, err := argon2id.CreateHash(testPassword, &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
		if err != nil {
			panic(err)
		}
		testHash = h
	})
	var grants []phoihop.RoleGrant
	for _, r := range roles {
		role, domain, _ := strings.Cut(r, "@")
		grants = append(grants, phoihop.RoleGrant{Role: role, Domain: domain})
	}
	u := &phoihop.User{Username: username, FullName: "Người dùng " + username}
	if err := s.CreateUser(context.Background(), phoihop.SystemActor("test"), store.AllAccounts(), u, testHash, grants...); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// signIn signs in through POST /login and returns the session cookie.
func signIn(t testing.TB, h http.Handler, username, password string) *http.Cookie {
	t.Helper()
	form := url.Values{"username": {username}, "password": {password}}
	r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := do(t, h, r)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s = %d, want 303:\n%s", username, res.StatusCode, body)
	}
	for _, c := range res.Cookies() {
		if c.Name == "phoihop_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign in %s set no session cookie", username)
	return nil
}

// get sends GET path with the cookies.
func get(t testing.TB, h http.Handler, path string, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return do(t, h, r)
}

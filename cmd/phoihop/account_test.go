package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// postLogin posts the sign-in form to a running server and returns the status, the redirect
// and the session cookie (nil when none was set).
func postLogin(t *testing.T, base, username, password string) (int, string, *http.Cookie) {
	t.Helper()
	res, err := noRedirect.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "phoihop_session" && c.Value != "" {
			return res.StatusCode, res.Header.Get("Location"), c
		}
	}
	return res.StatusCode, res.Header.Get("Location"), nil
}

// signedIn reports whether the session cookie opens the home page of the running server.
func signedIn(t *testing.T, base string, c *http.Cookie) bool {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/", nil)
	req.AddCookie(c)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("GET /: %v", err)
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// cliEntries returns the audit entries of the action written by the command line.
func cliEntries(t *testing.T, st *store.Store, action string) []phoihop.AuditEntry {
	t.Helper()
	log, err := st.AuditLog(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []phoihop.AuditEntry
	for _, e := range log {
		if e.Action == action && e.Username == "system:cli" {
			out = append(out, e)
		}
	}
	return out
}

var oneTimeRE = regexp.MustCompile(`one-time password \(to be changed at first sign-in\): (\S+)\n`)

// TestUserUnlockAndResetPassword: an operator with the server's shell gets back into a
// locked-out account while the server runs.
func TestUserUnlockAndResetPassword(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testUserUnlockAndResetPassword(t, engine) })
	}
}

func testUserUnlockAndResetPassword(t *testing.T, engine string) {
	const first, second = "Mật khẩu quản trị 2016", "Một câu mật khẩu mới 2026"
	db := storetest.URL(t, engine)
	r := startServe(t, map[string]string{config.EnvAdminPassword: first}, "--database-url", db)
	st := mustOpen(t, db)
	admin := mustUser(t, st, store.AdminUsername)

	// Five wrong passwords from this address lock admin for it: the right one is refused.
	for range 5 {
		if code, _, _ := postLogin(t, r.base, "admin", "đoán mò 123456"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password = %d, want 401", code)
		}
	}
	if code, _, _ := postLogin(t, r.base, "admin", first); code != http.StatusUnauthorized {
		t.Fatalf("the right password while locked = %d, want 401", code)
	}
	out := mustRun(t, "", "user", "unlock", "--database-url", db, "ADMIN")
	if want := "unlocked user admin (id " + itoa(admin.ID) + "): lifted its lock for 1 address; its failed sign-ins are cleared\n"; out != want {
		t.Fatalf("user unlock = %q, want %q", out, want)
	}
	code, _, session := postLogin(t, r.base, "admin", first)
	if code != http.StatusSeeOther || session == nil {
		t.Fatalf("the right password after user unlock = %d, want 303 with a session", code)
	}
	if n := len(cliEntries(t, st, "user.unlock")); n != 1 {
		t.Fatalf("%d user.unlock entries by system:cli, want 1", n)
	}
	// Unlocking an account that is not locked says so, and is recorded too.
	out = mustRun(t, "", "user", "unlock", "admin", "--database-url", db)
	if want := "user admin (id " + itoa(admin.ID) + ") was not locked; its failed sign-ins are cleared\n"; out != want {
		t.Fatalf("second user unlock = %q, want %q", out, want)
	}

	// A new password from standard input, kept: the old one fails, the new one signs in
	// without a forced change, and the open session has ended.
	out = mustRun(t, second+"\n", "user", "reset-password", "--password-stdin", "--database-url", db, "admin")
	for _, want := range []string{"reset the password of user admin (id " + itoa(admin.ID) + "): its sessions ended and its sign-in locks were lifted",
		"the password read from standard input is kept"} {
		if !strings.Contains(out, want) {
			t.Fatalf("user reset-password --password-stdin = %q, want it to contain %q", out, want)
		}
	}
	if signedIn(t, r.base, session) {
		t.Fatal("a session opened before the reset still works")
	}
	if code, _, _ := postLogin(t, r.base, "admin", first); code != http.StatusUnauthorized {
		t.Fatalf("the old password after the reset = %d, want 401", code)
	}
	code, next, session := postLogin(t, r.base, "admin", second)
	if code != http.StatusSeeOther || next != "/" || !signedIn(t, r.base, session) {
		t.Fatalf("the new password = %d → %q, want 303 → / and a working session", code, next)
	}

	// Without --password-stdin: a one-time password, printed once, to be changed.
	out = mustRun(t, "", "user", "reset-password", "admin", "--database-url", db)
	m := oneTimeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("user reset-password = %q, want a one-time password", out)
	}
	if code, _, _ := postLogin(t, r.base, "admin", second); code != http.StatusUnauthorized {
		t.Fatalf("the previous password after the second reset = %d, want 401", code)
	}
	if code, next, _ := postLogin(t, r.base, "admin", m[1]); code != http.StatusSeeOther || next != "/account/password" {
		t.Fatalf("the one-time password = %d → %q, want 303 → /account/password", code, next)
	}
	r.stop(t)

	resets := cliEntries(t, st, "user.reset_password")
	if len(resets) != 2 {
		t.Fatalf("%d user.reset_password entries by system:cli, want 2", len(resets))
	}
	// Newest first: the one-time password must be changed, the kept one need not.
	for i, want := range []string{`"must_change_password":true`, `"must_change_password":false`} {
		if ch := strings.ReplaceAll(string(resets[i].Changes), " ", ""); !strings.Contains(ch, `"after":{`) || !strings.Contains(ch[strings.Index(ch, `"after":{`):], want) {
			t.Errorf("user.reset_password entry %d = %s, want after.%s", i, resets[i].Changes, want)
		}
		if resets[i].EntityID != itoa(admin.ID) || strings.Contains(string(resets[i].Changes), "argon2id") {
			t.Errorf("user.reset_password entry %d = %+v", i, resets[i])
		}
	}
}

func TestUserUnlockAndResetPasswordRefusals(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "x.db")
	const password = "Mật khẩu rất dài 2016"
	mustRun(t, password+"\n", "user", "add", "--database-url", db, "--username", "tran.van.a", "--role", "analyst", "--domain", "*", "--password-stdin")
	st := mustOpen(t, db)
	before := mustUser(t, st, "tran.van.a")

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"unlock: unknown user", "", []string{"user", "unlock", "--database-url", db, "khong.co"},
			[]string{`no user with the username "khong.co"`, "nothing was changed"}},
		{"reset: unknown user", "", []string{"user", "reset-password", "--database-url", db, "khong.co"},
			[]string{`no user with the username "khong.co"`}},
		{"unlock: no username", "", []string{"user", "unlock", "--database-url", db},
			[]string{"give the username: phoihop user unlock USERNAME"}},
		{"reset: no username", "", []string{"user", "reset-password", "--password-stdin"},
			[]string{"give the username: phoihop user reset-password USERNAME"}},
		{"unlock: two usernames", "", []string{"user", "unlock", "--database-url", db, "tran.van.a", "admin"},
			[]string{`unexpected argument "admin"`}},
		{"unlock: unknown flag", "", []string{"user", "unlock", "--force", "tran.van.a"},
			[]string{"-force"}},
		{"unlock: --password-stdin is not its flag", "", []string{"user", "unlock", "tran.van.a", "--password-stdin"},
			[]string{"-password-stdin"}},
		{"reset: bad database URL", "", []string{"user", "reset-password", "--database-url", "mysql://u@h/db", "tran.van.a"},
			[]string{`unknown scheme "mysql"`}},
		{"reset: short password", "ngắn\n", []string{"user", "reset-password", "--database-url", db, "--password-stdin", "tran.van.a"},
			[]string{"--password-stdin", "at least 8 characters"}},
		{"reset: common password", "password123\n", []string{"user", "reset-password", "--database-url", db, "--password-stdin", "tran.van.a"},
			[]string{"--password-stdin", "most common"}},
		{"reset: password holding the username", "Tran.Van.A-2016!\n", []string{"user", "reset-password", "--database-url", db, "--password-stdin", "tran.van.a"},
			[]string{"--password-stdin", "must not contain the username"}},
		{"reset: empty standard input", "", []string{"user", "reset-password", "--database-url", db, "--password-stdin", "tran.van.a"},
			[]string{"--password-stdin", "no password"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustFailUsage(t, tc.stdin, tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("error = %q, want it to contain %q", got, w)
				}
			}
		})
	}
	after := mustUser(t, st, "tran.van.a")
	if after.PasswordHash != before.PasswordHash || after.Version != before.Version {
		t.Fatal("a refused command changed the account")
	}
	for _, action := range []string{"user.unlock", "user.reset_password"} {
		if n := len(cliEntries(t, st, action)); n != 0 {
			t.Fatalf("%d %s entries after refused commands, want 0", n, action)
		}
	}
	// A disabled account is unlocked but stays disabled, and the operator is told so.
	storetest.MustExec(t, st, `UPDATE users SET status = 'disabled' WHERE id = ?`, before.ID)
	out := mustRun(t, "", "user", "unlock", "--database-url", db, "tran.van.a")
	if !strings.Contains(out, "note: the account tran.van.a is disabled") {
		t.Fatalf("user unlock of a disabled account = %q, want a note saying it is disabled", out)
	}
	if got := mustUser(t, st, "tran.van.a"); got.Status != phoihop.UserDisabled {
		t.Fatalf("status after unlock = %s, want disabled", got.Status)
	}
}

func TestHelpListsUserUnlockAndResetPassword(t *testing.T) {
	out := mustRun(t, "", "help")
	for _, want := range []string{"phoihop user unlock [flags] USERNAME", "phoihop user reset-password [flags] USERNAME", "--password-stdin"} {
		if !strings.Contains(out, want) {
			t.Errorf("help = %q, want it to contain %q", out, want)
		}
	}
	if got := mustFailUsage(t, "", "user", "remove"); !strings.Contains(got, `"unlock"`) || !strings.Contains(got, `"reset-password"`) {
		t.Errorf("user remove = %q, want the subcommands listed", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

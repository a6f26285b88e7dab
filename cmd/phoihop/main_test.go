package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/auth"
	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/migrations"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeEnv returns a getenv that looks names up in m, so the tests never see the real environment.
func fakeEnv(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

// runCmd runs the program to completion with stdin and returns its standard output and error.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	err = run(context.Background(), args, fakeEnv(env), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustRun runs the program and fails the test when it returns an error.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	stdout, stderr, err := runCmd(t, nil, stdin, args...)
	if err != nil {
		t.Fatalf("phoihop %s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout
}

// mustFailUsage runs the program, expects a usageError and returns its text.
func mustFailUsage(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	_, _, err := runCmd(t, nil, stdin, args...)
	if err == nil {
		t.Fatalf("phoihop %s = nil, want an error", strings.Join(args, " "))
	}
	var u usageError
	if !errors.As(err, &u) {
		t.Fatalf("phoihop %s error = %q (%T), want a usageError", strings.Join(args, " "), err, err)
	}
	return err.Error()
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// mustOpen opens the store of a database URL, closed when the test ends.
func mustOpen(t *testing.T, databaseURL string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), databaseURL)
	if err != nil {
		t.Fatalf("store.Open(%q): %v", databaseURL, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mustUser(t *testing.T, st *store.Store, username string) *phoihop.User {
	t.Helper()
	u, err := st.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("UserByUsername(%q): %v", username, err)
	}
	return u
}

func mustRoles(t *testing.T, st *store.Store, username string) string {
	t.Helper()
	roles, err := st.UserRoles(context.Background(), username)
	if err != nil {
		t.Fatalf("UserRoles(%q): %v", username, err)
	}
	return fmt.Sprint(roles)
}

func mustCheckPassword(t *testing.T, pw, hash string) {
	t.Helper()
	ok, err := auth.CheckPassword(pw, hash)
	if err != nil {
		t.Fatalf("CheckPassword: %v", err)
	}
	if !ok {
		t.Fatalf("CheckPassword(%q, hash) = false, want true", pw)
	}
}

func TestRunCommands(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"version"}, []string{"phoihop "}},
		{[]string{"help"}, []string{"Usage:", "phoihop migrate", "phoihop user add", "phoihop unit add", "phoihop version"}},
		{[]string{"-h"}, []string{"Usage:"}},
		{[]string{"--help"}, []string{"Usage:"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got := mustRun(t, "", tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("stdout = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate"`, "help"}},
		{[]string{"user"}, []string{`"add"`}},
		{[]string{"user", "remove"}, []string{`"add"`}},
		{[]string{"unit", "list"}, []string{`"add"`}},
		{[]string{"migrate", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"migrate", "--database-url", "mysql://u@h/db"}, []string{`unknown scheme "mysql"`}},
		{[]string{"user", "add", "--database-url", "sqlite://" + filepath.Join(t.TempDir(), "x.db")}, []string{"--username is required"}},
		{[]string{"serve", "--no-such-flag"}, []string{"no-such-flag"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got := mustFailUsage(t, "", tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("error = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

func TestServeStartErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	notAFolder := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(notAFolder, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"unknown database scheme",
			[]string{"serve", "--addr", "127.0.0.1:0", "--database-url", "mysql://u@h/db"},
			[]string{`unknown scheme "mysql"`}},
		{"address in use",
			[]string{"serve", "--addr", busy.Addr().String(), "--database-url", "sqlite://" + filepath.Join(t.TempDir(), "x.db")},
			[]string{busy.Addr().String(), "already in use", "--addr"}},
		{"metrics address in use",
			[]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", busy.Addr().String(),
				"--database-url", "sqlite://" + filepath.Join(t.TempDir(), "x.db")},
			[]string{"already in use", "--metrics-addr"}},
		{"data folder is a file",
			[]string{"serve", "--addr", "127.0.0.1:0", "--database-url", "sqlite://" + filepath.Join(notAFolder, "x.db")},
			[]string{"data folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustFailUsage(t, "", tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("error = %q, want it to contain %q", got, w)
				}
			}
		})
	}
}

// running is a `phoihop serve` started by startServe.
type running struct {
	base   string // http://127.0.0.1:PORT
	log    *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

var client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// startServe runs the program with args (plus --addr on a free port) in a goroutine and
// waits until /readyz answers 200. The server is stopped when the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{base: "http://" + addr, log: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args = append([]string{"--addr", addr}, args...)
	go func() {
		r.done <- run(ctx, args, fakeEnv(env), strings.NewReader(""), io.Discard, r.log)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(40 * time.Second):
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("phoihop %s returned before it was ready: %v\nlog:\n%s", strings.Join(args, " "), err, r.log)
		default:
		}
		if res, err := client.Get(r.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz did not answer 200 within 15 s\nlog:\n%s", r.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop cancels the context, as SIGTERM does, and fails the test unless run returns nil.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("run after cancel = %v, want nil\nlog:\n%s", err, r.log)
		}
		r.done <- nil // for the cleanup
	case <-time.After(40 * time.Second):
		t.Fatalf("run did not return within 40 s of cancel\nlog:\n%s", r.log)
	}
}

// get fetches base+path and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return res.StatusCode, string(body)
}

var generatedPasswordRE = regexp.MustCompile(`created the admin account.* password=(\S+)`)

func TestServeLifecycle(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testServeLifecycle(t, engine) })
	}
}

func testServeLifecycle(t *testing.T, engine string) {
	ctx := context.Background()
	t.Run("generated admin password, then a restart", func(t *testing.T) {
		dbURL := storetest.URL(t, engine)
		r := startServe(t, nil, "--database-url", dbURL)
		if code, body := get(t, r.base+"/"); code != http.StatusOK || !strings.Contains(body, "Phối hợp") {
			t.Fatalf("GET / = %d, want 200 with %q; body:\n%.500s", code, "Phối hợp", body)
		}
		if code, _ := get(t, r.base+"/healthz"); code != http.StatusOK {
			t.Fatalf("GET /healthz = %d, want 200", code)
		}
		r.stop(t)

		log := r.log.String()
		if n := strings.Count(log, "created the admin account"); n != 1 {
			t.Fatalf("log has %d lines %q, want 1\nlog:\n%s", n, "created the admin account", log)
		}
		m := generatedPasswordRE.FindStringSubmatch(log)
		if m == nil {
			t.Fatalf("log has no password= on the admin line\nlog:\n%s", log)
		}
		password := m[1]
		for _, w := range []string{"database migrated", "phoihop is serving", "phoihop stopped"} {
			if !strings.Contains(log, w) {
				t.Fatalf("log lacks %q\nlog:\n%s", w, log)
			}
		}

		st := mustOpen(t, dbURL)
		admin := mustUser(t, st, store.AdminUsername)
		mustCheckPassword(t, password, admin.PasswordHash)
		if !admin.MustChangePassword {
			t.Fatalf("admin.MustChangePassword = false with a generated password, want true")
		}
		if got, want := mustRoles(t, st, store.AdminUsername), "[[admin *]]"; got != want {
			t.Fatalf("UserRoles(admin) = %s, want %s", got, want)
		}
		hashBefore := admin.PasswordHash
		st.Close()

		r = startServe(t, map[string]string{config.EnvAdminPassword: "một mật khẩu khác 2016"}, "--database-url", dbURL)
		r.stop(t)
		log = r.log.String()
		if strings.Contains(log, "created the admin account") {
			t.Fatalf("the restart's log says %q, want the account left alone\nlog:\n%s", "created the admin account", log)
		}
		if strings.Contains(log, "database migrated") {
			t.Fatalf("the restart's log says %q, want nothing to migrate\nlog:\n%s", "database migrated", log)
		}
		st = mustOpen(t, dbURL)
		admin = mustUser(t, st, store.AdminUsername)
		if admin.PasswordHash != hashBefore {
			t.Fatalf("admin.PasswordHash = %q after the restart, want %q", admin.PasswordHash, hashBefore)
		}
		if n, err := st.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("CountUsers = %d, %v, want 1", n, err)
		}
	})

	t.Run("admin password from the environment, with metrics", func(t *testing.T) {
		const password = "Mật khẩu quản trị 2016"
		dbURL := storetest.URL(t, engine)
		metricsAddr := freeAddr(t)
		r := startServe(t, map[string]string{config.EnvAdminPassword: password, config.EnvDatabaseURL: dbURL,
			config.EnvLogFormat: "json"}, "--metrics-addr", metricsAddr)
		code, body := get(t, "http://"+metricsAddr+"/metrics")
		if code != http.StatusOK || !strings.Contains(body, "phoihop_http_requests_total") {
			t.Fatalf("GET /metrics = %d, want 200 with phoihop_http_requests_total; body:\n%.500s", code, body)
		}
		b := readBuild()
		if b.Revision == "" {
			b.Revision = "unknown"
		}
		buildLine := fmt.Sprintf(`phoihop_build_info{go_version=%q,revision=%q,version=%q} 1`, runtime.Version(), b.Revision, b.Version)
		if !strings.Contains(body, buildLine) {
			t.Errorf("GET /metrics lacks %s; body:\n%.2000s", buildLine, body)
		}
		r.stop(t)

		log := r.log.String()
		// PHOIHOP_LOG_FORMAT=json: every line of the log is one JSON object with a message.
		for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
			var entry map[string]any
			if err := json.Unmarshal([]byte(line), &entry); err != nil || entry["msg"] == nil {
				t.Fatalf("log line %q is not a JSON object with msg (%v)", line, err)
			}
		}
		if n := strings.Count(log, "created the admin account with the password of "+config.EnvAdminPassword); n != 1 {
			t.Fatalf("log has %d lines saying the admin got the password of %s, want 1\nlog:\n%s", n, config.EnvAdminPassword, log)
		}
		if strings.Contains(log, `"password"`) || strings.Contains(log, password) {
			t.Fatalf("log shows the admin password, want it kept out\nlog:\n%s", log)
		}
		st := mustOpen(t, dbURL)
		admin := mustUser(t, st, store.AdminUsername)
		mustCheckPassword(t, password, admin.PasswordHash)
		if admin.MustChangePassword {
			t.Fatalf("admin.MustChangePassword = true with %s, want false", config.EnvAdminPassword)
		}
		if got, want := mustRoles(t, st, store.AdminUsername), "[[admin *]]"; got != want {
			t.Fatalf("UserRoles(admin) = %s, want %s", got, want)
		}
	})
}

func TestMigrate(t *testing.T) {
	files, err := fs.Glob(migrations.FS, "sqlite/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	// The schema's version is the newest migration's number (numbers may skip one another
	// branch took).
	version, err := strconv.Atoi(strings.SplitN(filepath.Base(files[len(files)-1]), "_", 2)[0])
	if err != nil {
		t.Fatalf("migration %s: %v", files[len(files)-1], err)
	}
	dbURL := "sqlite://" + filepath.Join(t.TempDir(), "sub", "x.db")
	for _, want := range []string{
		fmt.Sprintf("applied %d migration(s); the sqlite schema is at version %d\n", len(files), version),
		fmt.Sprintf("applied 0 migration(s); the sqlite schema is at version %d\n", version),
	} {
		if got := mustRun(t, "", "migrate", "--database-url", dbURL); got != want {
			t.Fatalf("migrate = %q, want %q", got, want)
		}
	}
	// The environment fallback names the same database.
	got, _, err := runCmd(t, map[string]string{config.EnvDatabaseURL: dbURL}, "", "migrate")
	if err != nil {
		t.Fatalf("migrate with %s: %v", config.EnvDatabaseURL, err)
	}
	if !strings.HasPrefix(got, "applied 0 migration(s)") {
		t.Fatalf("migrate with %s = %q, want %q", config.EnvDatabaseURL, got, "applied 0 migration(s)…")
	}
}

func TestUnitAndUserAdd(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testUnitAndUserAdd(t, engine) })
	}
}

func testUnitAndUserAdd(t *testing.T, engine string) {
	ctx := context.Background()
	db := storetest.URL(t, engine)
	unitAdd := func(args ...string) []string {
		return append([]string{"unit", "add", "--database-url", db}, args...)
	}
	userAdd := func(args ...string) []string {
		return append([]string{"user", "add", "--database-url", db}, args...)
	}

	out := mustRun(t, "", unitAdd("--agency", "BP", "--code", "bp-hoa-lu", "--name", "Đồn Biên phòng cửa khẩu Hoa Lư",
		"--kind", "border_post", "--border", "--valid-from", "13/02/2004")...)
	if !strings.Contains(out, "created unit BP-HOA-LU") {
		t.Fatalf("unit add = %q, want %q", out, "created unit BP-HOA-LU …")
	}
	mustRun(t, "", unitAdd("--agency", "bp", "--code", "BP-HOA-LU-TRAM", "--name", "Trạm kiểm soát", "--kind", "team",
		"--parent", "bp-hoa-lu", "--valid-from", "2016-01-01")...)
	mustRun(t, "", unitAdd("--agency", "CA", "--code", "CA-BINH-PHUOC", "--name", "Công an tỉnh Bình Phước",
		"--kind", "headquarters")...)

	st := mustOpen(t, db)
	parent, err := st.UnitByCode(ctx, "BP-HOA-LU")
	if err != nil {
		t.Fatalf("UnitByCode(BP-HOA-LU): %v", err)
	}
	if parent.Code != "BP-HOA-LU" || parent.Agency != "BP" || parent.Kind != "border_post" || !parent.Border ||
		parent.Name != "Đồn Biên phòng cửa khẩu Hoa Lư" {
		t.Fatalf("unit = %+v, want BP-HOA-LU of BP, border_post on the border", parent)
	}
	if got, want := parent.ValidFrom, (phoihop.Date{Year: 2004, Month: time.February, Day: 13}); got != want {
		t.Fatalf("ValidFrom = %v, want %v", got, want)
	}
	child, err := st.UnitByCode(ctx, "BP-HOA-LU-TRAM")
	if err != nil {
		t.Fatalf("UnitByCode(BP-HOA-LU-TRAM): %v", err)
	}
	if child.ParentID == nil || *child.ParentID != parent.ID {
		t.Fatalf("child.ParentID = %v, want %d", child.ParentID, parent.ID)
	}
	if child.Border {
		t.Fatalf("child.Border = true without --border, want false")
	}
	if got, want := child.ValidFrom, (phoihop.Date{Year: 2016, Month: time.January, Day: 1}); got != want {
		t.Fatalf("child.ValidFrom = %v, want %v", got, want)
	}

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"parent of another agency", unitAdd("--agency", "BP", "--code", "BP-X", "--name", "X", "--parent", "CA-BINH-PHUOC"),
			[]string{"--parent", "another agency"}},
		{"parent that does not exist", unitAdd("--agency", "BP", "--code", "BP-X", "--name", "X", "--parent", "BP-NONE"),
			[]string{"--parent", `"BP-NONE"`}},
		{"date that does not exist", unitAdd("--agency", "BP", "--code", "BP-X", "--name", "X", "--valid-from", "31/02/2016"),
			[]string{"--valid-from", "31/02/2016"}},
		{"unknown agency", unitAdd("--agency", "XX", "--code", "XX-1", "--name", "X"),
			[]string{"--agency"}},
		{"duplicate code", unitAdd("--agency", "BP", "--code", "Bp-Hoa-Lu", "--name", "Another"),
			[]string{"--code", "already has this code"}},
		{"bad code", unitAdd("--agency", "BP", "--code", "-bad code", "--name", "X"),
			[]string{"--code"}},
		{"bad kind", unitAdd("--agency", "BP", "--code", "BP-Y", "--name", "X", "--kind", "castle"),
			[]string{"--kind"}},
		{"no name", unitAdd("--agency", "BP", "--code", "BP-Y"),
			[]string{"--name"}},
	} {
		t.Run("unit add: "+tc.name, func(t *testing.T) {
			got := mustFailUsage(t, "", tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("error = %q, want it to contain %q", got, w)
				}
			}
		})
	}
	units, err := st.Units(ctx, store.UnitFilter{})
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	if len(units) != 3 {
		t.Fatalf("len(Units) = %d after the failed adds, want 3", len(units))
	}

	const password = "Mật khẩu rất dài 2016"
	out = mustRun(t, password+"\n", userAdd("--username", "Tran.Van.A", "--unit", "bp-hoa-lu", "--role", "officer",
		"--full-name", "Trần Văn A", "--email", " a.tv@bienphong.example.vn ", "--password-stdin")...)
	if want := "created user Tran.Van.A"; !strings.Contains(out, want) || !strings.Contains(out, "officer in BP") {
		t.Fatalf("user add = %q, want %q with the role officer in BP", out, want)
	}
	if strings.Contains(out, "one-time password") {
		t.Fatalf("user add --password-stdin = %q, want no one-time password", out)
	}
	u := mustUser(t, st, "tran.van.a")
	if u.Username != "Tran.Van.A" || u.FullName != "Trần Văn A" {
		t.Fatalf("user = %q %q, want %q %q", u.Username, u.FullName, "Tran.Van.A", "Trần Văn A")
	}
	if u.UnitID == nil || *u.UnitID != parent.ID {
		t.Fatalf("UnitID = %v, want %d", u.UnitID, parent.ID)
	}
	if u.EmailAddress() != "a.tv@bienphong.example.vn" {
		t.Fatalf("Email = %q, want %q", u.EmailAddress(), "a.tv@bienphong.example.vn")
	}
	mustCheckPassword(t, password, u.PasswordHash)
	if u.MustChangePassword {
		t.Fatalf("MustChangePassword = true with --password-stdin, want false")
	}
	if got, want := mustRoles(t, st, "Tran.Van.A"), "[[officer BP]]"; got != want {
		t.Fatalf("UserRoles(Tran.Van.A) = %s, want %s", got, want)
	}

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"same username in other case", password + "\n",
			userAdd("--username", "tran.van.A", "--password-stdin"), []string{"--username", "already taken"}},
		{"unknown role", password + "\n",
			userAdd("--username", "role.chief", "--unit", "BP-HOA-LU", "--role", "chief", "--password-stdin"), []string{"--role"}},
		{"unknown domain", password + "\n",
			userAdd("--username", "domain.xx", "--role", "analyst", "--domain", "XX", "--password-stdin"), []string{"--domain"}},
		{"short password", "12345\n",
			userAdd("--username", "short.pw", "--password-stdin"), []string{"password", "at least 8 characters"}},
		{"empty standard input", "",
			userAdd("--username", "empty.pw", "--password-stdin"), []string{"--password-stdin"}},
		{"unknown unit", password + "\n",
			userAdd("--username", "no.unit", "--unit", "BP-NONE", "--password-stdin"), []string{"--unit", `"BP-NONE"`}},
		{"bad username", password + "\n",
			userAdd("--username", "trần", "--password-stdin"), []string{"--username"}},
		{"role without domain or unit", password + "\n",
			userAdd("--username", "no.domain", "--role", "analyst", "--password-stdin"), []string{"--role needs --domain"}},
		{"domain without role", password + "\n",
			userAdd("--username", "no.role", "--domain", "BP", "--password-stdin"), []string{"--domain needs --role"}},
		{"bad e-mail address", password + "\n",
			userAdd("--username", "bad.email", "--email", "Trần Văn A <a@example.vn>", "--password-stdin"), []string{"--email", "one e-mail address"}},
	} {
		t.Run("user add: "+tc.name, func(t *testing.T) {
			got := mustFailUsage(t, tc.stdin, tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("error = %q, want it to contain %q", got, w)
				}
			}
		})
	}
	// A refused command leaves no account behind.
	if n, err := st.CountUsers(ctx); err != nil || n != 1 {
		t.Fatalf("CountUsers after the refused adds = %d, %v, want 1", n, err)
	}

	out = mustRun(t, "", userAdd("--username", "analyst.hq", "--role", "analyst", "--domain", "*")...)
	m := regexp.MustCompile(`one-time password \(to be changed at first sign-in\): (\S+)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("user add without --password-stdin = %q, want a one-time password", out)
	}
	u = mustUser(t, st, "analyst.hq")
	mustCheckPassword(t, m[1], u.PasswordHash)
	if !u.MustChangePassword {
		t.Fatalf("MustChangePassword = false with a generated password, want true")
	}
	if u.FullName != "analyst.hq" {
		t.Fatalf("FullName = %q, want the username %q", u.FullName, "analyst.hq")
	}
	if u.Email != nil {
		t.Fatalf("Email = %q without --email, want none", *u.Email)
	}
	if got, want := mustRoles(t, st, "analyst.hq"), "[[analyst *]]"; got != want {
		t.Fatalf("UserRoles(analyst.hq) = %s, want %s", got, want)
	}
	// A domain typed in lower case is the agency's code.
	mustRun(t, "Mật khẩu rất dài 2016\n", userAdd("--username", "leader.bp", "--role", "leader", "--domain", "bp", "--password-stdin")...)
	if got, want := mustRoles(t, st, "leader.bp"), "[[leader BP]]"; got != want {
		t.Fatalf("UserRoles(leader.bp) = %s, want %s", got, want)
	}
}

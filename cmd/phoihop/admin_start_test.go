package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// TestServeCreatesAdminAfterDemo: "phoihop demo" before the first "serve" made accounts but no
// administrator; serve still makes admin, with PHOIHOP_ADMIN_PASSWORD, and later starts say
// that the variable is ignored.
func TestServeCreatesAdminAfterDemo(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			const password = "Mật khẩu quản trị 2016"
			db := storetest.URL(t, engine)
			mustRun(t, demoTestPassword+"\n", "demo", "--database-url", db, "--password-stdin")

			r := startServe(t, map[string]string{config.EnvAdminPassword: password}, "--database-url", db)
			if code, next, _ := postLogin(t, r.base, "admin", password); code != http.StatusSeeOther || next != "/" {
				t.Fatalf("admin sign-in after demo = %d → %q, want 303 → /", code, next)
			}
			r.stop(t)
			log := r.log.String()
			if n := strings.Count(log, "created the admin account with the password of "+config.EnvAdminPassword); n != 1 {
				t.Fatalf("log has %d lines saying admin was created, want 1\nlog:\n%s", n, log)
			}
			if strings.Contains(log, "ignored") || strings.Contains(log, password) {
				t.Fatalf("log of the creating start:\n%s", log)
			}
			st := mustOpen(t, db)
			admin := mustUser(t, st, store.AdminUsername)
			mustCheckPassword(t, password, admin.PasswordHash)
			if got, want := mustRoles(t, st, store.AdminUsername), "[[admin *]]"; got != want {
				t.Fatalf("UserRoles(admin) = %s, want %s", got, want)
			}

			// A later start with the variable still set leaves admin alone and says why.
			r = startServe(t, map[string]string{config.EnvAdminPassword: "một mật khẩu khác 2026"}, "--database-url", db)
			r.stop(t)
			log = r.log.String()
			if !strings.Contains(log, config.EnvAdminPassword+" is set but was ignored: an account already holds the admin role over all agencies") ||
				!strings.Contains(log, "level=WARN") || strings.Contains(log, "created the admin account") {
				t.Fatalf("log of the later start lacks the warning\nlog:\n%s", log)
			}
			if got := mustUser(t, st, store.AdminUsername); got.PasswordHash != admin.PasswordHash || got.Version != admin.Version {
				t.Fatal("the later start changed admin")
			}
			// Without the variable, a later start says nothing about it.
			r = startServe(t, nil, "--database-url", db)
			r.stop(t)
			if log := r.log.String(); strings.Contains(log, config.EnvAdminPassword) {
				t.Fatalf("a start without %s mentions it\nlog:\n%s", config.EnvAdminPassword, log)
			}
		})
	}
}

// TestServeNeverTakesOverTheAdminName: the username admin belongs to an account without the
// admin role over all agencies; serve changes nothing and says how to make an administrator.
func TestServeNeverTakesOverTheAdminName(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "x.db")
	const password = "Mật khẩu rất dài 2016"
	mustRun(t, password+"\n", "user", "add", "--database-url", db, "--username", "admin", "--role", "officer", "--domain", "BP", "--password-stdin")
	st := mustOpen(t, db)
	before := mustUser(t, st, "admin")

	r := startServe(t, map[string]string{config.EnvAdminPassword: "Mật khẩu quản trị 2016"}, "--database-url", db)
	r.stop(t)
	log := r.log.String()
	for _, want := range []string{"level=ERROR", "no account holds the admin role over all agencies, and none was created",
		"phoihop user add --username NAME --role admin --domain '*' --password-stdin", config.EnvAdminPassword + " was not used"} {
		if !strings.Contains(log, want) {
			t.Fatalf("log lacks %q\nlog:\n%s", want, log)
		}
	}
	after := mustUser(t, st, "admin")
	if after.PasswordHash != before.PasswordHash || after.Version != before.Version {
		t.Fatal("serve changed the account named admin")
	}
	if got, want := mustRoles(t, st, "admin"), "[[officer BP]]"; got != want {
		t.Fatalf("UserRoles(admin) = %s, want %s", got, want)
	}
	// The command the log names makes an administrator; the next start is quiet.
	mustRun(t, password+"\n", "user", "add", "--database-url", db, "--username", "quan.tri", "--role", "admin", "--domain", "*", "--password-stdin")
	r = startServe(t, nil, "--database-url", db)
	r.stop(t)
	if log := r.log.String(); strings.Contains(log, "level=ERROR") || strings.Contains(log, "created the admin account") {
		t.Fatalf("a start with an administrator logs:\n%s", log)
	}
}

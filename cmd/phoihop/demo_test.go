package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const demoTestPassword = "Phối hợp 133 biên giới"

func TestDemoLoadsTheProvince(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	out := mustRun(t, demoTestPassword+"\n", "demo", "--database-url", url, "--password-stdin")
	for _, want := range []string{"Loaded the demo province: 15 units, 2 coordination plans, 12 cases",
		"requests between agencies since 2023, and 7 tasks of the plans.", "--from 2004-02-13 --to 2016-05-12", "ca.lmtuan", "bp.tvhai", "hq.nttlan", "bcd.phson", "bcd.dtbthuy",
		"Nguyễn Thị Thanh Lan", "leader", "analyst", "password read from standard input"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout = %q, want it to contain %q", out, want)
		}
	}
	st := mustOpen(t, url)
	for user, roles := range map[string]string{"ca.lmtuan": "[[officer CA]]", "bp.tvhai": "[[officer BP]]",
		"hq.nttlan": "[[officer HQ]]", "bcd.phson": "[[leader *]]", "bcd.dtbthuy": "[[analyst *]]"} {
		if got := mustRoles(t, st, user); got != roles {
			t.Errorf("roles of %s = %s, want %s", user, got, roles)
		}
		u := mustUser(t, st, user)
		mustCheckPassword(t, demoTestPassword, u.PasswordHash)
		if u.MustChangePassword {
			t.Errorf("%s must change the password read from stdin", user)
		}
	}

	_, _, err := runCmd(t, nil, demoTestPassword+"\n", "demo", "--database-url", url, "--password-stdin")
	if err == nil || !strings.Contains(err.Error(), "already loaded") {
		t.Fatalf("second demo = %v, want an error saying the demo is already loaded", err)
	}
	var u usageError
	if errors.As(err, &u) {
		t.Errorf("second demo error is a usage error: %v", err)
	}
}

func TestHelpListsDemoAndReport(t *testing.T) {
	out := mustRun(t, "", "help")
	for _, want := range []string{"phoihop demo [flags]", "phoihop report [flags]"} {
		if !strings.Contains(out, want) {
			t.Errorf("help = %q, want it to contain %q", out, want)
		}
	}
}

func TestDemoGeneratedPassword(t *testing.T) {
	url := "sqlite://" + filepath.Join(t.TempDir(), "demo.db")
	out := mustRun(t, "", "demo", "--database-url", url)
	m := regexp.MustCompile(`Password of every demo account \(shown once; to be changed at first sign-in\): (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout = %q, want the generated password", out)
	}
	st := mustOpen(t, url)
	u := mustUser(t, st, "bcd.phson")
	mustCheckPassword(t, m[1], u.PasswordHash)
	if !u.MustChangePassword {
		t.Error("a demo account with a generated password need not change it")
	}
}

func TestDemoUsageErrors(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite://" + filepath.Join(dir, "demo.db")
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"--scale", "0"}, "--scale 0"},
		{"", []string{"--scale", "101"}, "--scale 101"},
		{"", []string{"--scale", "-3"}, "--scale -3"},
		{"", []string{"--scale", "many"}, "-scale"},
		{"", []string{"--password-stdin"}, "--password-stdin"},
		{"short\n", []string{"--password-stdin"}, "at least 8"},
		{"password123\n", []string{"--password-stdin"}, "common"},
		{"", []string{"extra"}, `unexpected argument "extra"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got := mustFailUsage(t, tc.stdin, append([]string{"demo", "--database-url", url}, tc.args...)...)
			if !strings.Contains(got, tc.want) {
				t.Errorf("error = %q, want it to contain %q", got, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "demo.db")); !os.IsNotExist(err) {
				t.Errorf("the database was created: %v", err)
			}
		})
	}
}

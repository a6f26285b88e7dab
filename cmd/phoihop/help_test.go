package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandHelp asks every command for its help: the usage goes to standard output, nothing
// to standard error, and the command succeeds (exit status 0) without touching a database.
func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string // in the standard output
	}{
		{[]string{"serve", "-h"}, []string{"Usage: phoihop [serve] [flags]", "-addr", "-database-url"}},
		{[]string{"serve", "--help"}, []string{"Usage: phoihop [serve] [flags]", "-addr"}},
		{[]string{"migrate", "-h"}, []string{"Usage: phoihop migrate [flags]", "-database-url"}},
		{[]string{"migrate", "--help"}, []string{"Usage: phoihop migrate [flags]"}},
		{[]string{"user", "add", "--help"}, []string{"Usage: phoihop user add [flags]", "-username", "-password-stdin"}},
		{[]string{"user", "add", "-h"}, []string{"Usage: phoihop user add [flags]"}},
		{[]string{"user", "unlock", "-h"}, []string{"Usage: phoihop user unlock [flags] USERNAME", "-database-url"}},
		{[]string{"user", "unlock", "tran.van.a", "--help"}, []string{"Usage: phoihop user unlock [flags] USERNAME"}},
		{[]string{"user", "reset-password", "--help"}, []string{"Usage: phoihop user reset-password [flags] USERNAME", "-password-stdin"}},
		{[]string{"unit", "add", "--help"}, []string{"Usage: phoihop unit add [flags]", "-agency", "-valid-from"}},
		{[]string{"unit", "add", "-h"}, []string{"Usage: phoihop unit add [flags]"}},
		{[]string{"demo", "--help"}, []string{"Usage: phoihop demo [flags]", "-scale"}},
		{[]string{"report", "--help"}, []string{"Usage: phoihop report [flags]", "-from", "-out"}},
		{[]string{"report", "-h"}, []string{"Usage: phoihop report [flags]"}},
		{[]string{"backup", "--help"}, []string{"Usage: phoihop backup --out FILE [flags]", "-force", "postgresql-client"}},
		{[]string{"restore", "-h"}, []string{"Usage: phoihop restore --in FILE [flags]", "-in"}},
		{[]string{"version", "--help"}, []string{"Usage: phoihop version"}},
		// The command groups and the program itself show the list of commands.
		{[]string{"user", "--help"}, []string{"Usage:", "phoihop user add", "phoihop user unlock"}},
		{[]string{"unit", "-h"}, []string{"Usage:", "phoihop unit add"}},
		{[]string{"help"}, []string{"Usage:", "phoihop unit add", "phoihop --version"}},
		{[]string{"--help"}, []string{"Usage:", "phoihop unit add"}},
		{[]string{"-help"}, []string{"Usage:", "phoihop unit add"}},
		{[]string{"-h"}, []string{"Usage:", "phoihop unit add"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, err := runCmd(t, nil, "", tc.args...)
			if err != nil {
				t.Fatalf("phoihop %s = %v, want success (exit status 0)", strings.Join(tc.args, " "), err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout = %q, want it to contain %q", stdout, w)
				}
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
		})
	}
}

// TestBadFlagShowsUsageOnStderr checks that a mistake still fails as a usage error (exit
// status 2) with the message and the command's usage on standard error, and nothing on
// standard output.
func TestBadFlagShowsUsageOnStderr(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		args []string
		want []string // in the standard error
	}{
		{[]string{"unit", "add", "--bogus"}, []string{"flag provided but not defined: -bogus", "Usage: phoihop unit add [flags]", "-valid-from"}},
		{[]string{"user", "unlock", "tran.van.a", "--bogus"}, []string{"flag provided but not defined: -bogus", "Usage: phoihop user unlock [flags] USERNAME"}},
		{[]string{"report", "--from"}, []string{"flag needs an argument: -from", "Usage: phoihop report [flags]"}},
		{[]string{"serve", "--addr"}, []string{"flag needs an argument: -addr", "Usage: phoihop [serve] [flags]"}},
		{[]string{"migrate", "--database-url", db, "--bogus"}, []string{"-bogus", "Usage: phoihop migrate [flags]"}},
		{[]string{"version", "--bogus"}, []string{"-bogus", "Usage: phoihop version"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, err := runCmd(t, nil, "", tc.args...)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("phoihop %s = %v (%T), want a usage error (exit status 2)", strings.Join(tc.args, " "), err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr = %q, want it to contain %q", stderr, w)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// TestVersionFlag checks that phoihop --version prints what phoihop version prints.
func TestVersionFlag(t *testing.T) {
	want := mustRun(t, "", "version")
	if !strings.HasPrefix(want, "phoihop ") || !strings.HasSuffix(want, ")\n") {
		t.Fatalf("version = %q, want %q", want, "phoihop VERSION (GO, OS/ARCH)\n")
	}
	for _, arg := range []string{"--version", "-version"} {
		if got := mustRun(t, "", arg); got != want {
			t.Errorf("phoihop %s = %q, want %q as phoihop version prints", arg, got, want)
		}
	}
}

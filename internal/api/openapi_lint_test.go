package api

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// lintDir holds the npm manifest of the linters (package.json, package-lock.json) and the
// Spectral ruleset; `npm ci` there installs them.
const lintDir = "testdata/lint"

// TestOpenAPILint writes the OpenAPI document to a file and lints it with Redocly CLI (its
// recommended rules) and Spectral (its spectral:oas rules), expecting no error and no warning
// from either. It needs Node.js and the linters installed by `npm ci` in testdata/lint, so it
// runs only with PHOIHOP_TEST_LIBREOFFICE=1, the switch of the document tools' tests.
func TestOpenAPILint(t *testing.T) {
	if os.Getenv("PHOIHOP_TEST_LIBREOFFICE") != "1" {
		t.Skip("set PHOIHOP_TEST_LIBREOFFICE=1 (after `npm ci` in internal/api/testdata/lint) to lint the OpenAPI document with Redocly and Spectral")
	}
	bin, err := filepath.Abs(filepath.Join(lintDir, "node_modules", ".bin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"redocly", "spectral"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			t.Fatalf("%s is not installed: run `npm ci` in internal/api/testdata/lint (%v)", tool, err)
		}
	}
	ruleset, err := filepath.Abs(filepath.Join(lintDir, "spectral.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	catalogs, err := apiCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{catalogs: catalogs}
	doc, err := s.openAPI(s.apiOps())
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() // the linters' working directory: no configuration file of theirs there
	file := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}

	// Redocly: {"totals": {"errors", "warnings"}, "problems": [...]}; exit status 1 on errors.
	out := lintRun(t, dir, filepath.Join(bin, "redocly"), "lint", "--extends=recommended", "--format=json", file)
	var redocly struct {
		Totals   struct{ Errors, Warnings int }
		Problems []struct {
			RuleID, Severity, Message string
			Location                  []struct{ Pointer string }
		}
	}
	if err := json.Unmarshal(out, &redocly); err != nil {
		t.Fatalf("redocly lint answered no JSON: %v\n%s", err, out)
	}
	if redocly.Totals.Errors != 0 || redocly.Totals.Warnings != 0 {
		for _, p := range redocly.Problems {
			where := ""
			if len(p.Location) > 0 {
				where = p.Location[0].Pointer
			}
			t.Errorf("redocly %s %s at %s: %s", p.Severity, p.RuleID, where, p.Message)
		}
		t.Errorf("redocly lint: %d errors, %d warnings, want none", redocly.Totals.Errors, redocly.Totals.Warnings)
	}

	// Spectral: a list of results, severity 0 error, 1 warning, 2 information, 3 hint.
	out = lintRun(t, dir, filepath.Join(bin, "spectral"), "lint", "--ruleset", ruleset, "--format", "json", "--quiet", file)
	var spectral []struct {
		Code, Message string
		Path          []any
		Severity      int
	}
	if err := json.Unmarshal(out, &spectral); err != nil {
		t.Fatalf("spectral lint answered no JSON: %v\n%s", err, out)
	}
	bad := 0
	for _, r := range spectral {
		if r.Severity <= 1 {
			bad++
		}
		t.Logf("spectral severity %d %s at %v: %s", r.Severity, r.Code, r.Path, r.Message)
	}
	if bad > 0 {
		t.Errorf("spectral lint: %d errors and warnings, want none", bad)
	}
}

// lintRun runs a linter in dir and returns its standard output; a failure to run at all, or
// an exit status above 1 (1 is how both say they found problems), fails the test.
func lintRun(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); err != nil && (!ok || exit.ExitCode() > 1) {
		t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

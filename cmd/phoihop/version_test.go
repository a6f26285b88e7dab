package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestVersionFromLdflags builds the binary as README says, with the VCS stamp turned off
// (GOFLAGS=-buildvcs=false), and checks that phoihop version prints the version and revision
// given with -ldflags.
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "phoihop")
	const ver, rev = "v9.8.7-3-gabc1234-dirty", "abc1234def5678901234567890abcdef12345678"
	build := exec.Command("go", "build", "-o", bin,
		"-ldflags", "-X main.version="+ver+" -X main.revision="+rev, ".")
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("phoihop version: %v\n%s", err, out)
	}
	want := "phoihop " + ver + " (revision " + rev + "; " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if string(out) != want {
		t.Errorf("phoihop version = %q, want %q", out, want)
	}
	if got, err := exec.Command(bin, "--version").Output(); err != nil || string(got) != want {
		t.Errorf("phoihop --version = %q, %v; want %q", got, err, want)
	}
}

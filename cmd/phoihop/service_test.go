package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSystemdUnit checks deploy/phoihop.service: it holds the hardening operators expect, and
// systemd-analyze verify finds nothing to say of it (with ExecStart pointing to a binary that
// exists, since phoihop is not installed here). Without systemd-analyze that part skips.
func TestSystemdUnit(t *testing.T) {
	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", "phoihop.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"User=phoihop", "StateDirectory=phoihop", "Environment=PHOIHOP_DATABASE_URL=sqlite:///var/lib/phoihop/phoihop.db",
		"EnvironmentFile=-/etc/phoihop/phoihop.env", "ExecStart=/usr/local/bin/phoihop serve",
		"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
		"ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
		"MemoryDenyWriteExecute=yes", "LockPersonality=yes", "RestrictNamespaces=yes", "RestrictRealtime=yes",
		"RestrictSUIDSGID=yes", "UMask=0077", "Restart=on-failure", "TimeoutStopSec=90s",
	} {
		if !slices.Contains(strings.Split(string(unit), "\n"), want) {
			t.Errorf("deploy/phoihop.service lacks the line %q", want)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not found (Debian package systemd): the unit was not verified")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "phoihop.service")
	text := strings.Replace(string(unit), "ExecStart=/usr/local/bin/phoihop", "ExecStart="+self, 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || strings.Contains(string(out), path) || strings.Contains(string(out), "phoihop.service") {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

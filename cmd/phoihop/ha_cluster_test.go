package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// haNode is a line of deploy/ha/status.sh: a PostgreSQL node's role and its postmaster's pid.
type haNode struct{ role, pid string }

// haScript runs a script of deploy/ha and returns the last line of its output, failing the test
// when it fails or outlasts the timeout.
func haScript(t *testing.T, dir, name string, timeout time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(dir, name))
	cmd.Stdout, cmd.Stderr = &out, &errOut
	// The daemons it starts keep no pipe of ours open (their output goes to files); this only
	// guards against a script that forgets it.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("deploy/ha/%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[len(lines)-1]
}

// haNodes returns the nodes of deploy/ha/status.sh by name.
func haNodes(t *testing.T, dir string) map[string]haNode {
	t.Helper()
	out, err := exec.Command(filepath.Join(dir, "status.sh")).Output()
	if err != nil {
		t.Fatalf("deploy/ha/status.sh: %v", err)
	}
	nodes := map[string]haNode{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("deploy/ha/status.sh line %q, want NAME ROLE PID", line)
		}
		nodes[f[0]] = haNode{role: f[1], pid: f[2]}
	}
	return nodes
}

// haRunning reports whether a node of the cluster runs already, so the test leaves it running.
func haRunning(t *testing.T, dir string) bool {
	t.Helper()
	for _, n := range haNodes(t, dir) {
		if n.role != "stopped" {
			return true
		}
	}
	return false
}

// haWaitLeader waits up to 30 s for a node other than old to be the leader with a running
// postmaster, and returns the nodes then.
func haWaitLeader(t *testing.T, dir, old string) map[string]haNode {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		nodes := haNodes(t, dir)
		for name, n := range nodes {
			if name != old && n.role == "leader" && n.pid != "-" {
				return nodes
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no node but %s is the leader 30 s after the kill: %v", old, nodes)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

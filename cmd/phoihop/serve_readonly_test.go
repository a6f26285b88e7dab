package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/storetest"
)

// mustFailStart runs serve, expects an error that is not a usage mistake (exit status 1)
// and returns its text.
func mustFailStart(t *testing.T, args ...string) string {
	t.Helper()
	_, _, err := runCmd(t, nil, "", append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	if err == nil {
		t.Fatal("serve on a read-only database started")
	}
	var u usageError
	if errors.As(err, &u) {
		t.Fatalf("serve error = %q is a usage error (exit status 2), want exit status 1", err)
	}
	return err.Error()
}

func TestServeRefusesReadOnlySQLiteFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, whom file modes do not stop from writing; internal/store's TestReadOnlySQLiteFileIsNamed covers the check through PRAGMA query_only")
	}
	path := filepath.Join(t.TempDir(), "phoihop.db")
	mustOpen(t, "sqlite://"+path).Close()
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(path, 0o600) })
	got := mustFailStart(t, "--database-url", "sqlite://"+path)
	want := "the database file " + path + " is read-only ("
	if !strings.Contains(got, want) || !strings.HasSuffix(got, "phoihop needs to write it") {
		t.Fatalf("serve error = %q, want %q … phoihop needs to write it", got, want)
	}
}

func TestServeRefusesReadOnlyPostgres(t *testing.T) {
	u := storetest.URL(t, config.Postgres)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	// Every statement of these connections is read-only, as on a replica.
	got := mustFailStart(t, "--database-url", u+sep+"options=-c%20default_transaction_read_only%3Don")
	if !strings.Contains(got, "the PostgreSQL database is read-only (") || !strings.Contains(got, "phoihop needs to write it") {
		t.Fatalf("serve error = %q, want the PostgreSQL database is read-only …", got)
	}
}

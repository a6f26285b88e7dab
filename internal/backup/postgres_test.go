package backup

import (
	"context"
	"strings"
	"testing"
)

// TestPGConnectionKeepsThePasswordOffTheCommandLine checks that the URL given to pg_dump and
// pg_restore holds no password, and that the password is returned for PGPASSWORD.
func TestPGConnectionKeepsThePasswordOffTheCommandLine(t *testing.T) {
	for _, tc := range []struct {
		url, conn, password string
	}{
		{"postgres://phoihop:s%40cret@db.example.vn:5433/phoihop?sslmode=require",
			"postgres://phoihop@db.example.vn:5433/phoihop?sslmode=require", "s@cret"},
		{"postgres://phoihop@127.0.0.1/phoihop?password=p%26w&sslmode=disable&binary_parameters=yes",
			"postgres://phoihop@127.0.0.1/phoihop?sslmode=disable", "p&w"},
		{"postgresql://127.0.0.1/phoihop", "postgresql://127.0.0.1/phoihop", ""},
	} {
		conn, password, err := pgConnection(tc.url)
		if err != nil {
			t.Fatalf("pgConnection(%q): %v", tc.url, err)
		}
		if conn != tc.conn || password != tc.password {
			t.Errorf("pgConnection(%q) = %q, %q; want %q, %q", tc.url, conn, password, tc.conn, tc.password)
		}
	}
}

// TestMissingClientToolsAreNamed checks the message when pg_dump is not installed.
func TestMissingClientToolsAreNamed(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := pgDump(context.Background(), "postgres://phoihop@127.0.0.1/phoihop", t.TempDir()+"/x")
	if err == nil {
		t.Fatal("pg_dump ran with an empty PATH")
	}
	for _, w := range []string{"pg_dump", "postgresql-client"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error = %q, want it to name %q", err, w)
		}
	}
}

package store

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lib/pq"
)

func TestStorageReasonOfPostgresErrors(t *testing.T) {
	for _, tc := range []struct {
		code, msg, want string
	}{
		{"53100", "could not extend file: No space left on device", "disk full"},
		{"53200", "out of memory", "out of memory"},
		{"53300", "too many connections", "insufficient resources"},
		{"58030", "could not write to file", "I/O error"},
		{"25006", "cannot execute INSERT in a read-only transaction", "read-only"},
		{"0A000", "cannot set transaction read-write mode during recovery", "read-only"},
		{"0A000", "cannot use FOR UPDATE with aggregate functions", ""},
		{"23505", "duplicate key value violates unique constraint", ""},
		{"57014", "canceling statement due to statement timeout", ""},
	} {
		err := fmt.Errorf("store: create case: %w", &pq.Error{Code: pq.ErrorCode(tc.code), Message: tc.msg})
		if got := storageReason(err); got != tc.want {
			t.Errorf("storageReason(%s %s) = %q, want %q", tc.code, tc.msg, got, tc.want)
		}
	}
}

func TestStorageReasonOfSQLiteErrors(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"CREATE TABLE t (x TEXT)", "PRAGMA max_page_count = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The file may not grow past two pages: SQLITE_FULL, as on a full disk.
	_, err = db.Exec("INSERT INTO t VALUES (?)", strings.Repeat("x", 100000))
	if got := storageReason(fmt.Errorf("store: x: %w", err)); got != "disk full" {
		t.Fatalf("storageReason(%v) = %q, want disk full", err, got)
	}
	if _, err := db.Exec("PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("INSERT INTO t VALUES ('y')")
	if got := storageReason(err); got != "read-only" {
		t.Fatalf("storageReason(%v) = %q, want read-only", err, got)
	}
	_, err = db.Exec("INSERT INTO nowhere VALUES (1)")
	if got := storageReason(err); got != "" {
		t.Fatalf("storageReason(%v) = %q, want none", err, got)
	}
}

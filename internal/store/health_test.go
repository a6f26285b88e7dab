package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// queryOnlyDriver registers, once, an SQLite driver whose connections start with PRAGMA
// query_only = 1: a database that refuses every write with SQLITE_READONLY even to root,
// which file modes do not stop.
var queryOnlyDriver = sync.OnceValue(func() string {
	d := &sqlite.Driver{}
	d.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		_, err := c.ExecContext(context.Background(), "PRAGMA query_only = 1", nil)
		return err
	})
	sql.Register("sqlite-query-only", d)
	return "sqlite-query-only"
})

// setReadOnly makes every write of s fail with a storage error, or lifts it: it shrinks the
// pool to one connection and sets it query-only (SQLite) or its transactions read-only
// (PostgreSQL, SQLSTATE 25006 as on a replica).
func setReadOnly(t *testing.T, s *store.Store, on bool) {
	t.Helper()
	s.DB().SetMaxOpenConns(1)
	q := map[bool]string{true: "PRAGMA query_only = 1", false: "PRAGMA query_only = 0"}
	if s.Engine() == config.Postgres {
		q = map[bool]string{true: "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
			false: "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"}
	}
	storetest.MustExec(t, s, q[on])
}

func TestStorageFailureLastsUntilAWriteSucceeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sys := phoihop.SystemActor("test")
		create := func(name string) error {
			return s.CreateUser(ctx, sys, store.AllAccounts(), &phoihop.User{Username: name, FullName: name}, "$argon2id$x")
		}
		if f := s.StorageFailure(); f != nil {
			t.Fatalf("StorageFailure of a fresh store = %+v, want nil", f)
		}
		setReadOnly(t, s, true)
		if s.Engine() == config.SQLite { // lib/pq begins READ WRITE, overriding the default
			if err := create("a.one"); err == nil {
				t.Fatal("CreateUser on a read-only database succeeded")
			}
		}
		err := s.TouchSession(ctx, "no-such-token", time.Now())
		if err == nil {
			t.Fatal("TouchSession on a read-only database succeeded")
		}
		f := s.StorageFailure()
		if f == nil || f.Reason != "read-only" || f.At.IsZero() {
			t.Fatalf("StorageFailure after %v = %+v, want reason read-only", err, f)
		}
		if err := s.CheckWritable(ctx); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("CheckWritable while read-only = %v, want a read-only error", err)
		}
		setReadOnly(t, s, false)
		// A write refused for its data is no storage failure: the flag stays.
		if err := create(""); err == nil {
			t.Fatal("CreateUser without a username succeeded")
		}
		if s.StorageFailure() == nil {
			t.Fatal("a refused record cleared the storage failure")
		}
		if err := create("a.two"); err != nil {
			t.Fatalf("CreateUser after lifting read-only: %v", err)
		}
		if f := s.StorageFailure(); f != nil {
			t.Fatalf("StorageFailure after a write succeeded = %+v, want nil", f)
		}
	})
}

func TestCheckWritableClearsTheFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		setReadOnly(t, s, true)
		if err := s.CheckWritable(ctx); err == nil {
			t.Fatal("CheckWritable on a read-only database = nil")
		}
		if s.StorageFailure() == nil {
			t.Fatal("a failed CheckWritable set no storage failure")
		}
		setReadOnly(t, s, false)
		if err := s.CheckWritable(ctx); err != nil {
			t.Fatalf("CheckWritable after lifting read-only: %v", err)
		}
		if f := s.StorageFailure(); f != nil {
			t.Fatalf("StorageFailure after CheckWritable succeeded = %+v", f)
		}
	})
}

func TestReadOnlySQLiteFileIsNamed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "phoihop.db")
	s, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	driver := ""
	if os.Geteuid() == 0 { // root writes through any file mode
		driver = queryOnlyDriver()
	} else {
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, 0o600) })
	}
	ro, err := store.OpenDriver(ctx, "sqlite://"+path, driver)
	if err == nil {
		defer ro.Close()
		err = ro.CheckWritable(ctx)
	}
	want := "the database file " + path + " is read-only ("
	if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "phoihop needs to write it") {
		t.Fatalf("opening a read-only file: %v, want %q … phoihop needs to write it", err, want)
	}
}

func TestReadOnlyPostgresIsRefused(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, config.Postgres)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	// Every transaction of this connection is read-only, as on a replica.
	s, err := store.Open(ctx, url+sep+"options=-c%20default_transaction_read_only%3Don")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.CheckWritable(ctx)
	if err == nil || !strings.Contains(err.Error(), "the PostgreSQL database is read-only") {
		t.Fatalf("CheckWritable on a read-only server = %v, want the PostgreSQL database is read-only", err)
	}
}

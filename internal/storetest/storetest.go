// Package storetest opens fresh phoihop databases for tests, on SQLite always and on
// PostgreSQL when PHOIHOP_TEST_POSTGRES_URL names a server whose user may create databases.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"phoihop/internal/config"
	"phoihop/internal/store"
)

// EnvPostgresURL is the switch of the PostgreSQL tests.
const EnvPostgresURL = "PHOIHOP_TEST_POSTGRES_URL"

// Engines returns the engines the tests run on: SQLite, and PostgreSQL unless its switch is
// unset (then the PostgreSQL subtests skip with a message saying so).
func Engines() []string { return []string{config.SQLite, config.Postgres} }

// Each runs fn as a subtest on a fresh migrated database of every engine.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a store on a fresh, migrated database of the engine, closed and removed when
// the test ends.
func Open(tb testing.TB, engine string) *store.Store {
	tb.Helper()
	s := OpenEmpty(tb, engine)
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", engine, err)
	}
	return s
}

// OpenEmpty returns a store on a fresh database of the engine with no schema at all.
func OpenEmpty(tb testing.TB, engine string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), URL(tb, engine))
	if err != nil {
		tb.Fatalf("open %s: %v", engine, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// URL returns the URL of a fresh, empty database of the engine, removed when the test ends.
// For PostgreSQL it skips the test when PHOIHOP_TEST_POSTGRES_URL is unset and fails it when
// the server cannot be used.
func URL(tb testing.TB, engine string) string {
	tb.Helper()
	switch engine {
	case config.SQLite:
		return "sqlite://" + filepath.Join(tb.TempDir(), "phoihop.db")
	case config.Postgres:
		return postgresDatabase(tb)
	}
	tb.Fatalf("unknown engine %q", engine)
	return ""
}

// PostgresServerURL returns PHOIHOP_TEST_POSTGRES_URL, skipping the test when it is unset.
func PostgresServerURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvPostgresURL)
	if u == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/phoihop_test?sslmode=disable) to run them", EnvPostgresURL)
	}
	return u
}

func postgresDatabase(tb testing.TB) string {
	tb.Helper()
	server := PostgresServerURL(tb)
	admin, err := sql.Open("postgres", server)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgresURL, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var b [6]byte
	rand.Read(b[:])
	name := "phoihop_t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database (the user of %s must be allowed to create databases): %v", EnvPostgresURL, err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("postgres", server)
		if err != nil {
			tb.Errorf("drop test database: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(tb, server, name)
}

func withDatabase(tb testing.TB, server, name string) string {
	tb.Helper()
	u, err := url.Parse(server)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		tb.Fatalf("%s=%q is not a postgres:// URL", EnvPostgresURL, server)
	}
	u.Path = "/" + name
	return u.String()
}

// MustExec runs a statement on the store's database and fails the test on error.
func MustExec(tb testing.TB, s *store.Store, query string, args ...any) {
	tb.Helper()
	if _, err := s.DB().Exec(rebind(s, query), args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}

// Exec runs a statement on the store's database and returns its error.
func Exec(s *store.Store, query string, args ...any) error {
	_, err := s.DB().Exec(rebind(s, query), args...)
	return err
}

func rebind(s *store.Store, q string) string {
	return sqlx.Rebind(sqlx.BindType(s.DriverName()), q)
}

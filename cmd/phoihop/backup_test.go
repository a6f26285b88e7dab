package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
)

// ack is a write the store acknowledged: the unit's id and when the call returned.
type ack struct {
	id int64
	at time.Time
}

// writeLoad creates units through the store from four goroutines until ctx ends and returns
// every acknowledged write.
func writeLoad(ctx context.Context, t *testing.T, st *store.Store) func() []ack {
	var (
		mu   sync.Mutex
		acks []ack
		wg   sync.WaitGroup
	)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				u := &phoihop.Unit{Agency: phoihop.AgencyBorderGuard, Code: fmt.Sprintf("BK-%d-%d", w, i),
					Name: fmt.Sprintf("Đồn tải %d-%d", w, i), Kind: "other"}
				if err := st.CreateUnit(context.Background(), phoihop.SystemActor("test"), store.Domains{All: true}, u); err != nil {
					t.Errorf("create unit %s: %v", u.Code, err)
					return
				}
				mu.Lock()
				acks = append(acks, ack{u.ID, time.Now()})
				mu.Unlock()
			}
		})
	}
	return func() []ack {
		wg.Wait()
		return acks
	}
}

// idsOf returns the set of the ids the query selects.
func idsOf(t *testing.T, st *store.Store, query string) map[int64]bool {
	t.Helper()
	rows, err := st.DB().Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	ids := map[int64]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("id %q: %v", s, err)
		}
		ids[id] = true
	}
	return ids
}

func countRows(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestBackupDuringWritesRestores takes a backup in the middle of a write load, restores it
// into a new database, and finds there every unit acknowledged before the backup began, with
// its audit row, and the restore's own audit entry.
func TestBackupDuringWritesRestores(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := storetest.URL(t, engine)
			mustRun(t, "", "migrate", "--database-url", src)
			st, err := store.Open(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			wait := writeLoad(ctx, t, st)
			time.Sleep(600 * time.Millisecond)
			out := filepath.Join(t.TempDir(), "phoihop.backup")
			began := time.Now()
			stdout := mustRun(t, "", "backup", "--database-url", src, "--out", out)
			took := time.Since(began)
			acks := wait()
			if !strings.Contains(stdout, "wrote "+out) {
				t.Errorf("backup printed %q, want it to name %s", stdout, out)
			}
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("backup file: %v, mode %v; want it readable by its owner only", err, fi.Mode())
			}
			var before []int64
			for _, a := range acks {
				if a.at.Before(began) {
					before = append(before, a.id)
				}
			}
			if len(before) == 0 || len(before) == len(acks) {
				t.Fatalf("%d of %d writes acknowledged before the backup: the backup must fall inside the load", len(before), len(acks))
			}
			if n := countRows(t, st, "SELECT count(*) FROM audit_log WHERE action = 'backup.create'"); n != 1 {
				t.Errorf("backup.create entries in the source = %d, want 1", n)
			}

			dst := storetest.URL(t, engine)
			stdout = mustRun(t, "", "restore", "--database-url", dst, "--in", out)
			if !strings.Contains(stdout, "restored "+out) {
				t.Errorf("restore printed %q", stdout)
			}
			rs, err := store.Open(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			units := idsOf(t, rs, "SELECT CAST(id AS TEXT) FROM units WHERE code LIKE 'BK-%'")
			audited := idsOf(t, rs, "SELECT entity_id FROM audit_log WHERE action = 'unit.create' AND entity = 'unit'")
			for _, id := range before {
				if !units[id] {
					t.Errorf("unit %d, acknowledged before the backup began, is missing from the restored database", id)
				}
				if !audited[id] {
					t.Errorf("the audit row of unit %d, acknowledged before the backup began, is missing", id)
				}
			}
			if n := countRows(t, rs, "SELECT count(*) FROM audit_log WHERE action = 'backup.restore'"); n != 1 {
				t.Errorf("backup.restore entries in the restored database = %d, want 1", n)
			}
			t.Logf("%s: %d writes acknowledged, %d before the backup began, %d units restored (%d audited); backup took %v",
				engine, len(acks), len(before), len(units), len(audited), took.Round(time.Millisecond))

			// The restored database is no longer empty; nor is the source.
			for _, target := range []string{dst, src} {
				msg := mustFailUsage(t, "", "restore", "--database-url", target, "--in", out)
				if !strings.Contains(msg, "is not empty") || !strings.Contains(msg, "goose_db_version") {
					t.Errorf("restore into a database in use = %q, want it refused as not empty, naming its tables", msg)
				}
			}
		})
	}
}

// TestBackupRefusals checks what backup and restore refuse before writing anything.
func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	src := "sqlite://" + filepath.Join(dir, "src.db")
	mustRun(t, "", "migrate", "--database-url", src)
	out := filepath.Join(dir, "b.sqlite")
	mustRun(t, "", "backup", "--database-url", src, "--out", out)

	msg := mustFailUsage(t, "", "backup", "--database-url", src, "--out", out)
	if !strings.Contains(msg, "exists") || !strings.Contains(msg, "--force") {
		t.Errorf("backup over an existing file = %q, want it refused, naming --force", msg)
	}
	mustRun(t, "", "backup", "--database-url", src, "--out", out, "--force")
	if msg := mustFailUsage(t, "", "backup", "--database-url", src); !strings.Contains(msg, "--out is required") {
		t.Errorf("backup without --out = %q", msg)
	}
	if msg := mustFailUsage(t, "", "backup", "--database-url", src, "--out", filepath.Join(dir, "nowhere", "b.sqlite")); !strings.Contains(msg, "does not exist") {
		t.Errorf("backup into a missing folder = %q", msg)
	}
	missing := filepath.Join(dir, "missing.db")
	if msg := mustFailUsage(t, "", "backup", "--database-url", "sqlite://"+missing, "--out", filepath.Join(dir, "m.sqlite")); !strings.Contains(msg, "does not exist") {
		t.Errorf("backup of a missing database = %q", msg)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a refused backup created %s (stat: %v)", missing, err)
	}

	pgdump := filepath.Join(dir, "b.pgdump")
	if err := os.WriteFile(pgdump, []byte("PGDMP\x01\x0e\x00 not really"), 0o600); err != nil {
		t.Fatal(err)
	}
	notBackup := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notBackup, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := "sqlite://" + filepath.Join(dir, "new.db")
	for _, tc := range []struct {
		name, db, in string
		want         []string
	}{
		{"PostgreSQL backup into SQLite", fresh, pgdump, []string{"backup of PostgreSQL", "SQLite database"}},
		{"SQLite backup into PostgreSQL", "postgres://nobody@127.0.0.1:1/none?sslmode=disable", out, []string{"backup of SQLite", "PostgreSQL database"}},
		{"missing file", fresh, filepath.Join(dir, "missing.sqlite"), []string{"does not exist"}},
		{"not a backup", fresh, notBackup, []string{"not a phoihop backup"}},
		{"SQLite not phoihop's", fresh, emptySQLite(t, dir), []string{"no goose_db_version table"}},
		{"non-empty database", src, out, []string{"is not empty", "goose_db_version"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := mustFailUsage(t, "", "restore", "--database-url", tc.db, "--in", tc.in)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("restore = %q, want it to contain %q", msg, w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); !os.IsNotExist(err) {
		t.Errorf("a refused restore left %s behind (stat: %v)", fresh, err)
	}
	if msg := mustFailUsage(t, "", "restore", "--database-url", fresh); !strings.Contains(msg, "--in is required") {
		t.Errorf("restore without --in = %q", msg)
	}
}

// emptySQLite returns the path of an SQLite database with one table that is not phoihop's.
func emptySQLite(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "other.db")
	st, err := store.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.MustExec(t, st, "CREATE TABLE notes (body TEXT)")
	return path
}

// TestRestoreUpgradesAnOlderBackup restores a backup of a database one migration behind and
// finds it migrated to this version.
func TestRestoreUpgradesAnOlderBackup(t *testing.T) {
	dir := t.TempDir()
	src := "sqlite://" + filepath.Join(dir, "old.db")
	mustRun(t, "", "migrate", "--database-url", src)
	st, err := store.Open(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := st.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MigrateDownTo(context.Background(), latest-1); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := filepath.Join(dir, "old.sqlite")
	mustRun(t, "", "backup", "--database-url", src, "--out", out)
	stdout := mustRun(t, "", "restore", "--database-url", "sqlite://"+filepath.Join(dir, "restored", "new.db"), "--in", out)
	if want := fmt.Sprintf("applied 1 migration(s); the schema is at version %d", latest); !strings.Contains(stdout, want) {
		t.Errorf("restore printed %q, want %q", stdout, want)
	}
}

package store_test

import (
	"context"
	"database/sql"
	"io/fs"
	"slices"
	"testing"

	"phoihop/internal/config"
	"phoihop/internal/store"
	"phoihop/internal/storetest"
	"phoihop/migrations"
)

func TestMigrationFileNamesMatch(t *testing.T) {
	names := func(dir string) []string {
		entries, err := fs.ReadDir(migrations.FS, dir)
		if err != nil {
			t.Fatalf("read %s: %v", dir, err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	pg, lite := names(config.Postgres), names(config.SQLite)
	if len(pg) == 0 {
		t.Fatal("no PostgreSQL migrations embedded")
	}
	if !slices.Equal(pg, lite) {
		t.Fatalf("migration files differ:\npostgres: %v\nsqlite:   %v", pg, lite)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.OpenEmpty(t, engine)
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			if len(applied) == 0 {
				t.Fatal("up applied no migration")
			}
			assertSeeded(t, s)
			again, err := s.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second up = %v, %v; want nothing applied", again, err)
			}
			if err := s.MigrateDownTo(ctx, 0); err != nil {
				t.Fatalf("down: %v", err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v != 0 {
				t.Fatalf("version after down = %d, %v; want 0", v, err)
			}
			if _, err := s.Agencies(ctx); err == nil {
				t.Fatal("agencies table still there after down")
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
			assertSeeded(t, s)
			if v, err := s.SchemaVersion(ctx); err != nil || v != applied[len(applied)-1] {
				t.Fatalf("version = %d, %v; want %d", v, err, applied[len(applied)-1])
			}
		})
	}
}

func TestMigrateConcurrentStarts(t *testing.T) {
	// Two instances starting at once on one PostgreSQL database: the session lock lets one
	// migrate while the other waits, and both end on the same schema.
	url := storetest.URL(t, config.Postgres)
	ctx := context.Background()
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			s, err := store.Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			_, err = s.Migrate(ctx)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	assertSeeded(t, s)
}

func assertSeeded(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	agencies, err := s.Agencies(ctx)
	if err != nil {
		t.Fatalf("agencies: %v", err)
	}
	var codes []string
	for _, a := range agencies {
		codes = append(codes, a.Code)
	}
	if want := []string{"CA", "BP", "CSB", "HQ"}; !slices.Equal(codes, want) {
		t.Fatalf("agencies = %v, want %v", codes, want)
	}
	if agencies[1].NameVI != "Bộ đội Biên phòng" || agencies[1].NameEN != "Border Guard" {
		t.Fatalf("BP names = %q / %q", agencies[1].NameVI, agencies[1].NameEN)
	}
	crimes, err := s.CrimeTypes(ctx)
	if err != nil {
		t.Fatalf("crime types: %v", err)
	}
	codes = codes[:0]
	for _, c := range crimes {
		codes = append(codes, c.Code)
	}
	if want := []string{"drugs", "smuggling", "weapons", "trafficking", "other"}; !slices.Equal(codes, want) {
		t.Fatalf("crime types = %v, want %v", codes, want)
	}
	cats, err := s.ItemCategories(ctx)
	if err != nil {
		t.Fatalf("item categories: %v", err)
	}
	units := map[string]string{}
	groups := map[string]string{}
	for _, c := range cats {
		units[c.Code] = c.Unit
		groups[c.Code] = c.Group
	}
	want := map[string]string{
		"synthetic_drug_pills": "tablet", "heroin": "g", "methamphetamine": "g", "cannabis": "g",
		"opium": "g", "ketamine": "g", "homemade_gun": "piece", "firearm": "piece", "ammunition": "round",
		"knife": "piece", "car": "vehicle", "motorbike": "vehicle", "cash_vnd": "VND", "phone": "piece",
	}
	if len(units) != len(want) {
		t.Fatalf("item categories = %v, want %v", units, want)
	}
	for code, unit := range want {
		if units[code] != unit {
			t.Errorf("item category %s unit = %q, want %q", code, units[code], unit)
		}
	}
	if groups["heroin"] != "drug" || groups["ammunition"] != "ammunition" || groups["motorbike"] != "vehicle" {
		t.Errorf("item groups = %v", groups)
	}
}

func TestSQLiteConnectionSettings(t *testing.T) {
	s := storetest.Open(t, config.SQLite)
	ctx := context.Background()
	// Hold several connections at once so the pragmas are checked on each, not just the first.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var fk, busy int
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || mode != "wal" || busy != 5000 {
			t.Errorf("connection %d: foreign_keys=%d journal_mode=%s busy_timeout=%d; want 1, wal, 5000", i, fk, mode, busy)
		}
	}
	if got := s.DB().Stats().MaxOpenConnections; got != 8 {
		t.Errorf("SQLite pool max open = %d, want 8", got)
	}
}

func TestPostgresPoolLimits(t *testing.T) {
	s := storetest.Open(t, config.Postgres)
	if got := s.DB().Stats().MaxOpenConnections; got != 25 {
		t.Errorf("PostgreSQL pool max open = %d, want 25", got)
	}
}

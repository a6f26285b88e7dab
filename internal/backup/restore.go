package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Restore puts the backup at in into the database databaseURL names, which must be empty (no
// table at all; an SQLite file that does not exist yet is empty), then applies the migrations
// of this version (a backup of an older version is upgraded) and records backup.restore by
// actor in the audit log of the restored database. A backup of the other engine, a file that
// is not a backup and a database that is not empty are refused (ErrRefused) before anything
// is written. The server must not run on the target meanwhile.
func Restore(ctx context.Context, actor phoihop.Actor, databaseURL, in string) (*Result, error) {
	engine, target, err := config.ParseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	kind, err := Kind(in)
	if err != nil {
		return nil, err
	}
	if kind != engine {
		return nil, refused("%s is a backup of %s and cannot be restored into a %s database; restore it into %s (%s)",
			in, engineName(kind), engineName(engine), engineName(kind), urlHint(kind))
	}
	if err := checkEmpty(ctx, databaseURL, engine, target); err != nil {
		return nil, err
	}
	if engine == config.SQLite {
		err = restoreSQLite(in, target)
	} else {
		err = pgRestore(ctx, databaseURL, in)
	}
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res := &Result{Engine: engine}
	if res.Applied, err = st.Migrate(ctx); err != nil {
		return nil, err
	}
	if res.Version, err = st.SchemaVersion(ctx); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(in); err == nil {
		res.Bytes = fi.Size()
	}
	details := map[string]any{"file": in, "bytes": res.Bytes, "engine": engine, "migrations_applied": res.Applied}
	if err := st.Audit(ctx, actor, "backup.restore", "backup", 0, "", details); err != nil {
		return nil, err
	}
	return res, nil
}

func engineName(engine string) string {
	if engine == config.Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

func urlHint(engine string) string {
	if engine == config.Postgres {
		return "--database-url postgres://USER@HOST/DB"
	}
	return "--database-url sqlite://PATH"
}

// checkEmpty refuses a target database that holds any table, naming a few of them.
func checkEmpty(ctx context.Context, databaseURL, engine, target string) error {
	if engine == config.SQLite {
		if fi, err := os.Stat(target); errors.Is(err, os.ErrNotExist) {
			return nil
		} else if err == nil && fi.IsDir() {
			return refused("the SQLite database %s is a folder", target)
		}
	}
	st, err := store.Open(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	tables, err := st.Tables(ctx)
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return nil
	}
	what := "tables"
	for _, t := range tables {
		if t == gooseTable {
			what = "phoihop's migrations (" + gooseTable + ") and tables"
		}
	}
	shown := tables
	if len(shown) > 5 {
		shown = append(shown[:5:5], "…")
	}
	return refused("the %s database %s is not empty: it holds %s (%d: %s); restore only into a new, empty database",
		engineName(engine), describeTarget(engine, target), what, len(tables), strings.Join(shown, ", "))
}

// restoreSQLite copies the backup beside the target, checks the copy is a sound phoihop
// database, and moves it into place.
func restoreSQLite(in, target string) (err error) {
	if err := config.PrepareDataDir(target); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.restore")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	src, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		return fmt.Errorf("restore: copy %s: %w", in, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := checkSQLite(in, tmp.Name()); err != nil {
		return err
	}
	// The target is empty or missing: its own journal files, if any, belong to nothing.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// checkSQLite refuses a copy that fails SQLite's integrity check or has no migrations table.
func checkSQLite(in, path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil {
		return refused("%s is not a readable SQLite database: %v", in, err)
	}
	if result != "ok" {
		return refused("%s fails SQLite's integrity check: %s", in, result)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", gooseTable).Scan(&n); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if n == 0 {
		return refused("%s is an SQLite database but not phoihop's: it has no %s table", in, gooseTable)
	}
	return nil
}

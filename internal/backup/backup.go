// Package backup takes consistent copies of phoihop's database while the server runs and
// restores them into an empty database: on SQLite the online backup (VACUUM INTO), on
// PostgreSQL pg_dump and pg_restore in their custom format. Every backup and restore is
// recorded in the audit log.
package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// gooseTable is the table of applied migrations; a phoihop database holds it.
const gooseTable = "goose_db_version"

// ErrRefused marks a backup or restore refused before anything was written: the file exists,
// the target database is not empty, the backup is of the other engine or not a backup.
var ErrRefused = errors.New("refused")

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, args...))
}

// Kind returns the engine whose backup the file at path is, read from its first bytes:
// config.SQLite for an SQLite database ("SQLite format 3\0"), config.Postgres for pg_dump's
// custom format ("PGDMP"). Anything else is refused.
func Kind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", refused("the backup %s does not exist", path)
		}
		return "", fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("backup: read %s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.Equal(head, []byte("SQLite format 3\x00")):
		return config.SQLite, nil
	case bytes.HasPrefix(head, []byte("PGDMP")):
		return config.Postgres, nil
	}
	return "", refused("%s is not a phoihop backup: neither an SQLite database nor a pg_dump custom-format file", path)
}

// Result tells what a backup or a restore did.
type Result struct {
	Engine  string  // config.SQLite or config.Postgres
	Bytes   int64   // size of the backup file
	Applied []int64 // migrations applied after a restore
	Version int64   // schema version after a restore
}

// Create writes a consistent backup of the database databaseURL names to out while it is in
// use: through a temporary file in out's folder, readable by its owner only, which then takes
// out's name. It refuses an out that exists unless force, and a database without phoihop's
// schema. The backup is recorded in the audit log as backup.create by actor.
func Create(ctx context.Context, actor phoihop.Actor, databaseURL, out string, force bool) (*Result, error) {
	if fi, err := os.Stat(out); err == nil {
		if fi.IsDir() {
			return nil, refused("--out %s is a folder", out)
		}
		if !force {
			return nil, refused("--out %s exists; choose another name or give --force to replace it", out)
		}
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return nil, refused("--out %s: the folder %s does not exist", out, filepath.Dir(out))
	}
	engine, target, err := config.ParseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(target); engine == config.SQLite && errors.Is(err, os.ErrNotExist) {
		return nil, refused("the SQLite database %s does not exist: nothing to back up", target)
	}
	st, err := store.Open(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	tables, err := st.Tables(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(tables, gooseTable) {
		return nil, refused("the %s database holds no phoihop schema (no %s table): nothing to back up", st.Engine(), gooseTable)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	if st.Engine() == config.SQLite {
		err = st.VacuumInto(ctx, tmpName)
	} else {
		err = pgDump(ctx, databaseURL, tmpName)
	}
	if err != nil {
		return nil, err
	}
	size, err := syncFile(tmpName)
	if err != nil {
		return nil, err
	}
	res := &Result{Engine: st.Engine(), Bytes: size}
	details := map[string]any{"file": out, "bytes": size, "engine": st.Engine()}
	if err := st.Audit(ctx, actor, "backup.create", "backup", 0, "", details); err != nil {
		return nil, err
	}
	if err := place(tmpName, out, force); err != nil {
		return nil, err
	}
	done = true
	return res, nil
}

// syncFile makes the file readable by its owner only, flushes it to disk and returns its size.
func syncFile(path string) (int64, error) {
	if err := os.Chmod(path, 0o600); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("backup: sync %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return fi.Size(), nil
}

// place gives the finished temporary file the name out: replacing it when force, otherwise
// only if no file took that name meanwhile (a hard link never overwrites).
func place(tmp, out string, force bool) error {
	if force {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	}
	if err := os.Link(tmp, out); err != nil {
		if errors.Is(err, os.ErrExist) {
			return refused("--out %s exists; choose another name or give --force to replace it", out)
		}
		return fmt.Errorf("backup: %w", err)
	}
	return os.Remove(tmp)
}

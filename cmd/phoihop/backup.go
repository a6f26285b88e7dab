package main

import (
	"context"
	"errors"
	"fmt"

	"phoihop/internal/backup"
	"phoihop/internal/phoihop"
)

// backupCmd writes a consistent backup of the database while the server may run.
func backupCmd(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "backup", "backup --out FILE [flags]",
		"Write a consistent backup of the database while the server runs: on SQLite its online backup\n"+
			"(VACUUM INTO), on PostgreSQL pg_dump's custom format (needs the Debian package\n"+
			"postgresql-client). The file is readable by its owner only; it is recorded in the audit log.")
	out := fs.String("out", "", "the backup file to write (required)")
	force := fs.Bool("force", false, "replace --out when it exists")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	if *out == "" {
		return usageError{errors.New("--out is required: the backup file to write")}
	}
	res, err := backup.Create(ctx, phoihop.SystemActor("cli"), *db, *out, *force)
	if err != nil {
		return backupError(err)
	}
	fmt.Fprintf(e.stdout, "wrote %s (%d bytes): a backup of the %s database\n", *out, res.Bytes, res.Engine)
	return nil
}

// restoreCmd restores a backup into an empty database and migrates it.
func restoreCmd(ctx context.Context, e env, args []string) error {
	fs, db := newFlagSet(e, "restore", "restore --in FILE [flags]",
		"Restore a backup of \"phoihop backup\" into an EMPTY database of the same engine (a new SQLite\n"+
			"file, or a new PostgreSQL database: pg_restore, from the Debian package postgresql-client),\n"+
			"then apply the migrations of this version. Stop the server of the target first.")
	in := fs.String("in", "", "the backup file to restore (required)")
	if err := parseFlags(e, fs, args, db); err != nil {
		return err
	}
	if *in == "" {
		return usageError{errors.New("--in is required: the backup file to restore")}
	}
	res, err := backup.Restore(ctx, phoihop.SystemActor("cli"), *db, *in)
	if err != nil {
		return backupError(err)
	}
	fmt.Fprintf(e.stdout, "restored %s into the %s database; applied %d migration(s); the schema is at version %d\n",
		*in, res.Engine, len(res.Applied), res.Version)
	return nil
}

// backupError makes a refusal a usage error (exit status 2); other failures stay errors.
func backupError(err error) error {
	if errors.Is(err, backup.ErrRefused) {
		return usageError{err}
	}
	return err
}

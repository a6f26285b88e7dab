package backup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"phoihop/internal/config"
)

// pgDump writes the database's custom-format dump to path with pg_dump.
func pgDump(ctx context.Context, databaseURL, path string) error {
	return runPG(ctx, databaseURL, "pg_dump", "--format=custom", "--file="+path)
}

// pgRestore restores a custom-format dump into the (empty) database with pg_restore, in one
// transaction, so a failure leaves the database as empty as it was. Objects are owned by the
// user of the URL, whoever owned them where the dump was taken.
func pgRestore(ctx context.Context, databaseURL, path string) error {
	return runPG(ctx, databaseURL, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", path)
}

// runPG runs a PostgreSQL client tool against the database of the URL. The password never
// appears on the command line (other users can list it): it goes in PGPASSWORD.
func runPG(ctx context.Context, databaseURL, tool string, args ...string) error {
	bin, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%s was not found: backups and restores of PostgreSQL need the PostgreSQL client tools (pg_dump, pg_restore) "+
			"of the server's major version or newer; install the Debian package postgresql-client", tool)
	}
	conn, password, err := pgConnection(databaseURL)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dbname="+conn)...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if password != "" {
			msg = strings.ReplaceAll(msg, password, "***")
		}
		return fmt.Errorf("%s failed (%v): %s", tool, err, msg)
	}
	return nil
}

// libpqOnly are lib/pq settings of a URL that libpq, under pg_dump, does not know.
var libpqOnly = []string{"binary_parameters", "disable_prepared_binary_result"}

// pgConnection splits a postgres:// URL into the URL the client tools are given, without
// its password, and the password.
func pgConnection(databaseURL string) (conn, password string, err error) {
	if _, _, err := config.ParseDatabaseURL(databaseURL); err != nil {
		return "", "", err
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", "", fmt.Errorf("config: database URL: %w", err)
	}
	if u.User != nil {
		password, _ = u.User.Password()
		name := u.User.Username()
		u.User = nil
		if name != "" {
			u.User = url.User(name)
		}
	}
	q := u.Query()
	if p := q.Get("password"); p != "" {
		password = p
	}
	q.Del("password")
	for _, k := range libpqOnly {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	return u.String(), password, nil
}

// describeTarget names a database without its password: the SQLite path, or PostgreSQL's
// host and database.
func describeTarget(engine, target string) string {
	if engine == config.SQLite {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "(unreadable URL)"
	}
	return strings.TrimPrefix(u.Path, "/") + " on " + u.Host
}

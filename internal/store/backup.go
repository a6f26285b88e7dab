package store

import (
	"context"
	"fmt"

	"phoihop/internal/config"
)

// VacuumInto writes a consistent copy of an SQLite database to path, which must not exist or
// be an empty file: SQLite's online backup (VACUUM INTO), read in one transaction while
// writers go on, with the write-ahead log's committed pages included. It is for SQLite only.
func (s *Store) VacuumInto(ctx context.Context, path string) error {
	if s.engine != config.SQLite {
		return fmt.Errorf("store: VACUUM INTO is for SQLite, not %s", s.engine)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: backup into %s: %w", path, err)
	}
	return nil
}

// Tables returns the names of the tables of the database, sorted: on SQLite those of the main
// database but SQLite's own, on PostgreSQL those of every schema but the system ones. An
// empty result means the database holds nothing of phoihop's (nor of anything else).
func (s *Store) Tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.engine == config.Postgres {
		q = `SELECT CASE WHEN table_schema = current_schema() THEN table_name
			ELSE table_schema || '.' || table_name END
			FROM information_schema.tables
			WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
			ORDER BY 1`
	}
	var names []string
	if err := s.db.SelectContext(ctx, &names, q); err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	return names, nil
}

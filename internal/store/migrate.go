package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	"phoihop/migrations"
)

// provider returns a goose provider over the embedded migrations of the store's engine. On
// PostgreSQL it holds a session advisory lock while it works, so two instances starting
// together do not both migrate.
func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, s.engine)
	if err != nil {
		return nil, fmt.Errorf("store: migrations of %s: %w", s.engine, err)
	}
	var opts []goose.ProviderOption
	if s.engine == config.Postgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialects[s.engine].goose, s.db.DB, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration and returns the versions it applied; then it
// brings the job queue's tables, which River's own migrator keeps (jobs.Migrate), up to date.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate up: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	if _, err := jobs.Migrate(ctx, s.db.DB, s.engine); err != nil {
		return applied, err
	}
	return applied, nil
}

// MigrateDownTo rolls migrations back until the schema is at version (0: empty). It exists for
// tests and operators undoing a release; the application never calls it. The job queue's
// tables are River's and stay.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("store: migrate down to %d: %w", version, err)
	}
	return nil
}

// SchemaVersion returns the version of the newest applied migration (0 before any).
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

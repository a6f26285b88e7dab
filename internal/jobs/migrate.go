package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/rivermigrate"

	"phoihop/internal/config"
)

// migrateLockKey names the PostgreSQL advisory lock held while the queue's schema is migrated.
const migrateLockKey = 0x70686f69686f7002 // "phoihop" and 2

// Migrate brings the queue's tables (River's river_* tables) to the schema of this River
// release with River's own migrator, and returns the versions it applied. On PostgreSQL it
// holds an advisory lock meanwhile, so instances starting together migrate one after the
// other; SQLite's write transactions already queue.
func Migrate(ctx context.Context, db *sql.DB, engine string) ([]int, error) {
	drv, err := driver(db, engine)
	if err != nil {
		return nil, err
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrations: %w", err)
	}
	if engine == config.Postgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("jobs: migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return nil, fmt.Errorf("jobs: migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("jobs: migrate up: %w", err)
	}
	applied := make([]int, 0, len(res.Versions))
	for _, v := range res.Versions {
		applied = append(applied, v.Version)
	}
	return applied, nil
}

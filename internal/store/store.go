// Package store keeps phoihop's data in PostgreSQL or in an embedded SQLite database. Queries
// are plain SQL with ? bindvars rebound by sqlx; the differences between the two engines live
// in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"phoihop/internal/config"
	"phoihop/internal/jobs"
	"phoihop/internal/mail"
)

// Store is phoihop's database. It is safe for concurrent use.
type Store struct {
	db     *sqlx.DB
	engine string
	path   string // the SQLite file; "" on PostgreSQL
	jobs   *jobs.Enqueuer
	health *storageHealth

	// Now is the clock of the store (UTC is taken of it); tests replace it.
	Now func() time.Time

	// SendsMail says that mails are sent: serve sets it when a mail server is configured
	// (PHOIHOP_SMTP_URL). While it is false, EnqueueMailTx enqueues nothing.
	SendsMail bool

	// RequestMail composes the mail telling an account about a step of a request (the app
	// sets it, in the users' language); while it is nil no such mail is sent.
	RequestMail func(RequestNotice) mail.Message
}

// Open connects to the database named by a URL (sqlite://PATH or postgres://…), applies the
// connection settings of its engine and checks that it answers. It does not migrate.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	return OpenDriver(ctx, databaseURL, "")
}

// OpenDriver is Open through the database/sql driver registered as driverName, one wrapping
// the engine's own driver (tests count the statements the store sends with it); "" is the
// engine's own driver.
func OpenDriver(ctx context.Context, databaseURL, driverName string) (*Store, error) {
	engine, target, err := config.ParseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	d := dialects[engine]
	if engine == config.SQLite {
		if err := config.PrepareDataDir(target); err != nil {
			return nil, err
		}
	}
	if driverName == "" {
		driverName = d.driver
	}
	sqlDB, err := sql.Open(driverName, d.dsn(target))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", engine, err)
	}
	// Named after the engine's driver whatever driverName is: sqlx picks the bindvars by it.
	db := sqlx.NewDb(sqlDB, d.driver)
	d.configure(db.DB)
	enq, err := jobs.NewEnqueuer(db.DB, engine)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, engine: engine, jobs: enq, health: &storageHealth{}, Now: time.Now}
	if engine == config.SQLite {
		s.path = target
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		if uerr := s.unwritable(err); uerr != nil { // the WAL pragma writes
			return nil, uerr
		}
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", engine, err)
	}
	return s, nil
}

// WithClock returns a store on the same database, with the same settings, whose clock is now:
// for writing records at the moments they happened (the demo's history) without touching the
// clock of s, which may serve meanwhile. Closing either one closes the database of both.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.Now = now
	return &c
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers a query within the context's deadline.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Engine returns config.SQLite or config.Postgres.
func (s *Store) Engine() string { return s.engine }

// DB returns the underlying pool, for its statistics (metrics) and the Casbin adapter.
func (s *Store) DB() *sql.DB { return s.db.DB }

// DriverName returns the database/sql driver name of the engine ("sqlite" or "postgres").
func (s *Store) DriverName() string { return dialects[s.engine].driver }

func (s *Store) now() time.Time { return s.Now().UTC() }

// inTx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
// Its outcome is recorded for StorageFailure. When ctx carries a free IdempotencyClaim (a POST
// with an Idempotency-Key), the key row is inserted first in the same transaction, so that it
// commits exactly when the write does (idempotency.go); a key another request holds is
// EConflict and nothing is written.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) (err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return mapError(s.noteWrite(fmt.Errorf("store: begin: %w", err)))
	}
	defer tx.Rollback()
	if claim := claimOf(ctx); claim != nil && claim.take() {
		committed := false
		defer func() { claim.end(committed, errors.Is(err, errKeyInProgress)) }()
		if err := s.insertIdempotencyKey(ctx, tx, claim.Request()); err != nil {
			return mapError(err)
		}
		defer func() { committed = err == nil }()
	}
	if err := fn(tx); err != nil {
		return mapError(s.noteWrite(err))
	}
	if err := tx.Commit(); err != nil {
		return mapError(s.noteWrite(fmt.Errorf("store: commit: %w", err)))
	}
	s.noteWrite(nil)
	return nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // driver "postgres"
	_ "modernc.org/sqlite" // driver "sqlite", pure Go

	"github.com/pressly/goose/v3"

	"phoihop/internal/config"
)

func init() {
	// modernc.org/sqlite registers "sqlite", which sqlx does not know as a ? driver.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// dialect is the whole seam between the two engines.
type dialect struct {
	driver    string
	goose     goose.Dialect
	dsn       func(target string) string
	configure func(db *sql.DB)
}

var dialects = map[string]dialect{
	config.SQLite: {
		driver: "sqlite",
		goose:  goose.DialectSQLite3,
		dsn: func(path string) string {
			q := url.Values{}
			q.Add("_pragma", "foreign_keys(1)")
			q.Add("_pragma", "journal_mode(WAL)")
			q.Add("_pragma", "busy_timeout(5000)")
			q.Add("_pragma", "synchronous(NORMAL)")
			// Reports read many rows in date order, scattered over the file: reading pages
			// through a memory map and keeping 32 MiB of them per connection instead of 2
			// MiB cut the detail export of a year of a million-seizure province by a third.
			q.Add("_pragma", "mmap_size(1073741824)")
			q.Add("_pragma", "cache_size(-32768)")
			// Write transactions take the write lock at BEGIN, so two writers queue on
			// busy_timeout instead of failing when one upgrades a read lock.
			q.Set("_txlock", "immediate")
			// Timestamps are written as "2006-01-02 15:04:05.999999999-07:00" (always UTC
			// here) and read back as time.Time from TIMESTAMP columns.
			q.Set("_time_format", "sqlite")
			return "file:" + path + "?" + q.Encode()
		},
		configure: func(db *sql.DB) {
			// WAL lets readers run beside the one writer; a few connections are plenty.
			db.SetMaxOpenConns(8)
			db.SetMaxIdleConns(8)
			db.SetConnMaxIdleTime(10 * time.Minute)
		},
	},
	config.Postgres: {
		driver: "postgres",
		goose:  goose.DialectPostgres,
		dsn:    func(u string) string { return u },
		configure: func(db *sql.DB) {
			db.SetMaxOpenConns(25)
			db.SetMaxIdleConns(10)
			db.SetConnMaxIdleTime(5 * time.Minute)
			db.SetConnMaxLifetime(30 * time.Minute)
		},
	},
}

// The SQL that differs between the engines beyond the connection.

// yearExpr is the SQL integer year of a date column: SQLite keeps dates as "YYYY-MM-DD" text.
func (s *Store) yearExpr(col string) string {
	if s.Engine() == config.Postgres {
		return "CAST(EXTRACT(YEAR FROM " + col + ") AS INTEGER)"
	}
	return "CAST(substr(" + col + ", 1, 4) AS INTEGER)"
}

// daysBetween is the SQL number of days from the date column earlier to the date column
// later: PostgreSQL subtracts dates; SQLite keeps them as "YYYY-MM-DD" text.
func (s *Store) daysBetween(later, earlier string) string {
	if s.Engine() == config.Postgres {
		return "(" + later + " - " + earlier + ")"
	}
	return "CAST(julianday(" + later + ") - julianday(" + earlier + ") AS INTEGER)"
}

// joined is the aggregate joining expr with sep in the order orderBy, for a correlated
// subquery: string_agg on PostgreSQL, group_concat (ordered since SQLite 3.44) on SQLite.
func (s *Store) joined(expr, sep, orderBy string) string {
	agg := "group_concat"
	if s.Engine() == config.Postgres {
		agg = "string_agg"
	}
	return agg + "(" + expr + ", '" + sep + "' ORDER BY " + orderBy + ")"
}

// forUpdate is the clause that locks the rows a SELECT reads until the transaction ends, on
// PostgreSQL; SQLite write transactions hold the whole database from BEGIN (_txlock=immediate).
func (s *Store) forUpdate() string {
	if s.Engine() == config.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// lockTx serializes the transactions that call it with the same key until they end: with a
// transaction-scoped advisory lock on PostgreSQL; SQLite's write transactions already take the
// database's write lock at BEGIN (_txlock=immediate).
func (s *Store) lockTx(ctx context.Context, tx *sqlx.Tx, key int64) error {
	if s.Engine() != config.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key); err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	return nil
}

// forKeyShare is the clause that keeps the rows a SELECT reads from being locked FOR UPDATE
// (or deleted) by another transaction until this one ends, on PostgreSQL, while letting
// other transactions share them; SQLite's write transactions hold the whole database from
// BEGIN (_txlock=immediate), so no other writer runs meanwhile.
func (s *Store) forKeyShare() string {
	if s.Engine() == config.Postgres {
		return " FOR KEY SHARE"
	}
	return ""
}

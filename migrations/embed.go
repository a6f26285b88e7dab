// Package migrations embeds the database migrations of phoihop, one folder per SQL dialect:
// postgres/ and sqlite/ hold the same file names, each written in its engine's dialect.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql; store.Migrate runs them with goose.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS

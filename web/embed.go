// Package web embeds phoihop's templates, static files and translation catalogs, so the binary
// is the whole deployment.
package web

import "embed"

// FS holds templates/, static/ and locales/.
//
//go:embed templates static locales
var FS embed.FS

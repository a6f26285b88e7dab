// Package httpd is the HTTP plumbing that phoihop's two parts share: the pages and
// administration (internal/server) and the JSON API (internal/api) each run on a Router of
// their own — a Gin engine with the same middleware (request id, log line, metrics, security
// headers, cross-origin refusal, query text, session) and a table of routes, each declaring
// its permission — and Handler puts them together behind one address. Each part answers in
// its own way what the middleware refuses (Answers): a page or a JSON error. The two parts
// share the store and the authorizer; neither imports the other.
package httpd

import (
	"context"
	"log/slog"

	"phoihop/internal/auth"
	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Deps are what the parts of the application need; main wires them.
type Deps struct {
	Store         *store.Store
	Auth          *auth.Service
	Authz         Authorizer
	Logger        *slog.Logger
	Metrics       *Metrics // nil: no metrics are collected
	SecureCookies bool
	Version       string
	Province      string // named in the summary report's heading; "" is config.DefaultProvince
	PublicURL     string // the address users open phoihop at, for the links in mails; "" gives paths
	// Imports runs the imports from Excel of this instance, shared by the pages and the API;
	// the server waits for its runs at shutdown (Runner.Wait).
	Imports *imports.Runner
	// ExportThreshold is the number of detail rows above which the report page has the
	// workbook written as a job (internal/exports) instead of during the request; 0 is
	// config.DefaultExportThreshold.
	ExportThreshold int
}

// Authorizer answers permission checks; *authz.Enforcer is the implementation.
type Authorizer interface {
	// AllowedAnywhere reports whether the user may do act on obj in at least one domain.
	AllowedAnywhere(user, obj, act string) bool
	// Allowed reports whether the user may do act on obj in the domain (an agency code, or
	// "*" for every agency at once).
	Allowed(user, domain, obj, act string) bool
	// Domains returns the agency codes where the user may do act on obj, nil for none.
	Domains(user, obj, act string) []string
	// Roles returns the roles the user holds, with their domains.
	Roles(user string) []phoihop.RoleGrant
	// Reload loads the policy again after a write to it (roles, permissions) and tells the
	// other instances to do the same.
	Reload(ctx context.Context) error
	// Fresh makes sure the checks of a request arriving now do not answer from a policy that
	// may lack a change made elsewhere (authz.Enforcer.Fresh); an error means the request
	// must not be answered from the cached policy.
	Fresh(ctx context.Context) error
}

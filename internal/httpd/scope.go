package httpd

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/store"
)

// Scope is what the signed-in user may reach among the records: the agencies where the
// policy lets them read and write records. Queries filter by it; see store.Scope.
//
// Removed records are included when the request asks for them with ?removed=1, the user may
// see them (CanSeeRemoved) and the request only reads (a GET of a record:read route): forms
// and writes never reach a removed record.
func (r *Router) Scope(c *gin.Context) store.Scope {
	u := CurrentUser(c)
	if u == nil {
		return store.Scope{}
	}
	sub := store.RoleSubject(u.Username)
	return store.Scope{
		Read:    r.deps.Authz.Domains(sub, "record", "read"),
		Write:   r.deps.Authz.Domains(sub, "record", "write"),
		Removed: WantsRemoved(c) && readOnlyRoute(c) && r.CanSeeRemoved(c),
	}
}

// WantsRemoved reports whether the request asks to include removed records (?removed=1).
func WantsRemoved(c *gin.Context) bool { return c.Query("removed") == "1" }

// readOnlyRoute reports whether the request is a GET of a route declaring record:read.
func readOnlyRoute(c *gin.Context) bool {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return false
	}
	perm, ok := RoutePermission(c)
	return ok && perm == Perm("record", "read")
}

// CanSeeRemoved reports whether the signed-in user may see removed records: account managers
// (user:manage), who also need a role reading the records to see any.
func (r *Router) CanSeeRemoved(c *gin.Context) bool {
	u := CurrentUser(c)
	return u != nil && r.deps.Authz.AllowedAnywhere(store.RoleSubject(u.Username), "user", "manage")
}

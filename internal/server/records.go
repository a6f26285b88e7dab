package server

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"phoihop/internal/store"
)

// ctxRoutePerm is the context key of the permission the matched route declares.
const ctxRoutePerm = "phoihop.routePerm"

// scope is what the signed-in user may reach among the records: the agencies where the
// policy lets them read and write records. Queries filter by it; see store.Scope.
//
// Removed records are included when the request asks for them with ?removed=1, the user may
// see them (canSeeRemoved) and the request only reads (a GET of a record:read route): forms
// and writes never reach a removed record.
func (s *Server) scope(c *gin.Context) store.Scope {
	u := currentUser(c)
	if u == nil {
		return store.Scope{}
	}
	sub := store.RoleSubject(u.Username)
	return store.Scope{
		Read:    s.deps.Authz.Domains(sub, "record", "read"),
		Write:   s.deps.Authz.Domains(sub, "record", "write"),
		Removed: wantsRemoved(c) && s.readOnlyRoute(c) && s.canSeeRemoved(c),
	}
}

// wantsRemoved reports whether the request asks to include removed records (?removed=1).
func wantsRemoved(c *gin.Context) bool { return c.Query("removed") == "1" }

// readOnlyRoute reports whether the request is a GET of a route declaring record:read.
func (s *Server) readOnlyRoute(c *gin.Context) bool {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		return false
	}
	perm, ok := c.Get(ctxRoutePerm)
	return ok && perm == Perm("record", "read")
}

// canSeeRemoved reports whether the signed-in user may see removed records: account managers
// (user:manage), who also need a role reading the records to see any.
func (s *Server) canSeeRemoved(c *gin.Context) bool {
	u := currentUser(c)
	return u != nil && s.deps.Authz.AllowedAnywhere(store.RoleSubject(u.Username), "user", "manage")
}

// removedToggle is the link of a list page that shows or hides removed records, keeping the
// other filters: Show says whether they are shown now; URL is empty when the user may not see
// them.
type removedToggle struct {
	Show bool
	URL  string
}

// removedToggleOf returns the toggle of the list the request shows.
func (s *Server) removedToggleOf(c *gin.Context) removedToggle {
	if !s.canSeeRemoved(c) {
		return removedToggle{}
	}
	u := c.Request.URL
	q := u.Query()
	q.Del("page")
	q.Del("ok")
	t := removedToggle{Show: wantsRemoved(c)}
	if t.Show {
		q.Del("removed")
	} else {
		q.Set("removed", "1")
	}
	t.URL = u.Path
	if enc := q.Encode(); enc != "" {
		t.URL += "?" + enc
	}
	return t
}

// removedQuery returns "?removed=1" when the request shows removed records, for the links of a
// list to the records' pages.
func removedQuery(sc store.Scope) string {
	if sc.Removed {
		return "?" + url.Values{"removed": {"1"}}.Encode()
	}
	return ""
}

// RemovedOn formats the day a record was removed as dd/mm/yyyy in Vietnam's time; "" for nil.
func (l Locale) RemovedOn(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(displayZone).Format("02/01/2006")
}

package server

import (
	"github.com/gin-gonic/gin"

	"phoihop/internal/store"
)

// scope is what the signed-in user may reach among the records: the agencies where the
// policy lets them read and write records. Queries filter by it; see store.Scope.
func (s *Server) scope(c *gin.Context) store.Scope {
	u := currentUser(c)
	if u == nil {
		return store.Scope{}
	}
	sub := store.RoleSubject(u.Username)
	return store.Scope{
		Read:  s.deps.Authz.Domains(sub, "record", "read"),
		Write: s.deps.Authz.Domains(sub, "record", "write"),
	}
}

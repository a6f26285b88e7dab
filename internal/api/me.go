package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// apiMe is GET /api/v1/me: the user, their roles and what they may do.
type apiMe struct {
	User        apiUser        `json:"user"`
	Roles       []apiRoleGrant `json:"roles" doc:"the roles the user holds, those held in every agency (*) first"`
	Permissions apiPermissions `json:"permissions"`
}

// apiUser is the signed-in user.
type apiUser struct {
	ID                 int64    `json:"id"`
	Username           string   `json:"username"`
	FullName           string   `json:"full_name"`
	Unit               *apiUnit `json:"unit" doc:"the user's unit; null when the account has none"`
	MustChangePassword bool     `json:"must_change_password" doc:"true: the password must be changed on the pages before anything but this and signing out"`
}

// apiRoleGrant is a role held in a domain.
type apiRoleGrant struct {
	Role   string `json:"role" enum:"role"`
	Domain string `json:"domain" enum:"domain"`
}

// apiPermissions maps each permission ("record:read"…) to the agencies where the user holds
// it: ["*"] in every agency at once, [] nowhere (schema.go describes it property by property).
type apiPermissions map[string][]string

func (s *Server) apiMe(c *gin.Context) error {
	u := httpd.CurrentUser(c)
	out := apiMe{User: apiUser{ID: u.ID, Username: u.Username, FullName: u.FullName, MustChangePassword: u.MustChangePassword},
		Roles: []apiRoleGrant{}, Permissions: s.permissionsOf(u.Username)}
	if u.UnitID != nil {
		unit, err := s.deps.Store.UnitByID(c, *u.UnitID)
		if err != nil {
			return err
		}
		shown := apiUnitOut(unit)
		out.User.Unit = &shown
	}
	for _, g := range s.deps.Authz.Roles(u.Username) {
		out.Roles = append(out.Roles, apiRoleGrant{Role: g.Role, Domain: g.Domain})
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// permissionsOf computes, from the authorizer, where the user holds each permission of
// phoihop.PermissionObjects.
func (s *Server) permissionsOf(username string) apiPermissions {
	sub := store.RoleSubject(username)
	out := apiPermissions{}
	for _, obj := range phoihop.PermissionObjectOrder {
		for _, act := range phoihop.PermissionObjects[obj] {
			domains := []string{}
			if s.deps.Authz.Allowed(sub, phoihop.DomainAll, obj, act) {
				domains = append(domains, phoihop.DomainAll)
			} else {
				domains = append(domains, s.deps.Authz.Domains(sub, obj, act)...)
			}
			out[obj+":"+act] = domains
		}
	}
	return out
}

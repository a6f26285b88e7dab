package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// rolesPage is the data of the role/permission matrix of the domain "*": a row per object and
// action, a column per role.
type rolesPage struct {
	adminPage
	Roles         []string
	Rows          []matrixRow
	MatrixVersion string // fingerprint of the matrix the form was made from
	CanEdit       bool   // the user manages roles over all agencies
	OwnRoles      bool   // some columns are the user's own roles, which they may not change
}

type matrixRow struct {
	Object, Action string
	Cells          []matrixCell
}

type matrixCell struct {
	Role, Value string // Value: "role|object|action"
	Checked     bool
	Own         bool // a role the user holds: nobody changes their own permissions
}

// matrixKey is the form value of a cell.
func matrixKey(role, obj, act string) string { return role + "|" + obj + "|" + act }

// currentMatrix returns the cells granted in the domain "*" and their fingerprint.
func (s *Server) currentMatrix(c *gin.Context) (map[string]bool, string, error) {
	perms, err := s.deps.Store.Permissions(c.Request.Context())
	if err != nil {
		return nil, "", err
	}
	granted := map[string]bool{}
	var keys []string
	for _, p := range perms {
		if p.Domain == phoihop.DomainAll {
			k := matrixKey(p.Role, p.Object, p.Action)
			granted[k] = true
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\n")))
	return granted, hex.EncodeToString(sum[:8]), nil
}

// rolesPage builds the matrix page with the cells checked. The columns of the roles the user
// holds keep the stored cells granted, whatever checked says: they are not the user's to change.
func (s *Server) rolesPage(c *gin.Context, checked, granted map[string]bool, version string) *rolesPage {
	sub := store.RoleSubject(httpd.CurrentUser(c).Username)
	p := &rolesPage{adminPage: s.adminPage(c, "admin.roles.title"), Roles: phoihop.Roles, MatrixVersion: version,
		CanEdit: s.deps.Authz.Allowed(sub, phoihop.DomainAll, "role", "manage")}
	own := map[string]bool{}
	for _, g := range s.deps.Authz.Roles(sub) {
		own[g.Role], p.OwnRoles = true, true
	}
	for _, obj := range phoihop.PermissionObjectOrder {
		for _, act := range phoihop.PermissionObjects[obj] {
			row := matrixRow{Object: obj, Action: act}
			for _, r := range phoihop.Roles {
				k := matrixKey(r, obj, act)
				cell := matrixCell{Role: r, Value: k, Checked: checked[k], Own: own[r]}
				if cell.Own {
					cell.Checked = granted[k]
				}
				row.Cells = append(row.Cells, cell)
			}
			p.Rows = append(p.Rows, row)
		}
	}
	return p
}

// showPermissions is GET /admin/roles.
func (s *Server) showPermissions(c *gin.Context) error {
	granted, version, err := s.currentMatrix(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_roles", s.rolesPage(c, granted, granted, version))
}

// savePermissions is POST /admin/roles: the whole matrix as checked (perm = "role|object|action"
// for each checked cell) and the fingerprint of the matrix it was made from. The cells that
// differ from the stored matrix are written in one transaction, each audited; a matrix changed
// by someone else since (409), or any refused change, saves nothing.
func (s *Server) savePermissions(c *gin.Context) error {
	granted, version, err := s.currentMatrix(c)
	if err != nil {
		return err
	}
	wanted := map[string]bool{}
	for _, v := range c.PostFormArray("perm") {
		wanted[v] = true
	}
	p := s.rolesPage(c, wanted, granted, c.PostForm("version"))
	switch {
	case !p.CanEdit:
		p = s.rolesPage(c, granted, granted, version)
		p.Error = p.Msg("Only an administrator of all agencies may change the permissions of all agencies.")
		return s.render(c, http.StatusForbidden, "admin_roles", p)
	case c.PostForm("version") != version:
		p = s.rolesPage(c, granted, granted, version)
		p.Error = p.Msg("The permissions were changed by someone else since you opened them; nothing was saved. Review the current values and try again.")
		return s.render(c, http.StatusConflict, "admin_roles", p)
	}
	var changes []store.PermissionChange
	known := 0
	for _, row := range p.Rows {
		for _, cell := range row.Cells {
			if wanted[cell.Value] {
				known++
			}
			if cell.Own && wanted[cell.Value] && !granted[cell.Value] {
				// The page shows these cells disabled, so a browser never sends them.
				p = s.rolesPage(c, granted, granted, version)
				p.Error = p.Msg(store.ErrOwnRoles.Message)
				return s.render(c, http.StatusForbidden, "admin_roles", p)
			}
			if cell.Checked != granted[cell.Value] {
				changes = append(changes, store.PermissionChange{Allowed: cell.Checked, Permission: phoihop.Permission{
					Role: cell.Role, Domain: phoihop.DomainAll, Object: row.Object, Action: row.Action}})
			}
		}
	}
	if known != len(wanted) {
		p.Error = p.Msg("The form holds a permission that does not exist; reload the page and try again.")
		return s.render(c, http.StatusBadRequest, "admin_roles", p)
	}
	n, err := s.deps.Store.SetPermissions(c.Request.Context(), s.actor(c), changes)
	if err != nil {
		status, ok := p.refuse(err, nil)
		if !ok {
			return err
		}
		p.Error += " " + p.T("admin.roles.nothing_saved")
		return s.render(c, status, "admin_roles", p)
	}
	ok := "unchanged"
	if n > 0 {
		s.reloadPolicy(c.Request.Context())
		ok = "permissions"
	}
	c.Redirect(http.StatusSeeOther, "/admin/roles?ok="+ok)
	return nil
}

package server

import (
	"github.com/gin-gonic/gin"
)

// Permission is what a route requires: nothing (Public), a signed-in user (SignedIn), or a
// Casbin permission — an action on an object in at least one domain — checked by the
// authorization middleware. Record-level scoping is the handlers' and the store's.
type Permission struct {
	Object string
	Action string
}

// Special permissions.
var (
	Public   = Permission{Object: "public"}    // anyone: health, readiness, static, sign-in
	SignedIn = Permission{Object: "signed_in"} // any signed-in user: home, own password
)

// Perm is the permission to do act on obj.
func Perm(obj, act string) Permission { return Permission{Object: obj, Action: act} }

// String returns "obj:act", or the special permission's name.
func (p Permission) String() string {
	if p.Action == "" {
		return p.Object
	}
	return p.Object + ":" + p.Action
}

// Route is one registered route and the permission it declares.
type Route struct {
	Method     string
	Path       string
	Permission Permission
}

// registerRoutes declares every route of the application: read it as the table of contents.
func (s *Server) registerRoutes() {
	e := s.engine
	e.Use(s.recoverPanics, s.requestID, s.logRequests, s.measure, s.securityHeaders, s.language, s.refuseCrossOrigin, s.queryText, s.session)
	e.NoRoute(s.handle(s.notFound))
	e.NoMethod(s.handle(s.methodNotAllowed))

	s.route("GET", "/healthz", Public, s.healthz)
	s.route("GET", "/readyz", Public, s.readyz)
	s.route("GET", "/static/*filepath", Public, s.static)
	s.route("POST", "/lang", Public, s.setLanguage)

	s.route("GET", "/login", Public, s.loginForm)
	s.route("POST", "/login", Public, s.login)
	s.route("POST", "/logout", SignedIn, s.logout)
	s.route("GET", "/account/password", SignedIn, s.passwordForm)
	s.route("POST", "/account/password", SignedIn, s.changePassword)

	s.route("GET", "/", SignedIn, s.home)

	// Administration
	s.route("GET", "/admin/users", Perm("user", "manage"), s.listUsers)
	s.route("GET", "/admin/users/new", Perm("user", "manage"), s.newUserForm)
	s.route("POST", "/admin/users", Perm("user", "manage"), s.createUser)
	s.route("GET", "/admin/users/:id", Perm("user", "manage"), s.showAccount)
	s.route("POST", "/admin/users/:id", Perm("user", "manage"), s.updateAccount)
	s.route("POST", "/admin/users/:id/disable", Perm("user", "manage"), s.actOnAccount(disableAccount, "disabled"))
	s.route("POST", "/admin/users/:id/enable", Perm("user", "manage"), s.actOnAccount(enableAccount, "enabled"))
	s.route("POST", "/admin/users/:id/unlock", Perm("user", "manage"), s.actOnAccount(unlockAccount, "unlocked"))
	s.route("POST", "/admin/users/:id/reset-password", Perm("user", "manage"), s.resetPassword)
	s.route("POST", "/admin/users/:id/roles", Perm("role", "manage"), s.addRole)
	s.route("POST", "/admin/users/:id/roles/remove", Perm("role", "manage"), s.removeRole)
	s.route("GET", "/admin/units", Perm("unit", "manage"), s.listUnits)
	s.route("POST", "/admin/units", Perm("unit", "manage"), s.createUnit)
	s.route("GET", "/admin/units/:id", Perm("unit", "manage"), s.showUnit)
	s.route("POST", "/admin/units/:id/rename", Perm("unit", "manage"), s.changeUnit(renameUnit, "renamed"))
	s.route("POST", "/admin/units/:id/move", Perm("unit", "manage"), s.changeUnit(moveUnit, "moved"))
	s.route("POST", "/admin/units/:id/retire", Perm("unit", "manage"), s.changeUnit(retireUnit, "retired"))
	s.route("GET", "/admin/roles", Perm("role", "manage"), s.showPermissions)
	s.route("POST", "/admin/roles", Perm("role", "manage"), s.savePermissions)
	s.route("GET", "/admin/audit", Perm("audit", "read"), s.showAudit)

	s.route("POST", "/api/v1/session", Public, s.apiLogin)
	s.route("DELETE", "/api/v1/session", SignedIn, s.apiLogout)

	// Records: pages and the JSON API, each part listing its routes in its own file.
	s.registerCasePages()     // cases.go: /cases, /agreements
	s.registerExchangePages() // exchanges.go: /exchanges, /tips
	s.registerReportPages()   // reports.go: /reports
	s.registerAPI()           // api.go: /api/v1/…
}

// route registers a handler behind the check of its permission; every route goes through
// here, so the list of routes and permissions is complete.
func (s *Server) route(method, path string, perm Permission, h func(*gin.Context) error) {
	s.routes = append(s.routes, Route{Method: method, Path: path, Permission: perm})
	s.engine.Handle(method, path, s.authorize(perm), s.handle(h))
}

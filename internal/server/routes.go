package server

import (
	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
)

// registerRoutes declares every route of the application: read it as the table of contents.
func (s *Server) registerRoutes() {
	s.route("GET", "/healthz", httpd.Public, s.healthz)
	s.route("GET", "/readyz", httpd.Public, s.readyz)
	s.route("GET", "/static/*filepath", httpd.Public, s.static)
	s.route("POST", "/lang", httpd.Public, s.setLanguage)

	s.route("GET", "/login", httpd.Public, s.loginForm)
	s.route("POST", "/login", httpd.Public, s.login)
	s.route("POST", "/logout", httpd.SignedIn, s.logout)
	s.route("GET", "/account/password", httpd.SignedIn, s.passwordForm)
	s.route("POST", "/account/password", httpd.SignedIn, s.changePassword)

	s.route("GET", "/", httpd.SignedIn, s.home)

	// Administration
	s.route("GET", "/admin/users", httpd.Perm("user", "manage"), s.listUsers)
	s.route("GET", "/admin/users/new", httpd.Perm("user", "manage"), s.newUserForm)
	s.route("POST", "/admin/users", httpd.Perm("user", "manage"), s.createUser)
	s.route("GET", "/admin/users/:id", httpd.Perm("user", "manage"), s.showAccount)
	s.route("POST", "/admin/users/:id", httpd.Perm("user", "manage"), s.updateAccount)
	s.route("POST", "/admin/users/:id/disable", httpd.Perm("user", "manage"), s.actOnAccount(disableAccount, "disabled"))
	s.route("POST", "/admin/users/:id/enable", httpd.Perm("user", "manage"), s.actOnAccount(enableAccount, "enabled"))
	s.route("POST", "/admin/users/:id/unlock", httpd.Perm("user", "manage"), s.actOnAccount(unlockAccount, "unlocked"))
	s.route("POST", "/admin/users/:id/reset-password", httpd.Perm("user", "manage"), s.resetPassword)
	s.route("POST", "/admin/users/:id/roles", httpd.Perm("role", "manage"), s.addRole)
	s.route("POST", "/admin/users/:id/roles/remove", httpd.Perm("role", "manage"), s.removeRole)
	s.route("GET", "/admin/units", httpd.Perm("unit", "manage"), s.listUnits)
	s.route("POST", "/admin/units", httpd.Perm("unit", "manage"), s.createUnit)
	s.route("GET", "/admin/units/:id", httpd.Perm("unit", "manage"), s.showUnit)
	s.route("POST", "/admin/units/:id/rename", httpd.Perm("unit", "manage"), s.changeUnit(renameUnit, "renamed"))
	s.route("POST", "/admin/units/:id/move", httpd.Perm("unit", "manage"), s.changeUnit(moveUnit, "moved"))
	s.route("POST", "/admin/units/:id/retire", httpd.Perm("unit", "manage"), s.changeUnit(retireUnit, "retired"))
	s.route("GET", "/admin/roles", httpd.Perm("role", "manage"), s.showPermissions)
	s.route("POST", "/admin/roles", httpd.Perm("role", "manage"), s.savePermissions)
	s.route("GET", "/admin/audit", httpd.Perm("audit", "read"), s.showAudit)

	// Records: each part lists its routes in its own file.
	s.registerCasePages()     // cases.go: /cases, /agreements
	s.registerExchangePages() // exchanges.go: /exchanges, /tips
	s.registerReportPages()   // reports.go: /reports
	s.registerExportPages()   // reports_exports.go: /reports/exports
	s.registerIssuedPages()   // reports_issued.go: /reports/issued
	s.registerRequestPages()  // requests.go: /requests, /inbox
	s.registerImportPages()   // imports.go: /imports
}

// route registers a handler behind the check of its permission; every route goes through
// here, so the list of routes and permissions is complete.
func (s *Server) route(method, path string, perm httpd.Permission, h func(*gin.Context) error) {
	s.router.Handle(method, path, perm, h)
}

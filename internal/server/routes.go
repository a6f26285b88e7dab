package server

import (
	"github.com/gin-gonic/gin"
)

// Permission is what a route requires. Public routes are the few anyone may call (health,
// readiness, static files, the language switch); the sign-in and role rules add theirs.
type Permission string

// Permissions of the routes.
const (
	Public Permission = "public"
)

// Route is one registered route and the permission it declares.
type Route struct {
	Method     string
	Path       string
	Permission Permission
}

// registerRoutes declares every route of the application: read it as the table of contents.
func (s *Server) registerRoutes() {
	e := s.engine
	e.Use(s.recoverPanics, s.requestID, s.logRequests, s.measure, s.securityHeaders, s.language)
	e.NoRoute(s.handle(s.notFound))
	e.NoMethod(s.handle(s.methodNotAllowed))

	s.route("GET", "/healthz", Public, s.healthz)
	s.route("GET", "/readyz", Public, s.readyz)
	s.route("GET", "/static/*filepath", Public, s.static)
	s.route("POST", "/lang", Public, s.setLanguage)

	s.route("GET", "/", Public, s.home)
}

// route registers a handler with its permission; every route goes through here so the list
// of routes and permissions is complete.
func (s *Server) route(method, path string, perm Permission, h func(*gin.Context) error) {
	s.routes = append(s.routes, Route{Method: method, Path: path, Permission: perm})
	s.engine.Handle(method, path, s.handle(h))
}

// Package api is phoihop's JSON API under /api/v1 (DESIGN.md "Interfaces"): its routes, read
// from one table of operations that also builds the OpenAPI document (openapi.go), and its
// JSON errors. It shares the store and the authorizer with the pages (internal/server) through
// internal/httpd, and imports nothing of the pages.
package api

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Server is the JSON API.
type Server struct {
	deps   httpd.Deps
	log    *slog.Logger
	router *httpd.Router
	// catalogs are the pages' catalogs by language and names the names of the codes of the
	// code lists named there: read once at start.
	catalogs map[string]map[string]string
	names    map[string]map[string]apiNames
	idem     apiIdempotency
}

// New builds the JSON API with every operation registered. It fails when the OpenAPI
// document cannot describe an operation or a code has no name.
func New(deps httpd.Deps) (*Server, error) {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	s := &Server{deps: deps, log: deps.Logger}
	var err error
	if s.catalogs, err = apiCatalogs(); err != nil {
		return nil, err
	}
	if s.names, err = apiCodeNames(s.catalogs); err != nil {
		return nil, err
	}
	// A user who must change their password may still sign out and ask who they are.
	r, err := httpd.NewRouter(deps, httpd.Options{Answers: answers{},
		DuringPasswordChange: []string{"/api/v1/session", "/api/v1/me"}})
	if err != nil {
		return nil, err
	}
	s.router = r
	if err := s.registerAPI(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the API's handler; httpd.Handler serves it under /api/.
func (s *Server) Handler() http.Handler { return s.router.Engine() }

// Routes returns every operation's route with its declared permission.
func (s *Server) Routes() []httpd.Route { return s.router.Routes() }

// Engine returns the Gin engine, for tests that list or add routes.
func (s *Server) Engine() *gin.Engine { return s.router.Engine() }

// scope is what the signed-in user may reach among the records (httpd.Router.Scope).
func (s *Server) scope(c *gin.Context) store.Scope { return s.router.Scope(c) }

// actor is who acts in the request, for the audit log.
func (s *Server) actor(c *gin.Context) phoihop.Actor { return httpd.Actor(c) }

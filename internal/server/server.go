// Package server is phoihop's pages and administration: server-rendered HTML in Vietnamese and
// English, on the plumbing of internal/httpd. The JSON API is internal/api's.
package server

import (
	"log/slog"
	"net/http"
	"strings"

	"phoihop/internal/httpd"

	"github.com/gin-gonic/gin"
)

// Server is the pages and the administration of the application.
type Server struct {
	deps     httpd.Deps
	log      *slog.Logger
	router   *httpd.Router
	renderer *renderer
	tr       *translator
}

// New builds the pages: templates and catalogs parsed, every route registered.
func New(deps httpd.Deps) (*Server, error) {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	s := &Server{deps: deps, log: deps.Logger, renderer: r, tr: tr}
	if deps.Store != nil {
		deps.Store.RequestMail = s.requestMail
	}
	s.router, err = httpd.NewRouter(deps, httpd.Options{
		Answers: pageAnswers{s},
		First:   []gin.HandlerFunc{s.language},
		// Files and probes need no database work.
		NoSession: func(p string) bool {
			return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz"
		},
		DuringPasswordChange: []string{"/account/password", "/logout"},
	})
	if err != nil {
		return nil, err
	}
	s.registerRoutes()
	return s, nil
}

// Handler returns the pages' handler; httpd.Handler serves it beside the API.
func (s *Server) Handler() http.Handler { return s.router.Engine() }

// Engine returns the Gin engine, for tests that add routes of their own.
func (s *Server) Engine() *gin.Engine { return s.router.Engine() }

// Routes returns every registered route with its declared permission.
func (s *Server) Routes() []httpd.Route { return s.router.Routes() }

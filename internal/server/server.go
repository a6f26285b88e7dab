// Package server is phoihop's HTTP layer on Gin: routes, middleware, pages and the JSON API.
package server

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/auth"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Deps are what the server needs; main wires them.
type Deps struct {
	Store         *store.Store
	Auth          *auth.Service
	Authz         Authorizer
	Logger        *slog.Logger
	Metrics       *Metrics // nil: no metrics are collected
	SecureCookies bool
	Version       string
	Province      string // named in the summary report's heading; "" is config.DefaultProvince
}

// Server is the HTTP application.
type Server struct {
	deps     Deps
	log      *slog.Logger
	engine   *gin.Engine
	renderer *renderer
	tr       *translator
	routes   []Route
}

// New builds the application: templates and catalogs parsed, every route registered.
func New(deps Deps) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
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
	s := &Server{deps: deps, log: deps.Logger, engine: gin.New(), renderer: r, tr: tr}
	// ClientIP is the connection's address: no proxy's X-Forwarded-For is believed.
	if err := s.engine.SetTrustedProxies(nil); err != nil {
		return nil, err
	}
	s.engine.HandleMethodNotAllowed = true
	s.engine.RedirectTrailingSlash = true
	s.engine.RemoveExtraSlash = true
	s.engine.ContextWithFallback = true
	s.registerRoutes()
	return s, nil
}

// Handler returns the application with cross-origin protection around it (a state-changing
// request whose Origin or Sec-Fetch-Site shows another site is refused with 403), serving
// requests by their cleaned path (cleanPaths).
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Through the router, marked: the refusal gets the headers, request id, log line and
		// error body of every other answer, and refuseCrossOrigin answers it before any
		// handler runs.
		s.engine.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), crossOriginDenied{}, true)))
	}))
	return cleanPaths(cop.Handler(s.engine))
}

// crossOriginDenied marks, on its context, a request the cross-origin protection refused.
type crossOriginDenied struct{}

// refuseCrossOrigin answers 403 to a request the cross-origin protection refused (an error
// page, or a JSON error under /api/) and stops it; other requests go on.
func (s *Server) refuseCrossOrigin(c *gin.Context) {
	if denied, _ := c.Request.Context().Value(crossOriginDenied{}).(bool); !denied {
		c.Next()
		return
	}
	r := c.Request
	s.log.WarnContext(c, "cross-origin request refused", "request_id", c.GetString(ctxRequestID),
		"method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	s.writeError(c, phoihop.Errorf(phoihop.EForbidden, "The request came from another site and was refused."))
	c.Abort()
}

// Engine returns the Gin engine, for tests that add routes of their own.
func (s *Server) Engine() *gin.Engine { return s.engine }

// Routes returns every registered route with its declared permission.
func (s *Server) Routes() []Route { return s.routes }

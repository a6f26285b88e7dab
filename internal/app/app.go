// Package app is phoihop's whole HTTP application: the pages and administration
// (internal/server) and the JSON API (internal/api) behind one address (httpd.Handler).
package app

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"phoihop/internal/api"
	"phoihop/internal/httpd"
	"phoihop/internal/imports"
	"phoihop/internal/server"
)

// App is the application: both parts and the handler serving them.
type App struct {
	Pages   *server.Server
	API     *api.Server
	Imports *imports.Runner // the runs of imports both parts start
	handler http.Handler
}

// New builds both parts on the same dependencies. Without deps.Imports, one runner of imports
// is made for both.
func New(deps httpd.Deps) (*App, error) {
	if deps.Imports == nil {
		deps.Imports = imports.NewRunner(deps.Store)
	}
	pages, err := server.New(deps)
	if err != nil {
		return nil, err
	}
	a, err := api.New(deps)
	if err != nil {
		return nil, err
	}
	return &App{Pages: pages, API: a, Imports: deps.Imports, handler: httpd.Handler(pages.Handler(), a.Handler())}, nil
}

// Handler serves the application: the API under /api/, the pages elsewhere.
func (a *App) Handler() http.Handler { return a.handler }

// Routes returns every route of both parts with its declared permission.
func (a *App) Routes() []httpd.Route { return slices.Concat(a.Pages.Routes(), a.API.Routes()) }

// EngineRoutes returns the routes the two Gin engines hold, whether declared or not.
func (a *App) EngineRoutes() gin.RoutesInfo {
	return slices.Concat(a.Pages.Engine().Routes(), a.API.Engine().Routes())
}

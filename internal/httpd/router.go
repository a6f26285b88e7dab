package httpd

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
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

// Answers is how a part of the application answers what the common middleware refuses or
// cannot serve: the pages with a page (or a redirect to sign in), the API with a JSON error.
type Answers interface {
	// Error answers err: its status (StatusOf) and a safe message; Error logs nothing.
	Error(c *gin.Context, err error)
	// SignIn answers a request that needs a signed-in user and has none.
	SignIn(c *gin.Context)
	// ChangePassword answers a user who must change their password before anything else.
	ChangePassword(c *gin.Context)
}

// Options set up a Router for one part.
type Options struct {
	Answers Answers
	// First are the part's own middleware, run before the common refusals (the pages'
	// language, so that a refusal is answered in it).
	First []gin.HandlerFunc
	// NoSession reports the paths served without reading a session at all (static files,
	// probes), so they cost no database work; nil: none.
	NoSession func(path string) bool
	// DuringPasswordChange are the route patterns a user who must change their password may
	// still reach (the password form, sign-out).
	DuringPasswordChange []string
}

// Router is one part of the application on a Gin engine of its own: every request passes the
// common middleware, and every route declares its permission, which the middleware enforces.
type Router struct {
	deps    Deps
	log     *slog.Logger
	opts    Options
	engine  *gin.Engine
	routes  []Route
	pwFree  map[string]bool
	answers Answers
}

// NewRouter returns a Router with the common middleware in place: panic recovery, request
// id, the log line, metrics, security headers, the part's own First, the refusal of
// cross-origin requests and of query strings no database stores, and the session.
func NewRouter(deps Deps, opts Options) (*Router, error) {
	setReleaseMode()
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	r := &Router{deps: deps, log: deps.Logger, opts: opts, engine: gin.New(), answers: opts.Answers,
		pwFree: map[string]bool{}}
	for _, p := range opts.DuringPasswordChange {
		r.pwFree[p] = true
	}
	// ClientIP is the connection's address: no proxy's X-Forwarded-For is believed.
	if err := r.engine.SetTrustedProxies(nil); err != nil {
		return nil, err
	}
	r.engine.HandleMethodNotAllowed = true
	r.engine.RedirectTrailingSlash = true
	r.engine.RemoveExtraSlash = true
	r.engine.ContextWithFallback = true
	r.engine.Use(r.recoverPanics, requestID, r.logRequests, r.measure, r.securityHeaders)
	r.engine.Use(opts.First...)
	r.engine.Use(r.refuseCrossOrigin, r.queryText, r.session)
	r.engine.NoRoute(r.wrap(func(*gin.Context) error {
		return phoihop.Errorf(phoihop.ENotFound, "The page was not found.")
	}))
	r.engine.NoMethod(r.wrap(func(*gin.Context) error { return errMethodNotAllowed }))
	return r, nil
}

// setReleaseMode puts Gin, whose mode is global, in release mode once.
var setReleaseMode = sync.OnceFunc(func() { gin.SetMode(gin.ReleaseMode) })

// errMethodNotAllowed answers a known path asked with a method it does not take.
var errMethodNotAllowed = &phoihop.Error{Code: CodeMethodNotAllowed, Message: "This route does not accept the method."}

// RetryAfterSeconds is the Retry-After of a 503 answered while the database is out of reach.
const RetryAfterSeconds = 5

// CodeIdempotencyKeyReused is the error code of an Idempotency-Key sent again with another
// request (422).
const CodeIdempotencyKeyReused = "idempotency_key_reused"

// CodeMethodNotAllowed is the error code of a method a route does not take (405).
const CodeMethodNotAllowed = "method_not_allowed"

// Handle registers a handler behind the check of its permission; every route goes through
// here, so the list of routes and permissions is complete.
func (r *Router) Handle(method, path string, perm Permission, h func(*gin.Context) error) {
	r.routes = append(r.routes, Route{Method: method, Path: path, Permission: perm})
	r.engine.Handle(method, path, r.authorize(perm), r.wrap(h))
}

// wrap adapts a handler that returns an error: the error becomes the part's answer, and a
// server error is logged (users see a safe message).
func (r *Router) wrap(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			r.Fail(c, err)
		}
	}
}

// Fail answers err as the part answers errors, logging it when it is a server error; a
// response already begun is left as it is. A database out of reach (store.Unavailable) is
// 503 with Retry-After (RetryAfterSeconds), so that clients retry rather than give up.
func (r *Router) Fail(c *gin.Context, err error) {
	err = store.Unavailable(err)
	if StatusOf(phoihop.ErrorCode(err)) == http.StatusServiceUnavailable && !c.Writer.Written() {
		c.Header("Retry-After", strconv.Itoa(RetryAfterSeconds))
	}
	if StatusOf(phoihop.ErrorCode(err)) >= 500 {
		r.log.ErrorContext(c, "request failed", "error", err, "request_id", RequestID(c),
			"method", c.Request.Method, "route", c.FullPath())
	}
	if c.Writer.Written() {
		return
	}
	r.answers.Error(c, err)
}

// Routes returns every registered route with its declared permission.
func (r *Router) Routes() []Route { return r.routes }

// Engine returns the Gin engine, for tests that add routes of their own.
func (r *Router) Engine() *gin.Engine { return r.engine }

// Deps returns the dependencies the Router was made with.
func (r *Router) Deps() Deps { return r.deps }

// StatusOf maps an error code to an HTTP status.
func StatusOf(code string) int {
	switch code {
	case phoihop.EInvalid:
		return http.StatusBadRequest
	case phoihop.ENotFound:
		return http.StatusNotFound
	case phoihop.EConflict, phoihop.ELocked:
		return http.StatusConflict
	case phoihop.EForbidden:
		return http.StatusForbidden
	case phoihop.EUnauthorized:
		return http.StatusUnauthorized
	case phoihop.ETooManyRequests:
		return http.StatusTooManyRequests
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case phoihop.EUnavailable:
		return http.StatusServiceUnavailable
	case CodeIdempotencyKeyReused:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

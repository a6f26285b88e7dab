package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// sessionCookie holds the browser session token.
const sessionCookie = "phoihop_session"

// Keys of the signed-in user and session on the Gin context.
const (
	ctxUser    = "phoihop.user"
	ctxSession = "phoihop.session"
)

// Authorizer answers permission checks; *authz.Enforcer is the implementation.
type Authorizer interface {
	// AllowedAnywhere reports whether the user may do act on obj in at least one domain.
	AllowedAnywhere(user, obj, act string) bool
	// Allowed reports whether the user may do act on obj in the domain (an agency code, or
	// "*" for every agency at once).
	Allowed(user, domain, obj, act string) bool
	// Domains returns the agency codes where the user may do act on obj, nil for none.
	Domains(user, obj, act string) []string
	// Roles returns the roles the user holds, with their domains.
	Roles(user string) []phoihop.RoleGrant
	// Reload loads the policy again after a write to it (roles, permissions) and tells the
	// other instances to do the same.
	Reload(ctx context.Context) error
	// Fresh is called once per request before the first check: it returns at once while
	// the cached policy can be trusted, and otherwise (another instance's change may have
	// been missed while the database was unreachable) reloads the policy first. An error
	// means the policy could not be read: no check may be answered for the request.
	Fresh(ctx context.Context) error
}

// session resolves the session cookie or the bearer token to the signed-in user, if any. A
// bad or expired token is simply no user.
func (s *Server) session(c *gin.Context) {
	switch p := c.Request.URL.Path; {
	case strings.HasPrefix(p, "/static/"), p == "/healthz", p == "/readyz":
		c.Next() // no database work for files and probes
		return
	}
	token := ""
	if h := c.GetHeader("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	} else if v, err := c.Cookie(sessionCookie); err == nil {
		token = v
	}
	if token != "" {
		ses, u, err := s.deps.Auth.Authenticate(c, token)
		switch {
		case err == nil:
			c.Set(ctxUser, u)
			c.Set(ctxSession, ses)
		case phoihop.ErrorCode(err) != phoihop.EUnauthorized:
			s.writeError(c, err)
			c.Abort()
			return
		}
	}
	c.Next()
}

// currentUser returns the signed-in user, or nil.
func currentUser(c *gin.Context) *phoihop.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*phoihop.User)
	return user
}

func currentSession(c *gin.Context) *phoihop.Session {
	v, _ := c.Get(ctxSession)
	ses, _ := v.(*phoihop.Session)
	return ses
}

// actor returns who is acting in the request, for the audit log.
func (s *Server) actor(c *gin.Context) phoihop.Actor {
	a := phoihop.Actor{IP: c.ClientIP(), RequestID: c.GetString(ctxRequestID)}
	if u := currentUser(c); u != nil {
		id := u.ID
		a.UserID, a.Username = &id, u.Username
	}
	return a
}

// passwordChangeRoutes are what a user who must change their password may still reach.
var passwordChangeRoutes = map[string]bool{
	"/account/password": true, "/logout": true, "/api/v1/session": true,
}

// authorize enforces a route's permission: anonymous users are sent to sign in (401 on the
// API), users who must change their password are sent to do so, and a refused permission is
// audited and answered 403. Before any permission of a signed-in user is checked, here or by
// the handler, the policy is made fresh; when it cannot be read the request fails as on any
// database error, rather than being answered from a policy that may miss a revocation.
func (s *Server) authorize(perm Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(ctxRoutePerm, perm)
		if perm == Public {
			c.Next()
			return
		}
		u := currentUser(c)
		if u == nil {
			if isAPI(c.Request) || c.Request.Method != http.MethodGet {
				s.writeError(c, phoihop.Errorf(phoihop.EUnauthorized, "Please sign in."))
			} else {
				c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			}
			c.Abort()
			return
		}
		if u.MustChangePassword && !passwordChangeRoutes[c.FullPath()] {
			if isAPI(c.Request) {
				s.writeError(c, phoihop.Errorf(phoihop.EForbidden, "The password must be changed before anything else."))
			} else {
				c.Redirect(http.StatusSeeOther, "/account/password")
			}
			c.Abort()
			return
		}
		if err := s.deps.Authz.Fresh(c); err != nil {
			s.writeError(c, err)
			c.Abort()
			return
		}
		if perm != SignedIn && !s.deps.Authz.AllowedAnywhere(store.RoleSubject(u.Username), perm.Object, perm.Action) {
			if err := s.deps.Store.Audit(c, s.actor(c), "authz.denied", "route", 0, "",
				map[string]string{"method": c.Request.Method, "route": c.FullPath(), "permission": perm.String()}); err != nil {
				s.log.ErrorContext(c, "audit of a refused authorization failed", "error", err)
			}
			s.writeError(c, phoihop.Errorf(phoihop.EForbidden, "You may not do this."))
			c.Abort()
			return
		}
		c.Next()
	}
}

// setSessionCookie gives the browser its session token, valid until the session's absolute
// expiry; HttpOnly, SameSite=Lax, Secure behind HTTPS.
func (s *Server) setSessionCookie(c *gin.Context, token string, ses *phoihop.Session) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: ses.ExpiresAt,
		HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.deps.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

package httpd

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// SessionCookie holds the browser session token.
const SessionCookie = "phoihop_session"

// Keys of the signed-in user and session on the Gin context.
const (
	ctxUser    = "phoihop.user"
	ctxSession = "phoihop.session"
)

// session resolves the session cookie or the bearer token to the signed-in user, if any. A
// bad or expired token is simply no user.
func (r *Router) session(c *gin.Context) {
	if r.opts.NoSession != nil && r.opts.NoSession(c.Request.URL.Path) {
		c.Next()
		return
	}
	token := ""
	if h := c.GetHeader("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	} else if v, err := c.Cookie(SessionCookie); err == nil {
		token = v
	}
	if token != "" {
		ses, u, err := r.deps.Auth.Authenticate(c, token)
		switch {
		case err == nil:
			c.Set(ctxUser, u)
			c.Set(ctxSession, ses)
		case phoihop.ErrorCode(err) != phoihop.EUnauthorized:
			r.Fail(c, err)
			c.Abort()
			return
		}
	}
	c.Next()
}

// CurrentUser returns the signed-in user, or nil.
func CurrentUser(c *gin.Context) *phoihop.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*phoihop.User)
	return user
}

// CurrentSession returns the session of the signed-in user, or nil.
func CurrentSession(c *gin.Context) *phoihop.Session {
	v, _ := c.Get(ctxSession)
	ses, _ := v.(*phoihop.Session)
	return ses
}

// Actor returns who is acting in the request, for the audit log.
func Actor(c *gin.Context) phoihop.Actor {
	a := phoihop.Actor{IP: c.ClientIP(), RequestID: RequestID(c)}
	if u := CurrentUser(c); u != nil {
		id := u.ID
		a.UserID, a.Username = &id, u.Username
	}
	return a
}

// authorize enforces a route's permission: a request without a signed-in user, and a user who
// must change their password first, get the part's answers, and a refused permission is
// audited and answered 403. Before any permission of a signed-in user is checked, here or by
// the handler, the policy is made fresh; when it cannot be read the request fails as on any
// database error, rather than being answered from a policy that may miss a revocation.
func (r *Router) authorize(perm Permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(ctxRoutePerm, perm)
		if perm == Public {
			c.Next()
			return
		}
		u := CurrentUser(c)
		if u == nil {
			r.answers.SignIn(c)
			c.Abort()
			return
		}
		if u.MustChangePassword && !r.pwFree[c.FullPath()] {
			r.answers.ChangePassword(c)
			c.Abort()
			return
		}
		if err := r.deps.Authz.Fresh(c); err != nil {
			r.Fail(c, err)
			c.Abort()
			return
		}
		if perm != SignedIn && !r.deps.Authz.AllowedAnywhere(store.RoleSubject(u.Username), perm.Object, perm.Action) {
			if err := r.deps.Store.Audit(c, Actor(c), "authz.denied", "route", 0, "",
				map[string]string{"method": c.Request.Method, "route": c.FullPath(), "permission": perm.String()}); err != nil {
				r.log.ErrorContext(c, "audit of a refused authorization failed", "error", err)
			}
			r.Fail(c, phoihop.Errorf(phoihop.EForbidden, "You may not do this."))
			c.Abort()
			return
		}
		c.Next()
	}
}

// SetSessionCookie gives the browser its session token, valid until the session's absolute
// expiry; HttpOnly, SameSite=Lax, Secure behind HTTPS.
func (r *Router) SetSessionCookie(c *gin.Context, token string, ses *phoihop.Session) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: ses.ExpiresAt,
		HttpOnly: true, Secure: r.deps.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie makes the browser forget its session token.
func (r *Router) ClearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.deps.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// MaxUserAgent bounds the user agent a session keeps, in bytes.
const MaxUserAgent = 300

// ClientText makes text a client sent (a username typed at sign-in, a user agent) safe to
// store and show: trimmed of white space, invalid UTF-8 and control characters made U+FFFD,
// cut to at most max bytes (0: no bound) at a character boundary. No username holds such
// characters, so a username changed here still finds no account, and the failed sign-in is
// recorded instead of failing in the database.
func ClientText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(strings.TrimSpace(s), string(utf8.RuneError)))
	if max > 0 && len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

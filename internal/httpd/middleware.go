package httpd

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// Keys of values the middleware puts on the Gin context.
const (
	ctxRequestID = "phoihop.request_id"
	ctxRoutePerm = "phoihop.routePerm"
)

// RequestID returns the id of the request, which answers carry in X-Request-ID.
func RequestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// RoutePermission returns the permission the matched route declares, if any.
func RoutePermission(c *gin.Context) (Permission, bool) {
	v, ok := c.Get(ctxRoutePerm)
	p, _ := v.(Permission)
	return p, ok
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes the X-Request-ID a proxy set, when it is well formed, or makes one, and
// returns it on the response so users can quote it.
func requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !requestIDRE.MatchString(id) {
		var b [12]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// logRequests writes one structured line per request: request id, method, route, status,
// duration.
func (r *Router) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	r.log.InfoContext(c, "request",
		"request_id", RequestID(c),
		"method", c.Request.Method,
		"route", route,
		"path", c.Request.URL.Path,
		"status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size(),
		"ip", c.ClientIP(),
	)
}

// recoverPanics turns a panic in a handler into a logged error with its stack and a 500.
func (r *Router) recoverPanics(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		r.log.ErrorContext(c, "panic", "panic", fmt.Sprint(v), "request_id", RequestID(c),
			"stack", string(debug.Stack()))
		c.Abort()
		r.Fail(c, fmt.Errorf("httpd: panic: %v", v))
	}()
	c.Next()
}

// contentSecurityPolicy allows only the application's own scripts, styles and images, no
// inline script, and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the response headers of DESIGN.md's security bars on every response.
func (r *Router) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	// Nothing the application answers may be kept by a browser or proxy; static files say
	// otherwise for themselves.
	h.Set("Cache-Control", "no-store")
	if r.deps.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// queryText refuses, 400 naming the parameter, a request whose query string holds NUL or
// invalid UTF-8 in a parameter's name or value: no link or form of the site makes one, and
// PostgreSQL refuses such text, so a filter carrying it would fail as a server error.
func (r *Router) queryText(c *gin.Context) {
	for name, values := range c.Request.URL.Query() {
		ok := transportable(name)
		for _, v := range values {
			ok = ok && transportable(v)
		}
		if !ok {
			name = strings.ReplaceAll(strings.ToValidUTF8(name, "\uFFFD"), "\x00", "\uFFFD")
			r.Fail(c, &phoihop.Error{Code: phoihop.EInvalid, Message: "The address contains characters that are not allowed.",
				Fields: map[string]string{name: "This parameter contains characters that are not allowed."}})
			c.Abort()
			return
		}
	}
	c.Next()
}

// transportable reports whether s is valid UTF-8 without NUL, text both databases store.
func transportable(s string) bool {
	return utf8.ValidString(s) && !strings.Contains(s, "\x00")
}

// crossOriginDenied marks, on its context, a request the cross-origin protection refused.
type crossOriginDenied struct{}

// refuseCrossOrigin answers 403 to a request the cross-origin protection refused (see
// Handler), in the part's own way, and stops it; other requests go on.
func (r *Router) refuseCrossOrigin(c *gin.Context) {
	if denied, _ := c.Request.Context().Value(crossOriginDenied{}).(bool); !denied {
		c.Next()
		return
	}
	req := c.Request
	r.log.WarnContext(c, "cross-origin request refused", "request_id", RequestID(c),
		"method", req.Method, "path", req.URL.Path, "origin", req.Header.Get("Origin"), "sec_fetch_site", req.Header.Get("Sec-Fetch-Site"))
	r.Fail(c, phoihop.Errorf(phoihop.EForbidden, "The request came from another site and was refused."))
	c.Abort()
}

package server

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
	ctxLang      = "phoihop.lang"
)

// langCookie holds the chosen interface language.
const langCookie = "phoihop_lang"

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes the X-Request-ID a proxy set, when it is well formed, or makes one, and
// returns it on the response so users can quote it.
func (s *Server) requestID(c *gin.Context) {
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
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.log.InfoContext(c, "request",
		"request_id", c.GetString(ctxRequestID),
		"method", c.Request.Method,
		"route", route,
		"path", c.Request.URL.Path,
		"status", c.Writer.Status(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size(),
		"ip", c.ClientIP(),
	)
}

// recoverPanics turns a panic in a handler into a logged error with its stack and a 500 page.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(v)
		}
		s.log.ErrorContext(c, "panic", "panic", fmt.Sprint(v), "request_id", c.GetString(ctxRequestID),
			"stack", string(debug.Stack()))
		c.Abort()
		s.writeError(c, fmt.Errorf("server: panic: %v", v))
	}()
	c.Next()
}

// contentSecurityPolicy allows only the application's own scripts, styles and images, no
// inline script, and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the response headers of DESIGN.md's security bars on every response.
func (s *Server) securityHeaders(c *gin.Context) {
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
	if s.deps.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// language picks the interface language from the language cookie; Vietnamese by default.
func (s *Server) language(c *gin.Context) {
	l, _ := c.Cookie(langCookie)
	c.Set(ctxLang, lang(l))
	c.Next()
}

// queryText refuses, 400 naming the parameter, a request whose query string holds NUL or
// invalid UTF-8 in a parameter's name or value: no link or form of the site makes one, and
// PostgreSQL refuses such text, so a filter carrying it would fail as a server error.
func (s *Server) queryText(c *gin.Context) {
	for name, values := range c.Request.URL.Query() {
		ok := transportable(name)
		for _, v := range values {
			ok = ok && transportable(v)
		}
		if !ok {
			name = strings.ReplaceAll(strings.ToValidUTF8(name, "\uFFFD"), "\x00", "\uFFFD")
			s.writeError(c, &phoihop.Error{Code: phoihop.EInvalid, Message: "The address contains characters that are not allowed.",
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

package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// actor returns who is acting in the request, for the audit log.
func (s *Server) actor(c *gin.Context) phoihop.Actor { return httpd.Actor(c) }

// pageAnswers is how the pages answer what the common middleware refuses (httpd.Answers).
type pageAnswers struct{ s *Server }

// Error answers err with the error page of its status.
func (a pageAnswers) Error(c *gin.Context, err error) {
	a.s.errorPage(c, httpd.StatusOf(phoihop.ErrorCode(err)), err)
}

// SignIn sends a browser asking for a page to the sign-in page, which brings it back after;
// any other request gets 401.
func (a pageAnswers) SignIn(c *gin.Context) {
	if c.Request.Method != http.MethodGet {
		a.Error(c, phoihop.Errorf(phoihop.EUnauthorized, "Please sign in."))
		return
	}
	c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
}

// ChangePassword sends a user who must change their password to the form that does it.
func (a pageAnswers) ChangePassword(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, "/account/password")
}

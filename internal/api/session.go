package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// apiLogin is POST /api/v1/session: {"username","password"} → {"token"}.
func (s *Server) apiLogin(c *gin.Context) error {
	var in apiSignIn
	f := phoihop.FieldErrors{}
	if err := decodeJSON(c, &in, f); err != nil {
		return err
	}
	if in.Username == "" {
		f.Add("username", "This field is required.")
	}
	if in.Password == "" {
		f.Add("password", "This field is required.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	token, ses, u, err := s.deps.Auth.Login(c, s.actor(c), httpd.ClientText(in.Username, 0), in.Password, phoihop.SessionAPI,
		httpd.ClientText(c.Request.UserAgent(), httpd.MaxUserAgent))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiToken{Token: token, ExpiresAt: ses.ExpiresAt, MustChangePassword: u.MustChangePassword})
	return nil
}

// apiLogout is DELETE /api/v1/session: ends the bearer token's session.
func (s *Server) apiLogout(c *gin.Context) error {
	if err := s.deps.Store.Logout(c, s.actor(c), httpd.CurrentSession(c).TokenHash); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

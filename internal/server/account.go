package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// loginPage is the data of the sign-in page.
type loginPage struct {
	Base
	Username string
	Next     string
	Error    string
}

func (s *Server) loginForm(c *gin.Context) error {
	if httpd.CurrentUser(c) != nil {
		c.Redirect(http.StatusSeeOther, localPath(c.Query("next")))
		return nil
	}
	p := loginPage{Base: s.base(c, "login.title"), Next: localPath(c.Query("next"))}
	return s.render(c, http.StatusOK, "login", p)
}

// login signs in from the form; every refusal shows the same message and keeps the username.
func (s *Server) login(c *gin.Context) error {
	username, password := c.PostForm("username"), c.PostForm("password")
	p := loginPage{Base: s.base(c, "login.title"), Username: username, Next: localPath(c.PostForm("next"))}
	if username == "" || password == "" {
		p.Error = p.Msg("Enter your username and password.")
		return s.render(c, http.StatusBadRequest, "login", p)
	}
	token, ses, u, err := s.deps.Auth.Login(c, s.actor(c), httpd.ClientText(username, 0), password, phoihop.SessionWeb, httpd.ClientText(c.Request.UserAgent(), httpd.MaxUserAgent))
	if err != nil {
		code := phoihop.ErrorCode(err)
		if code != phoihop.EUnauthorized && code != phoihop.ETooManyRequests {
			return err
		}
		p.Error = p.Msg(phoihop.ErrorMessage(err))
		return s.render(c, httpd.StatusOf(code), "login", p)
	}
	// A new token at every sign-in: whatever session cookie the browser had is replaced.
	s.router.SetSessionCookie(c, token, ses)
	next := p.Next
	if u.MustChangePassword {
		next = "/account/password"
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	if ses := httpd.CurrentSession(c); ses != nil {
		if err := s.deps.Store.Logout(c, s.actor(c), ses.TokenHash); err != nil {
			return err
		}
	}
	s.router.ClearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// passwordPage is the data of the change-password page. Passwords are never written back into
// the form; the messages name the field at fault.
type passwordPage struct {
	Base
	Forced bool
	Done   bool
	Fields map[string]string
}

func (s *Server) passwordForm(c *gin.Context) error {
	p := passwordPage{Base: s.base(c, "password.title"), Forced: httpd.CurrentUser(c).MustChangePassword, Done: c.Query("done") == "1"}
	return s.render(c, http.StatusOK, "password", p)
}

func (s *Server) changePassword(c *gin.Context) error {
	u := httpd.CurrentUser(c)
	p := passwordPage{Base: s.base(c, "password.title"), Forced: u.MustChangePassword}
	current, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	var err error
	if next != confirm {
		err = &phoihop.Error{Code: phoihop.EInvalid, Fields: map[string]string{"confirm_password": "The two new passwords differ."}}
	} else {
		err = s.deps.Auth.ChangePassword(c, s.actor(c), u, httpd.CurrentSession(c).TokenHash, current, next)
	}
	var pe *phoihop.Error
	if err != nil && errors.As(err, &pe) && pe.Code == phoihop.EInvalid {
		p.Fields = map[string]string{}
		for f, m := range pe.Fields {
			p.Fields[f] = p.Msg(m)
		}
		return s.render(c, http.StatusBadRequest, "password", p)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/account/password?done=1")
	return nil
}

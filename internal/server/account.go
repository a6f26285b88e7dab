package server

import (
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

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
	if currentUser(c) != nil {
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
	token, ses, u, err := s.deps.Auth.Login(c, s.actor(c), clientText(username, 0), password, phoihop.SessionWeb, clientText(c.Request.UserAgent(), maxUserAgent))
	if err != nil {
		code := phoihop.ErrorCode(err)
		if code != phoihop.EUnauthorized && code != phoihop.ETooManyRequests {
			return err
		}
		p.Error = p.Msg(phoihop.ErrorMessage(err))
		return s.render(c, statusOf(code), "login", p)
	}
	// A new token at every sign-in: whatever session cookie the browser had is replaced.
	s.setSessionCookie(c, token, ses)
	next := p.Next
	if u.MustChangePassword {
		next = "/account/password"
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	if ses := currentSession(c); ses != nil {
		if err := s.deps.Store.Logout(c, s.actor(c), ses.TokenHash); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
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
	p := passwordPage{Base: s.base(c, "password.title"), Forced: currentUser(c).MustChangePassword, Done: c.Query("done") == "1"}
	return s.render(c, http.StatusOK, "password", p)
}

func (s *Server) changePassword(c *gin.Context) error {
	u := currentUser(c)
	p := passwordPage{Base: s.base(c, "password.title"), Forced: u.MustChangePassword}
	current, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	var err error
	if next != confirm {
		err = &phoihop.Error{Code: phoihop.EInvalid, Fields: map[string]string{"confirm_password": "The two new passwords differ."}}
	} else {
		err = s.deps.Auth.ChangePassword(c, s.actor(c), u, currentSession(c).TokenHash, current, next)
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

// apiLogin is POST /api/v1/session: {"username","password"} → {"token"}.
func (s *Server) apiLogin(c *gin.Context) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	f := phoihop.FieldErrors{}
	if in.Username == "" {
		f.Add("username", "This field is required.")
	}
	if in.Password == "" {
		f.Add("password", "This field is required.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	token, ses, u, err := s.deps.Auth.Login(c, s.actor(c), clientText(in.Username, 0), in.Password, phoihop.SessionAPI, clientText(c.Request.UserAgent(), maxUserAgent))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "expires_at": ses.ExpiresAt, "must_change_password": u.MustChangePassword})
	return nil
}

// apiLogout is DELETE /api/v1/session: ends the bearer token's session.
func (s *Server) apiLogout(c *gin.Context) error {
	if err := s.deps.Store.Logout(c, s.actor(c), currentSession(c).TokenHash); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// maxUserAgent bounds the user agent a session keeps, in bytes.
const maxUserAgent = 300

// clientText makes text a client sent (a username typed at sign-in, a user agent) safe to
// store and show: trimmed of white space, invalid UTF-8 and control characters made U+FFFD,
// cut to at most max bytes (0: no bound) at a character boundary. No username holds such
// characters, so a username changed here still finds no account, and the failed sign-in is
// recorded instead of failing in the database.
func clientText(s string, max int) string {
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

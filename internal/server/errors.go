package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// errorPageData is the data of the error page.
type errorPageData struct {
	Base
	Status  int
	Heading string
	Message string
}

func (s *Server) errorPage(c *gin.Context, status int, err error) {
	titles := map[int][2]string{
		http.StatusNotFound:            {"error.not_found.title", "error.not_found.body"},
		http.StatusMethodNotAllowed:    {"error.method.title", "error.method.body"},
		http.StatusBadRequest:          {"error.bad_request.title", ""},
		http.StatusForbidden:           {"error.forbidden.title", ""},
		http.StatusUnauthorized:        {"error.unauthorized.title", ""},
		http.StatusConflict:            {"error.conflict.title", ""},
		http.StatusInternalServerError: {"error.internal.title", "error.internal.body"},
		http.StatusServiceUnavailable:  {"error.unavailable.title", "error.unavailable.body"},
	}
	ids, ok := titles[status]
	if !ok {
		ids = titles[http.StatusInternalServerError]
	}
	d := errorPageData{Base: s.base(c, ids[0]), Status: status}
	d.Heading = d.Title
	switch {
	case ids[1] != "":
		d.Message = d.T(ids[1])
	case err != nil:
		var e *phoihop.Error
		if errors.As(err, &e) {
			d.Message = d.ErrorText(e)
		} else {
			d.Message = d.Msg(phoihop.ErrorMessage(err))
		}
	}
	if rerr := s.render(c, status, "error", d); rerr != nil {
		s.log.ErrorContext(c, "error page failed", "error", rerr)
		c.String(status, http.StatusText(status))
	}
}

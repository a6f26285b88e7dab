package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// statusOf maps an error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case phoihop.EInvalid:
		return http.StatusBadRequest
	case phoihop.ENotFound:
		return http.StatusNotFound
	case phoihop.EConflict:
		return http.StatusConflict
	case phoihop.EForbidden:
		return http.StatusForbidden
	case phoihop.EUnauthorized:
		return http.StatusUnauthorized
	case phoihop.ETooManyRequests:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// handle adapts a handler that returns an error: the error becomes a status and an error page
// (or a JSON error under /api/), only server errors are logged, and users see a safe message.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

// apiError is the JSON error body of DESIGN.md: {"error": {"code", "message", "fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (s *Server) writeError(c *gin.Context, err error) {
	code := phoihop.ErrorCode(err)
	status := statusOf(code)
	if status >= 500 {
		s.log.ErrorContext(c, "request failed", "error", err, "request_id", c.GetString(ctxRequestID),
			"method", c.Request.Method, "route", c.FullPath())
	}
	if c.Writer.Written() {
		return
	}
	if isAPI(c.Request) {
		body := apiErrorBody{Code: code, Message: phoihop.ErrorMessage(err)}
		var e *phoihop.Error
		if errors.As(err, &e) {
			body.Fields = e.Fields
		}
		if status >= 500 {
			body.Message = "Internal error."
		}
		c.JSON(status, apiError{Error: body})
		return
	}
	s.errorPage(c, status, err)
}

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
		d.Message = d.Msg(phoihop.ErrorMessage(err))
	}
	if rerr := s.render(c, status, "error", d); rerr != nil {
		s.log.ErrorContext(c, "error page failed", "error", rerr)
		c.String(status, http.StatusText(status))
	}
}

func (s *Server) notFound(c *gin.Context) error {
	return phoihop.Errorf(phoihop.ENotFound, "The page was not found.")
}

func (s *Server) methodNotAllowed(c *gin.Context) error {
	if isAPI(c.Request) {
		c.JSON(http.StatusMethodNotAllowed, apiError{Error: apiErrorBody{Code: "method_not_allowed", Message: "This route does not accept the method."}})
		return nil
	}
	s.errorPage(c, http.StatusMethodNotAllowed, nil)
	return nil
}

package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
)

// apiError is the JSON error body of DESIGN.md: {"error": {"code", "message", "fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code" enum:"error_code"`
	Message string            `json:"message" doc:"what went wrong, in English, safe to show"`
	Fields  map[string]string `json:"fields,omitempty" doc:"every bad field of the body or query parameter, with what is wrong with it"`
}

// answers is how the API answers what the common middleware refuses: always JSON.
type answers struct{}

// Error writes err as the JSON error body with its status; a server error says only
// "Internal error.", except 503 (the database out of reach: retry after Retry-After).
func (answers) Error(c *gin.Context, err error) {
	code := phoihop.ErrorCode(err)
	status := httpd.StatusOfError(err)
	body := apiErrorBody{Code: code, Message: phoihop.ErrorMessage(err)}
	var e *phoihop.Error
	if errors.As(err, &e) {
		body.Fields = e.Fields
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		body.Code, body.Message, body.Fields = phoihop.EInternal, "Internal error.", nil
	}
	c.JSON(status, apiError{Error: body})
}

// SignIn answers 401: the API has no sign-in page to send a client to.
func (a answers) SignIn(c *gin.Context) {
	a.Error(c, phoihop.Errorf(phoihop.EUnauthorized, "Please sign in."))
}

// ChangePassword answers 403 to a user who must change their password first.
func (a answers) ChangePassword(c *gin.Context) {
	a.Error(c, phoihop.Errorf(phoihop.EForbidden, "The password must be changed before anything else."))
}

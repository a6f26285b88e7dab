package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// maxJSONBody bounds the JSON bodies the API reads.
const maxJSONBody = 1 << 20

// decodeJSON reads one JSON object into v, refusing other media types, unknown fields,
// invalid UTF-8, trailing data and bodies over 1 MiB, with a message saying which.
func decodeJSON(c *gin.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return phoihop.Errorf(phoihop.EInvalid, "Send the body as application/json.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		return phoihop.Errorf(phoihop.EInvalid, "The body is too large (at most 1 MiB).")
	}
	if !utf8.Valid(body) {
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
				Fields: map[string]string{te.Field: fmt.Sprintf("Expected a %s.", te.Type.String())}}
		}
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON: %s", err.Error())
	}
	if dec.More() {
		return phoihop.Errorf(phoihop.EInvalid, "The body holds more than one JSON value.")
	}
	return nil
}

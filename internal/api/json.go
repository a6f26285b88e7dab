package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
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
		return jsonBodyError(err, reflect.TypeOf(v).Elem())
	}
	if dec.More() {
		return phoihop.Errorf(phoihop.EInvalid, "The body holds more than one JSON value.")
	}
	return nil
}

// jsonBodyError says in the API's own terms why a body did not decode into a value of type t
// (a struct): where the JSON is broken, which field is unknown, or what a field of the wrong
// type takes, under the field's JSON name. It never shows the decoder's text, which names Go
// types.
func jsonBodyError(err error, t reflect.Type) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return phoihop.Errorf(phoihop.EInvalid, "Expected a JSON object with the fields %s; got %s.",
			strings.Join(jsonFieldNames(t), ", "), jsonValueKind(typeErr.Value))
	case errors.As(err, &typeErr):
		name, f, ok := jsonField(t, typeErr.Field)
		if !ok {
			return phoihop.Errorf(phoihop.EInvalid, "A field of the body has the wrong type.")
		}
		return &phoihop.Error{Code: phoihop.EInvalid, Message: "Some fields are not valid.",
			Fields: map[string]string{name: "Expected " + jsonDescribe(f.Type, f.Tag) + "."}}
	case errors.As(err, &syntaxErr):
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON (at byte %d).", syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return phoihop.Errorf(phoihop.EInvalid, "The body is empty: send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON: it ends too early.")
	}
	// encoding/json has no type for this one: `json: unknown field "name"`.
	if q, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if name, err := strconv.Unquote(q); err == nil {
			return &phoihop.Error{Code: phoihop.EInvalid, Message: "The body has a field the API does not know.",
				Fields: map[string]string{name: "Unknown field."}}
		}
	}
	return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON.")
}

// jsonName returns the JSON name of a struct field, "" when JSON ignores it.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch {
	case name == "-" || !f.IsExported():
		return ""
	case name == "":
		return f.Name
	}
	return name
}

// embedded reports whether JSON reads the struct field's fields as the outer struct's.
func embedded(f reflect.StructField) bool {
	return f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == ""
}

// jsonFieldNames lists the JSON names of a struct's fields, those of embedded structs in
// their place.
func jsonFieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if embedded(f) {
			names = append(names, jsonFieldNames(f.Type)...)
		} else if name := jsonName(f); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// jsonField finds the struct field that an UnmarshalTypeError's Field path names ("version",
// or "apiTipInput.subject" through an embedded struct) and returns its JSON name.
func jsonField(t reflect.Type, path string) (string, reflect.StructField, bool) {
	var names []string
	var field reflect.StructField
	for part := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return "", field, false
		}
		found := false
		for f := range t.Fields() {
			if embedded(f) && f.Name == part {
				t, found = f.Type, true
				break
			}
			if name := jsonName(f); name == part && !embedded(f) {
				names, field, t, found = append(names, name), f, f.Type, true
				break
			}
		}
		if !found {
			return "", field, false
		}
	}
	return strings.Join(names, "."), field, len(names) > 0
}

// jsonDescribe says what JSON a field of type t with the struct tag takes, in the words of
// the API's documentation: "a date string in the form YYYY-MM-DD", "a list of whole numbers"…
func jsonDescribe(t reflect.Type, tag reflect.StructTag) string {
	if t.Kind() == reflect.Pointer {
		return jsonDescribe(t.Elem(), tag) + " or null"
	}
	if t.Kind() == reflect.String {
		switch {
		case tag.Get("format") == "date":
			return "a date string in the form YYYY-MM-DD"
		case tag.Get("pattern") == "quantity":
			return `a decimal number written as a string, such as "9.8" or "3973"`
		case apiEnums[tag.Get("enum")] != nil:
			return "one of the strings " + strings.Join(apiEnums[tag.Get("enum")], ", ")
		}
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + jsonPlural(t.Elem())
	}
	return "a JSON object"
}

func jsonPlural(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "strings"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole numbers"
	case reflect.Float32, reflect.Float64:
		return "numbers"
	case reflect.Bool:
		return "true or false values"
	}
	return "JSON values"
}

// jsonValueKind names the kind of JSON value an UnmarshalTypeError found ("array", "number
// 1.5"…).
func jsonValueKind(v string) string {
	switch kind, _, _ := strings.Cut(v, " "); kind {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	}
	return fmt.Sprintf("%q", v)
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// maxJSONBody bounds the JSON bodies the API reads.
const maxJSONBody = 1 << 20

// decodeJSON reads one JSON object into v, a pointer to a struct, field by field: every field
// of the wrong type and every field the API does not know is noted in f under the field's JSON
// name, and the other fields are read, so that one answer names every bad field. Other media
// types, invalid UTF-8, broken JSON, a JSON value that is not an object, trailing data and
// bodies over 1 MiB are refused as a whole, with a message saying which.
func decodeJSON(c *gin.Context, v any, f phoihop.FieldErrors) error {
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
	rv := reflect.ValueOf(v).Elem()
	dec := json.NewDecoder(bytes.NewReader(body))
	var values map[string]json.RawMessage
	if err := dec.Decode(&values); err != nil {
		return jsonBodyError(err, rv.Type())
	}
	if dec.More() {
		return phoihop.Errorf(phoihop.EInvalid, "The body holds more than one JSON value.")
	}
	fields := jsonFields(rv.Type())
	for _, key := range slices.Sorted(maps.Keys(values)) {
		fd, ok := fields.lookup(key)
		if !ok {
			f.Add(key, "Unknown field.")
			continue
		}
		if err := json.Unmarshal(values[key], rv.FieldByIndex(fd.index).Addr().Interface()); err != nil {
			f.Add(fd.name, "Expected "+jsonDescribe(fd.field.Type, fd.field.Tag)+".")
		}
	}
	return nil
}

// jsonFieldOf is a JSON field of a struct: its name, where it is and its declaration.
type jsonFieldOf struct {
	name  string
	index []int
	field reflect.StructField
}

// jsonFieldSet are the JSON fields of a struct type.
type jsonFieldSet []jsonFieldOf

// jsonFields lists the JSON fields of the struct type t, those of embedded structs in their
// place, as encoding/json reads them.
func jsonFields(t reflect.Type) jsonFieldSet {
	var out jsonFieldSet
	for f := range t.Fields() {
		if embedded(f) {
			for _, inner := range jsonFields(f.Type) {
				inner.index = append([]int{f.Index[0]}, inner.index...)
				out = append(out, inner)
			}
		} else if name := jsonName(f); name != "" {
			out = append(out, jsonFieldOf{name: name, index: f.Index, field: f})
		}
	}
	return out
}

// lookup finds the field a JSON key names: the field of that name, else one whose name
// differs only in case (as encoding/json matches them).
func (s jsonFieldSet) lookup(key string) (jsonFieldOf, bool) {
	for _, f := range s {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range s {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonFieldOf{}, false
}

// jsonBodyError says in the API's own terms why a body is not a JSON object the struct type t
// can read: where the JSON is broken, or what kind of value it is instead of an object, listing
// the fields of t. It never shows the decoder's text, which names Go types.
func jsonBodyError(err error, t reflect.Type) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return phoihop.Errorf(phoihop.EInvalid, "Expected a JSON object with the fields %s; got %s.",
			strings.Join(jsonFieldNames(t), ", "), jsonValueKind(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON (at byte %d).", syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return phoihop.Errorf(phoihop.EInvalid, "The body is empty: send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return phoihop.Errorf(phoihop.EInvalid, "The body is not valid JSON: it ends too early.")
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

// jsonDescribe says what JSON a field of type t with the struct tag takes, in the words of
// the API's documentation: "a date string in the form YYYY-MM-DD", "a list of whole numbers"…
func jsonDescribe(t reflect.Type, tag reflect.StructTag) string {
	if t.Kind() == reflect.Pointer {
		return jsonDescribe(t.Elem(), tag) + " or null"
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String && apiCodeLists[tag.Get("enum")].Codes != nil {
		return "a list of the strings " + strings.Join(apiCodeLists[tag.Get("enum")].Codes, ", ")
	}
	if t.Kind() == reflect.String {
		switch {
		case tag.Get("format") == "date":
			return "a date string in the form YYYY-MM-DD"
		case tag.Get("pattern") == "quantity":
			return `a decimal number written as a string, such as "9.8" or "3973"`
		case apiCodeLists[tag.Get("enum")].Pattern != "":
			return "a string"
		case apiCodeLists[tag.Get("enum")].Codes != nil:
			return "one of the strings " + strings.Join(apiCodeLists[tag.Get("enum")].Codes, ", ")
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

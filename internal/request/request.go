// Package request reads what a request carries — ids in the path and in form or query
// fields, dates, the version of an edit, the sort of a list — one way for the pages and the
// JSON API alike (as miniflux's internal/http/request). Readers of a form note what is wrong on
// a phoihop.FieldErrors under the field's name, so that a form shows every error at once.
package request

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
)

// PathID reads the positive id of the route parameter name. Anything else answers ENotFound
// with the message notFound: a bad id in an address is a page (or record) that does not exist.
func PathID(c *gin.Context, name, notFound string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, phoihop.Errorf(phoihop.ENotFound, "%s", notFound)
	}
	return id, nil
}

// OptionalID reads an id typed in a field: nil when empty, ok false when not a positive number.
func OptionalID(v string) (id *int64, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return nil, false
	}
	return &n, true
}

// ID reads an id typed in a field: 0 when empty; a text that is not a positive number notes
// msg on field and reads as 0.
func ID(v, field, msg string, f phoihop.FieldErrors) int64 {
	id, ok := OptionalID(v)
	switch {
	case !ok:
		f.Add(field, msg)
	case id != nil:
		return *id
	}
	return 0
}

// Version reads the version field of an edit form; a missing or bad one is 0, which is never
// current, so the edit is refused as stale.
func Version(c *gin.Context) int {
	v, _ := strconv.Atoi(c.PostForm("version"))
	return v
}

// Date reads a day typed as dd/mm/yyyy, as officers write dates: the zero Date when empty; a
// text that is not a day notes msg on field and reads as the zero Date.
func Date(v, field, msg string, f phoihop.FieldErrors) phoihop.Date {
	if strings.TrimSpace(v) == "" {
		return phoihop.Date{}
	}
	d, err := phoihop.ParseDateVN(v)
	if err != nil {
		f.Add(field, msg)
	}
	return d
}

// ISODate reads a day written YYYY-MM-DD, as the API and the download links write dates: the
// zero Date when empty; a text that is not a day notes msg on field and reads as the zero Date.
func ISODate(v, field, msg string, f phoihop.FieldErrors) phoihop.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return phoihop.Date{}
	}
	d, err := phoihop.ParseDate(v)
	if err != nil {
		f.Add(field, msg)
	}
	return d
}

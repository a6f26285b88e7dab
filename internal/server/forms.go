package server

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/gin-gonic/gin"

	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// The forms' handling of a refused write, shared by every form.

// addFields adds the field messages of an EInvalid error to f; other errors add nothing.
func addFields(f phoihop.FieldErrors, err error) {
	var e *phoihop.Error
	if errors.As(err, &e) {
		for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
			f.Add(k, e.Fields[k])
		}
	}
}

// invalidForm merges the fields of a form that could not be read (fe) with the record's own
// checks, so that every bad field shows at once without asking the store.
func invalidForm(fe phoihop.FieldErrors, check error) error {
	all := phoihop.FieldErrors{}
	addFields(all, check)
	maps.Copy(all, fe)
	return all.Err()
}

// isStale reports whether err refuses an edit made on a version that is no longer current
// (an EConflict about no field in particular).
func isStale(err error) bool {
	var e *phoihop.Error
	return errors.As(err, &e) && e.Code == phoihop.EConflict && len(e.Fields) == 0
}

// record is a record kind a form writes: it tidies and checks itself (phoihop's records).
type record[R any] interface {
	*R
	Normalize()
	Validate(today phoihop.Date) error
}

// saveForm writes r, read from a form, with write (a store method). When some fields could not
// be read (fe), nothing is written: the error names them with the record's own checks, made
// on a copy, so that every bad field shows at once. A write handler calls it first and loads
// its page only to show a refusal.
func saveForm[R any, P record[R]](s *Server, c *gin.Context, fe phoihop.FieldErrors, r P,
	write func(context.Context, phoihop.Actor, store.Scope, P) error) error {
	if len(fe) > 0 {
		checked := P(new(R))
		*checked = *r
		checked.Normalize()
		return invalidForm(fe, checked.Validate(phoihop.Today(s.deps.Store.Now())))
	}
	return write(c.Request.Context(), s.actor(c), s.scope(c), r)
}

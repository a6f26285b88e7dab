package httpd

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// ServeImportTemplate answers the import template (imports.WriteTemplate) in lang ("vi" or
// "en"), its unit lists filled with the units of every agency where the signed-in user writes
// records, retired units too (records of past years keep the unit they were entered under).
// name returns the text of a message id of the pages' catalogs in lang, for the code lists'
// names. A user who writes no agency's records is refused (EForbidden).
func (r *Router) ServeImportTemplate(c *gin.Context, lang string, name func(id string) string) error {
	agencies := r.Scope(c).Write
	if len(agencies) == 0 {
		return phoihop.Errorf(phoihop.EForbidden, "You may not enter records.")
	}
	units, err := r.deps.Store.Units(c, store.UnitFilter{})
	if err != nil {
		return err
	}
	units = slices.DeleteFunc(units, func(u phoihop.Unit) bool { return !slices.Contains(agencies, u.Agency) })
	crimeTypes, err := r.deps.Store.CrimeTypes(c)
	if err != nil {
		return err
	}
	categories, err := r.deps.Store.ItemCategories(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = imports.WriteTemplate(&buf, imports.Template{Lang: lang, Agency: strings.Join(agencies, ", "), Units: units,
		Reference: imports.NewReference(lang, crimeTypes, categories, name)})
	if err != nil {
		return err
	}
	file := imports.FileName(lang)
	h := c.Writer.Header()
	h.Set("Content-Type", XLSXMedia)
	h.Set("Content-Disposition", `attachment; filename="`+file+`"; filename*=UTF-8''`+url.PathEscape(file))
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, err = c.Writer.Write(buf.Bytes())
	return err
}

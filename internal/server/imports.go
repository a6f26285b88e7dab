package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
)

// The import of records from Excel: the page that explains it and offers the template.

func (s *Server) registerImportPages() {
	write := httpd.Perm("record", "write")
	s.route("GET", "/imports", write, s.showImports)
	s.route("GET", "/imports/template.xlsx", write, s.downloadImportTemplate)
}

// importsPage is the import page: the sheets of the template and their columns, in the
// page's language.
type importsPage struct {
	Base
	Sheets []importSheet
}

// importSheet is a sheet of the template as the page lists it.
type importSheet struct {
	Name, About string
	Columns     []importColumn
}

// importColumn is a column of a sheet as the page lists it.
type importColumn struct {
	Header, Type, Hint string
	Required           bool
}

// showImports is GET /imports: how the import works and the template's download.
func (s *Server) showImports(c *gin.Context) error {
	p := &importsPage{Base: s.base(c, "imports.title")}
	lang := p.Lang
	for _, sh := range imports.Sheets() {
		v := importSheet{Name: sh.Name(lang), About: sh.AboutVI}
		if lang == "en" {
			v.About = sh.AboutEN
		}
		for _, col := range sh.Columns {
			hint := col.HintVI
			if lang == "en" {
				hint = col.HintEN
			}
			v.Columns = append(v.Columns, importColumn{Header: col.Header(lang), Type: imports.TypeName(col.Type, lang),
				Hint: hint, Required: col.Required})
		}
		p.Sheets = append(p.Sheets, v)
	}
	return s.render(c, http.StatusOK, "imports", p)
}

// downloadImportTemplate is GET /imports/template.xlsx?lang=vi|en: the template, in the
// page's language unless lang asks for another.
func (s *Server) downloadImportTemplate(c *gin.Context) error {
	f := phoihop.FieldErrors{}
	lang := httpd.ReportLang(c.Query("lang"), s.tr.locale(c.GetString(ctxLang)).Lang, f)
	if err := f.Err(); err != nil {
		return err
	}
	l := s.tr.locale(lang)
	return s.router.ServeImportTemplate(c, lang, func(id string) string { return l.T(id) })
}

package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/imports"
	"phoihop/internal/phoihop"
)

// The import of records from Excel: the page that explains it and offers the template.

func (s *Server) registerImportPages() {
	write := httpd.Perm("record", "write")
	s.route("GET", "/imports", write, s.showImports)
	s.route("POST", "/imports", write, s.uploadImport)
	s.route("GET", "/imports/template.xlsx", write, s.downloadImportTemplate)
	s.route("GET", "/imports/:id", write, s.showImport)
	s.route("GET", "/imports/:id/errors.xlsx", write, s.downloadImportErrors)
	s.route("POST", "/imports/:id/commit", write, s.commitImport)
	s.route("POST", "/imports/:id/undo", write, s.undoImport)
}

// importsPage is the import page: the sheets of the template and their columns, in the
// page's language.
type importsPage struct {
	Base
	Sheets  []importSheet
	Imports []phoihop.Import // the latest ones the user may see
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

// showImports is GET /imports: the upload form, the latest imports, how the import works and
// the template's download.
func (s *Server) showImports(c *gin.Context) error {
	p, err := s.importsPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "imports", p)
}

// uploadImport is POST /imports: the file is kept and checked, then its page shown (303); a
// file that cannot be read is refused on the upload form (422), nothing kept.
func (s *Server) uploadImport(c *gin.Context) error {
	lang := s.tr.locale(c.GetString(ctxLang)).Lang
	up, err := s.router.ReadImportUpload(c)
	var imp *phoihop.Import
	if err == nil {
		imp, _, err = s.router.UploadImport(c, up, lang)
	}
	if err != nil {
		p, perr := s.importsPage(c)
		if perr != nil {
			return perr
		}
		if _, ok := p.refuse(err, map[string]string{"file": "file"}); !ok {
			return err
		}
		if e := (*phoihop.Error)(nil); errors.As(err, &e) && e.MessageID != "" && p.Fields["file"] != "" {
			p.Fields["file"] = p.ErrorText(e) // the size limit, which names the limit
		}
		return s.render(c, httpd.StatusOfError(err), "imports", p)
	}
	c.Redirect(http.StatusSeeOther, "/imports/"+strconv.FormatInt(imp.ID, 10))
	return nil
}

// importsPage loads the import page's data.
func (s *Server) importsPage(c *gin.Context) (*importsPage, error) {
	p := &importsPage{Base: s.base(c, "imports.title")}
	list, err := s.router.Imports(c, 20)
	if err != nil {
		return nil, err
	}
	p.Imports = list
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
	return p, nil
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

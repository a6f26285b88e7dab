package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
)

// The JSON API of the import of records from Excel: the template programs and officers fill.

func (s *Server) apiImportOps(write httpd.Permission) []apiOp {
	return []apiOp{
		{Method: "GET", Path: "/api/v1/imports/template.xlsx", Perm: write, Handler: s.apiImportTemplate, ID: "getImportTemplate",
			Tag: "imports", Summary: "The Excel template of the import of cases, arrests, seizures, exchanges and tips",
			Doc: "An instructions sheet (the rules, every column, a sample row per kind), then one sheet per kind " +
				"(Chuyên án/Cases, Đối tượng/Arrests, Tang vật/Seizures, Trao đổi thông tin/Exchanges, Tin/Tips) holding " +
				"the header row only: each header is the column's label followed by its field in brackets, " +
				"\"Ngày xác lập [opened_on]\", so programs find the columns by field. Code columns offer the code lists, " +
				"unit columns the units of the agencies where the caller writes records (from a hidden lists sheet, as " +
				"\"code — name\"). Rows name other records by human keys: a case by case_code, a unit by its code, an " +
				"exchange by exchange_held_on and exchange_unit_code. The file is mau-nhap-du-lieu.xlsx (import-template.xlsx in English).",
			Query: apiImportTemplateParams, Status: http.StatusOK, File: httpd.XLSXMedia, Errors: []int{400, 403}},
	}
}

var apiImportTemplateParams = []apiParam{
	{Name: "lang", Type: "string", List: "lang", Doc: "language of the sheets, labels and instructions (default vi)"},
}

// apiImportTemplate answers the import template in the language asked.
func (s *Server) apiImportTemplate(c *gin.Context) error {
	q := newAPIQuery(c, apiImportTemplateParams)
	lang := httpd.ReportLang(q.str("lang"), "vi", q.errors)
	if err := q.err(); err != nil {
		return err
	}
	catalog := s.catalogs[lang]
	return s.router.ServeImportTemplate(c, lang, func(id string) string { return catalog[id] })
}

package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"phoihop/internal/httpd"
	"phoihop/internal/request"
	"phoihop/internal/store"
)

// Report workbooks written as jobs (internal/exports): the report page asks for one when the
// period's workbook is large (over the export threshold), and its page shows the progress,
// refreshing itself while the job runs, then the download. Only the user who asked sees it.

// registerExportPages declares the routes of report exports.
func (s *Server) registerExportPages() {
	read := httpd.Perm("report", "read")
	s.route("POST", "/reports/exports", read, s.createExport)
	s.route("GET", "/reports/exports/:id", read, s.showExport)
	s.route("GET", "/reports/exports/:id/workbook.xlsx", read, s.downloadExport)
}

// exportPage is the data of GET /reports/exports/:id.
type exportPage struct {
	Base
	Export      *store.ReportExport
	Running     bool
	Scope       string // the agencies covered, in words
	DownloadURL string
}

// createExport is POST /reports/exports with the report's fields as the workbook download
// takes them (from, to, agency, agreement, lang, compare_from, compare_to): the export is
// recorded and queued, and the browser sent to its page.
func (s *Server) createExport(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return err
	}
	f, lang, err := s.router.ReportRequest(c, c.Request.PostForm, "agreement", c.GetString(ctxLang))
	if err != nil {
		return err
	}
	e, err := s.router.CreateReportExport(c, f, lang)
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, exportPath(e.ID))
	return nil
}

func exportPath(id int64) string { return "/reports/exports/" + strconv.FormatInt(id, 10) }

func exportID(c *gin.Context) (int64, error) {
	return request.PathID(c, "id", "The report export was not found.")
}

// showExport is GET /reports/exports/:id.
func (s *Server) showExport(c *gin.Context) error {
	id, err := exportID(c)
	if err != nil {
		return err
	}
	e, err := s.router.ReportExport(c, id)
	if err != nil {
		return err
	}
	p := exportPage{Base: s.base(c, "exports.title"), Export: e, Running: e.Running()}
	p.Scope = p.T("reports.scope.all")
	if len(e.Filter.Agencies) == 1 {
		agencies, err := s.deps.Store.Agencies(c)
		if err != nil {
			return err
		}
		for _, a := range agencies {
			if a.Code == e.Filter.Agencies[0] {
				p.Scope = a.Name(p.Lang)
			}
		}
	}
	if e.State == store.ExportDone {
		p.DownloadURL = exportPath(e.ID) + "/workbook.xlsx"
	}
	return s.render(c, http.StatusOK, "reports_export", p)
}

// downloadExport is GET /reports/exports/:id/workbook.xlsx: the workbook once done (409
// before), with Range support.
func (s *Server) downloadExport(c *gin.Context) error {
	id, err := exportID(c)
	if err != nil {
		return err
	}
	return s.router.ServeReportExport(c, id)
}

// exportForm is the form of the report page that asks for the export of the report f in
// lang: its hidden fields.
func exportForm(f store.SummaryFilter, lang string) url.Values { return reportQuery(f, lang) }

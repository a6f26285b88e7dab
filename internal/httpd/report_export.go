package httpd

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"phoihop/internal/config"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
)

// Report workbooks written as jobs (internal/exports), shared by the pages and the API: the
// user asks for one, watches its progress and downloads it; nobody else sees it.

// CreateReportExport records the export of the report f in lang for the request's user, its
// detail sheets scoped to the records the user reads now, and enqueues its job.
func (r *Router) CreateReportExport(c *gin.Context, f store.SummaryFilter, lang string) (*store.ReportExport, error) {
	sc := r.Scope(c)
	return r.deps.Store.CreateReportExport(c, Actor(c), store.ReportExportFilter{From: f.From, To: f.To,
		CompareFrom: f.CompareFrom, CompareTo: f.CompareTo, Agencies: f.Agencies, AgreementID: f.AgreementID,
		Lang: lang, Read: sc.Read})
}

// ReportExport returns the export id of the request's user; another user's, or an expired
// one, is ENotFound.
func (r *Router) ReportExport(c *gin.Context, id int64) (*store.ReportExport, error) {
	u := CurrentUser(c)
	if u == nil {
		return nil, phoihop.Errorf(phoihop.ENotFound, "The report export was not found.")
	}
	return r.deps.Store.ReportExportOf(c, u.ID, id)
}

// ServeReportExport answers the workbook of the export id of the request's user, with its
// SHA-256 as the ETag and Range support; not written yet is EConflict.
func (r *Router) ServeReportExport(c *gin.Context, id int64) error {
	u := CurrentUser(c)
	if u == nil {
		return phoihop.Errorf(phoihop.ENotFound, "The report export was not found.")
	}
	e, file, err := r.deps.Store.ReportExportFile(c, u.ID, id)
	if err != nil {
		return err
	}
	name := ReportFileName(e.Filter.Summary(), e.Filter.Lang)
	h := c.Writer.Header()
	h.Set("Content-Type", XLSXMedia)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+e.SHA256+`"`)
	http.ServeContent(c.Writer, c.Request, "", *e.FinishedAt, bytes.NewReader(file))
	return nil
}

// ReportFileName is the workbook's file name: bao-cao-tong-hop_FROM_TO.xlsx in Vietnamese,
// summary-report_FROM_TO.xlsx in English.
func ReportFileName(f store.SummaryFilter, lang string) string {
	base := "bao-cao-tong-hop"
	if lang == "en" {
		base = "summary-report"
	}
	return base + "_" + f.From.String() + "_" + f.To.String() + ".xlsx"
}

// ReportExportLarge reports whether the workbook of f for the request's user has more detail
// rows than the export threshold: then it is written as a job.
func (r *Router) ReportExportLarge(c *gin.Context, f store.SummaryFilter) (bool, error) {
	threshold := r.deps.ExportThreshold
	if threshold <= 0 {
		threshold = config.DefaultExportThreshold
	}
	sc := r.Scope(c)
	n, err := store.Export{Store: r.deps.Store, Filter: f, Scope: sc}.Count(c, len(sc.Read) > 0)
	return n > int64(threshold), err
}

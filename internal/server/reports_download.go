package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"phoihop/internal/config"
	"phoihop/internal/httpd"
	"phoihop/internal/phoihop"
	"phoihop/internal/store"
	"phoihop/reports"
)

// xlsxContentType is the media type of an Excel workbook.
const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// downloadReport answers GET /reports/summary.xlsx?from=&to=&agency=&agreement=&lang=: the
// summary workbook of the period (dates YYYY-MM-DD; the current calendar year when both are
// left out), in lang (default the interface's language). The summary sheets hold aggregates;
// the detail sheets hold only the records the user reads, the suspects sheet only for readers
// of records. Every download is audited before it starts.
func (s *Server) downloadReport(c *gin.Context) error {
	f, lang, err := s.router.ReportRequest(c, c.Request.URL.Query(), "agreement", c.GetString(ctxLang))
	if err != nil {
		return err
	}
	sum, err := s.deps.Store.Summary(c, f)
	if err != nil {
		return err
	}
	sc := s.scope(c)
	if err := s.deps.Store.SummaryTaskItems(c, sc, sum); err != nil {
		return err
	}
	if err := s.deps.Store.AuditReport(c, s.actor(c), f, lang, "xlsx", ""); err != nil {
		return err
	}
	province := s.deps.Province
	if province == "" {
		province = config.DefaultProvince
	}
	now := s.deps.Store.Now()
	date := phoihop.Today(now)
	if f.To.Before(date) {
		date = f.To
	}
	wb := reports.Workbook{Summary: sum, Lang: lang, Header: reports.DefaultHeader(lang, province, date),
		Details: store.Export{Store: s.deps.Store, Filter: f, Scope: sc}, Suspects: len(sc.Read) > 0, Now: now}
	// The headers go out with the first byte: an error before it still becomes an error page.
	w := &reportWriter{ResponseWriter: c.Writer, name: reportFileName(f, lang)}
	return reports.WriteWorkbook(c, w, wb)
}

// reportFileName is the workbook's file name (httpd.ReportFileName).
func reportFileName(f store.SummaryFilter, lang string) string { return httpd.ReportFileName(f, lang) }

// reportWriter sets the headers of the workbook download when the first byte is written.
type reportWriter struct {
	gin.ResponseWriter
	name    string
	started bool
}

func (w *reportWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

func (w *reportWriter) WriteString(s string) (int, error) {
	w.start()
	return w.ResponseWriter.WriteString(s)
}

func (w *reportWriter) start() {
	if !w.started {
		w.started = true
		h := w.Header()
		h.Set("Content-Type", xlsxContentType)
		h.Set("Content-Disposition", `attachment; filename="`+w.name+`"; filename*=UTF-8''`+url.PathEscape(w.name))
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	}
}

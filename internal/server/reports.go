package server

import (
	"net/url"
	"strconv"

	"phoihop/internal/httpd"
	"phoihop/internal/store"
)

// The summary report (DESIGN.md "Summary report semantics"): the page that shows it
// (reports_page.go) and the workbook download (reports_download.go); the request of a report
// is read by httpd.Router.ReportRequest, for the JSON summary too. The figures are aggregates: any holder of report:read sees them for any
// agency scope; the workbook's detail sheets follow the record scoping of the pages.

// registerReportPages declares the routes of the summary report's page and its download.
func (s *Server) registerReportPages() {
	read := httpd.Perm("report", "read")
	s.route("GET", "/reports", read, s.showReports)
	s.route("GET", "/reports/summary.xlsx", read, s.downloadReport)
	s.route("GET", "/reports/locks", read, s.showLocks)
	s.route("POST", "/reports/locks", httpd.Perm("report", "approve"), s.createLock)
	s.route("POST", "/reports/locks/:id/unlock", httpd.Perm("report", "approve"), s.removeLock)
}

// reportQuery is the query string of the workbook download and of the API for a report:
// dates as YYYY-MM-DD, the agency and plan only when chosen, the language when given.
func reportQuery(f store.SummaryFilter, lang string) url.Values {
	q := url.Values{"from": {f.From.String()}, "to": {f.To.String()}}
	if len(f.Agencies) == 1 {
		q.Set("agency", f.Agencies[0])
	}
	if f.AgreementID != 0 {
		q.Set("agreement", strconv.FormatInt(f.AgreementID, 10))
	}
	if lang != "" {
		q.Set("lang", lang)
	}
	if y := f.WithYearEarlier(); !f.CompareFrom.IsZero() && (f.CompareFrom != y.CompareFrom || f.CompareTo != y.CompareTo) {
		q.Set("compare_from", f.CompareFrom.String())
		q.Set("compare_to", f.CompareTo.String())
	}
	return q
}
